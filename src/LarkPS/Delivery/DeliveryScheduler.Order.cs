using System;
using System.Collections.Generic;

namespace LarkPS.Delivery;

/// <summary>The scheduler's order: where a retry goes back to, how many items each receiver has waiting, and the end-phase order.</summary>
internal sealed partial class DeliveryScheduler<TWork>
{
    // Near the end of a run the app's windows and the receivers' both bind: 300 messages need six of Lark's seconds,
    // each of them full, and a chat with 15 messages left needs three seconds of its own. Walked in submission order, a
    // chat whose turn came while its own slot was a millisecond from freeing loses that slot to a later chat, and the
    // run ends a second late with that chat's last message. So in the last seconds of work (at most EndPhaseWindows of the app's
    // windows waiting, when a receiver could need as many seconds as the app) the receivers with the most items waiting
    // go first (ties: submission order), as the highest-level-first rule of scheduling has it; each receiver's own
    // items keep their order. Submission order is kept earlier (the receivers are many seconds from their end), in the
    // last of the app's windows (everything left fits in it), for runs that fit in one, and when ThrottleLimit was set:
    // then the requests in flight bind, not the app's quota, and the input's order is what the user asked for.
    // Only while some receiver is critical: its waiting items need as many seconds at its 5/s as all waiting items
    // need at the app's 50/s. Otherwise every receiver ends in time whatever the order, and order is kept (it also
    // keeps a receiver's messages apart, so jitter reorders fewer of them on arrival).
    private bool InEndPhase()
    {
        if (!_autoThrottle || _appPerSecond <= 0 || _receiverPerSecond <= 0 || _receiverPerSecond >= _appPerSecond
            || _waiting.Count <= _appPerSecond || _waiting.Count > _endPhaseWindows * _appPerSecond)
        {
            return false;
        }

        var appSeconds = (_waiting.Count + _appPerSecond - 1) / _appPerSecond;
        foreach (var backlog in _waitingByReceiver.Values)
        {
            if ((backlog + _receiverPerSecond - 1) / _receiverPerSecond >= appSeconds)
            {
                return true;
            }
        }

        return false;
    }

    private List<LinkedListNode<Job>> ByBacklog()
    {
        var nodes = new List<(LinkedListNode<Job> Node, int Backlog, long First)>(_waiting.Count);
        var firstOf = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var node = _waiting.First; node is not null; node = node.Next)
        {
            var key = node.Value.Key;
            var backlog = 0;
            var first = node.Value.Id;
            if (key is not null)
            {
                _waitingByReceiver.TryGetValue(key, out backlog);
                if (!firstOf.TryGetValue(key, out first))
                {
                    first = node.Value.Id;
                    firstOf.Add(key, first);
                }
            }

            nodes.Add((node, backlog, first));
        }

        // Most waiting first, then the receiver whose first item came first, then the items' own order.
        nodes.Sort((a, b) => a.Backlog != b.Backlog ? b.Backlog.CompareTo(a.Backlog)
            : a.First != b.First ? a.First.CompareTo(b.First)
            : a.Node.Value.Id.CompareTo(b.Node.Value.Id));
        return nodes.ConvertAll(n => n.Node);
    }

    private void CountWaiting(Job job, int change)
    {
        if (job.Key is not { } key)
        {
            return;
        }

        _waitingByReceiver.TryGetValue(key, out var count);
        count += change;
        if (count > 0)
        {
            _waitingByReceiver[key] = count;
        }
        else
        {
            _waitingByReceiver.Remove(key);
        }
    }

    // Back to its place: after every earlier item still waiting, before every later one.
    private void Requeue(Job job)
    {
        var after = _waiting.Last;
        while (after is not null && after.Value.Id > job.Id)
        {
            after = after.Previous;
        }

        if (after is null)
        {
            _waiting.AddFirst(job);
        }
        else
        {
            _waiting.AddAfter(after, job);
        }

        CountWaiting(job, +1);
    }
}
