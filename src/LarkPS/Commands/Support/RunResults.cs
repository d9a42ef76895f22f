using System;
using System.Collections.Generic;
using LarkPS.Api;
using LarkPS.Delivery;
using LarkPS.Session;

namespace LarkPS.Commands.Support;

/// <summary>
/// A send run's results: finished items written in input order (one slow item holds back a bounded number), each
/// outcome recorded in the -Journal, the counts, and the items left unconfirmed for LastDelivery.
/// </summary>
internal sealed class RunResults
{
    // Results are written in input order; one slow item may hold back at most this many finished ones before
    // they are written anyway, so memory stays bounded however long the pipeline.
    private const int MaxHeldResults = 1000;

    private readonly SortedDictionary<long, DeliveryEvent<SendWork, SentMessage>> _finished = new();
    private readonly List<UnconfirmedMessage> _unconfirmed = new();
    private readonly ISendRunHost _host;
    private readonly SendJournal? _journal;
    private readonly Action<System.Management.Automation.ErrorRecord> _reportError;
    private long _nextToWrite;

    public RunResults(ISendRunHost host, SendJournal? journal, Action<System.Management.Automation.ErrorRecord> reportError)
    {
        _host = host;
        _journal = journal;
        _reportError = reportError;
    }

    public int Succeeded { get; private set; }

    public int Failed { get; private set; }

    public IReadOnlyList<UnconfirmedMessage> Unconfirmed => _unconfirmed;

    /// <summary>True once -ErrorAction Stop holds its error: a stopped item then is in LastDelivery, not an error of its own.</summary>
    public bool StoppingAtError { get; set; }

    /// <summary>A finished item: held until every item before it is written.</summary>
    public void Finished(DeliveryEvent<SendWork, SentMessage> delivery)
    {
        _finished[delivery.Work.Sequence] = delivery;
        WriteHeldResults(all: false);
    }

    public void Unconfirm(UnconfirmedMessage item) => _unconfirmed.Add(item);

    /// <summary>After Ctrl+C nothing can be written: what was held is recorded, not written.</summary>
    public void RecordHeldWithoutWriting()
    {
        foreach (var held in _finished.Values)
        {
            JournalOutcome(held);
            if (held.Kind == DeliveryEventKind.Stopped)
            {
                _unconfirmed.Add(held.Work.ToUnconfirmed(held));
            }
        }

        _finished.Clear();
    }

    // Writes finished items in input order; where one slow item holds back too many, writes the oldest anyway.
    public void WriteHeldResults(bool all)
    {
        while (_finished.Count > 0)
        {
            using var first = _finished.GetEnumerator();
            first.MoveNext();
            var (sequence, delivery) = (first.Current.Key, first.Current.Value);
            if (sequence > _nextToWrite && !all && _finished.Count <= MaxHeldResults)
            {
                return;
            }

            _finished.Remove(sequence);
            _nextToWrite = Math.Max(_nextToWrite, sequence + 1);
            Write(delivery);
        }
    }

    private void Write(DeliveryEvent<SendWork, SentMessage> delivery)
    {
        var work = delivery.Work;
        switch (delivery.Kind)
        {
            case DeliveryEventKind.Succeeded:
                Succeeded++;
                var sent = delivery.Result!;
                sent.Attempts = delivery.Attempts;
                JournalOutcome(delivery);
                _host.WriteObject(sent);
                break;
            case DeliveryEventKind.Failed:
                Failed++;
                JournalOutcome(delivery);
                _reportError(ItemErrors.SendFailed(work, delivery.Exception!));
                break;
            case DeliveryEventKind.Stopped:
                Failed++;
                JournalOutcome(delivery);
                _unconfirmed.Add(work.ToUnconfirmed(delivery));
                if (StoppingAtError)
                {
                    // Stopped by our own -ErrorAction Stop: the item is in LastDelivery, not an error of its own.
                    break;
                }

                _host.WriteError(ItemErrors.Stopped(work));
                break;
        }
    }

    public void JournalOutcome(DeliveryEvent<SendWork, SentMessage> delivery)
    {
        if (_journal is null || delivery.Work.JournalKey is not { } key)
        {
            return;
        }

        if (delivery.Kind == DeliveryEventKind.Succeeded)
        {
            _journal.Sent(key, delivery.Result!);
        }
        else
        {
            _journal.Failed(key, delivery.Work.Message.Uuid!, delivery.Exception, delivery.Kind == DeliveryEventKind.Stopped);
        }
    }

}
