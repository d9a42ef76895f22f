using System;
using System.Collections.Generic;

namespace LarkPS.Pacing;

/// <summary>
/// Sends by arrival estimate: answered ones sorted by their fixed estimate, unanswered ones (at most the requests in
/// flight) apart, since their estimate grows with the clock. Counting a window is a binary search plus a short scan.
/// </summary>
internal sealed class ArrivalWindow
{
    private readonly List<long> _answered = new();
    private readonly List<SendRecord> _unanswered = new();
    private readonly List<long> _scratch = new();

    public bool IsEmpty => _answered.Count == 0 && _unanswered.Count == 0;

    public void Add(SendRecord record) => _unanswered.Add(record);

    public void Answer(SendRecord record)
    {
        if (!_unanswered.Remove(record))
        {
            return;
        }

        var at = record.AnswerKey;
        var index = _answered.BinarySearch(at);
        _answered.Insert(index < 0 ? ~index : index, at);
    }

    /// <summary>
    /// Takes out a send Lark refused for this window's quota: a refused request takes no slot there, so it must not count
    /// toward our window (nor make a refusal someone else caused look like our own full window).
    /// </summary>
    public void Remove(SendRecord record)
    {
        if (_unanswered.Remove(record) || record.AnsweredAt == 0)
        {
            return;
        }

        var index = _answered.BinarySearch(record.AnswerKey);
        if (index >= 0)
        {
            _answered.RemoveAt(index);
        }
    }

    /// <summary>How many sends are estimated to have arrived after <paramref name="since"/> and before <paramref name="until"/>.</summary>
    public int CountBetween(long now, long since, long until, long fastestRoundTrip)
    {
        var count = FirstAfter(until + fastestRoundTrip - 1) - FirstAfter(since + fastestRoundTrip);
        foreach (var record in _unanswered)
        {
            var at = record.Estimate(now, fastestRoundTrip);
            if (at > since && at < until)
            {
                count++;
            }
        }

        return Math.Max(0, count);
    }

    /// <summary>Forgets answered sends whose answer key is before <paramref name="before"/>.</summary>
    public void Prune(long before)
    {
        var count = FirstAfter(before - 1);
        if (count > 0)
        {
            _answered.RemoveRange(0, count);
        }
    }

    /// <summary>Ticks until one more arrival at the earliest now keeps at most <paramref name="limit"/> in any <paramref name="length"/>.</summary>
    public long Wait(long now, int limit, long length, long fastestRoundTrip)
    {
        var since = now - length;

        // Answered sends are kept by answer key; their estimate is the key minus the fastest round trip.
        var first = FirstAfter(since + fastestRoundTrip);
        var count = _answered.Count - first;
        _scratch.Clear();
        foreach (var record in _unanswered)
        {
            var at = record.Estimate(now, fastestRoundTrip);
            if (at > since)
            {
                _scratch.Add(at);
            }
        }

        count += _scratch.Count;
        if (count < limit)
        {
            return 0;
        }

        // count − limit + 1 of them must leave the window: the (count − limit)-th earliest decides.
        _scratch.Sort();
        var k = count - limit;
        int a = first, b = 0;
        long kth = 0;
        for (var i = 0; i <= k; i++)
        {
            kth = b >= _scratch.Count || (a < _answered.Count && _answered[a] - fastestRoundTrip <= _scratch[b]) ? _answered[a++] - fastestRoundTrip : _scratch[b++];
        }

        return Math.Max(1, kth + length - now);
    }

    /// <summary>How many sends are estimated to have arrived after <paramref name="since"/> (unanswered ones count as arriving now).</summary>
    public int Count(long now, long since, long fastestRoundTrip)
    {
        var count = _answered.Count - FirstAfter(since + fastestRoundTrip);
        foreach (var record in _unanswered)
        {
            if (record.Estimate(now, fastestRoundTrip) > since)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The earliest arrival estimate after <paramref name="since"/>, or <paramref name="since"/> when there is none.</summary>
    public long EarliestAfter(long since, long fastestRoundTrip)
    {
        var earliest = long.MaxValue;
        var first = FirstAfter(since + fastestRoundTrip);
        if (first < _answered.Count)
        {
            earliest = _answered[first] - fastestRoundTrip;
        }

        foreach (var record in _unanswered)
        {
            var at = record.Estimate(since, fastestRoundTrip);
            if (at > since && at < earliest)
            {
                earliest = at;
            }
        }

        return earliest == long.MaxValue ? since : earliest;
    }

    // Index of the first answered estimate greater than `at`.
    private int FirstAfter(long at)
    {
        int low = 0, high = _answered.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (_answered[mid] > at)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        return low;
    }
}
