using System;

namespace LarkPS.Pacing;

/// <summary>
/// What the answers teach about the network: its fastest round trip (how early a request can have reached Lark before
/// its answer came), as cautious as the measurements require, and a smoothed round trip that sizes the requests in flight.
/// </summary>
/// <remarks>
/// <para>
/// The fastest round trip is the least measured, but a minimum of few measurements overstates the network's (jitter, a
/// busy machine), and overstating it makes arrivals look earlier than they were. Only requests that found a kept-alive
/// connection count as measurements of the network: one that opened a connection paid its handshake on the way in. So
/// the least round trip is used less an allowance that shrinks as warm measurements near it come
/// (<see cref="PacingOptions.AllowanceShare"/> of it, at least <see cref="PacingOptions.AllowanceFloor"/>, for the
/// first; divided by how many of the last <see cref="PacingOptions.RecentRoundTrips"/> lie near it), and never less than
/// how far their tenth percentile lies above their least (a busy machine or a jittery network widens it), nor under
/// <see cref="PacingOptions.LeastAllowance"/>. Being cautious costs time once, in the window after the first; a refusal
/// would cost more, and a second later fifty measurements have come.
/// </para>
/// <para>Not thread-safe: the limiter that owns it calls it under its lock.</para>
/// </remarks>
internal sealed class RoundTripEstimator
{
    private readonly long _allowanceFloor;
    private readonly long _leastAllowance;
    private readonly double _allowanceShare;
    private readonly long _near;
    private readonly double _nearShare;
    private readonly int _percentile;
    private readonly int _spreadAfter;
    private readonly double _smoothing;

    // The last warm round trips, and a buffer to sort them in.
    private readonly long[] _recentWarm;
    private readonly long[] _recentSorted;

    // How many requests on a kept-alive connection were measured, the fastest round trip of any request (ticks;
    // long.MaxValue before any; a warm one counts here too), and a smoothed round trip.
    private long _warmMeasurements;
    private long _fastestAny = long.MaxValue;
    private double _smoothed;

    // How far the recent warm round trips' tenth percentile lies above their least: how often a request comes near the
    // network's fastest. Under load that is rare (the least of the sums overstates the sum of the leasts), so the
    // allowance grows.
    private long _spread;

    // How many of those lie near their least: only they vouch for it. A request taken for warm that opened a connection
    // after all (its round trip holds a handshake) does not.
    private int _nearFastest;

    public RoundTripEstimator(PacingOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        _allowanceFloor = options.AllowanceFloor.Ticks;
        _leastAllowance = options.LeastAllowance.Ticks;
        _allowanceShare = options.AllowanceShare;
        _near = options.NearFastest.Ticks;
        _nearShare = options.NearFastestShare;
        _percentile = options.SpreadPercentile;
        _spreadAfter = options.SpreadAfter;
        _smoothing = options.RoundTripSmoothing;
        _recentWarm = new long[Math.Max(1, options.RecentRoundTrips)];
        _recentSorted = new long[_recentWarm.Length];
    }

    /// <summary>The smoothed round trip in ticks; zero before the first answer.</summary>
    public double Smoothed => _smoothed;

    /// <summary>
    /// The network's fastest round trip in ticks, as cautious as the measurements require: from warm requests less the
    /// allowance; before any, half the fastest of any request (its handshake may have been most of it); before any answer, zero.
    /// </summary>
    public long Fastest
    {
        get
        {
            if (_warmMeasurements > 0)
            {
                // Any round trip bounds the network's from above, a cold one too: the least of all, less the allowance.
                var fastest = _fastestAny;
                var allowance = Math.Max(Math.Max(_leastAllowance, _spread), Math.Max(_allowanceFloor, fastest * _allowanceShare) / Math.Max(1, _nearFastest));
                return Math.Max(0, fastest - (long)allowance);
            }

            return _fastestAny == long.MaxValue ? 0 : _fastestAny / 2;
        }
    }

    /// <summary>A request Lark answered took <paramref name="roundTrip"/> ticks; <paramref name="warm"/> when it found a kept-alive connection.</summary>
    public void Measure(long roundTrip, bool warm)
    {
        _fastestAny = Math.Min(_fastestAny, roundTrip);
        if (warm)
        {
            _recentWarm[_warmMeasurements % _recentWarm.Length] = roundTrip;
            _warmMeasurements++;
            (_spread, _nearFastest) = Spread();
        }

        _smoothed = _smoothed == 0 ? roundTrip : (_smoothed * (1 - _smoothing)) + (roundTrip * _smoothing);
    }

    // Of the recent warm round trips: how far their tenth percentile lies above their least (zero until there are ten), and
    // how many lie within a quarter (at least 5 ms) of their least.
    private (long Spread, int Near) Spread()
    {
        var count = (int)Math.Min(_warmMeasurements, _recentWarm.Length);
        var sorted = _recentSorted;
        Array.Copy(_recentWarm, sorted, count);
        Array.Sort(sorted, 0, count);
        var near = 0;
        var within = sorted[0] + Math.Max(_near, (long)(sorted[0] * _nearShare));
        while (near < count && sorted[near] <= within)
        {
            near++;
        }

        return (count < _spreadAfter ? 0 : sorted[count * _percentile / 100] - sorted[0], near);
    }
}
