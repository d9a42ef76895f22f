using LarkPS.Pacing;
using Xunit;

namespace LarkPS.UnitTests.Delivery;

/// <summary>The share a limiter allows itself beside senders it cannot see (issue 24): cuts at refusals, the climb between.</summary>
public class FairShareTests
{
    private static readonly long Second = TimeSpan.TicksPerSecond;

    [Fact]
    public void The_larger_of_two_senders_gives_up_more_of_its_share_at_a_cut_so_their_shares_even_out()
    {
        var options = new PacingOptions();

        // A sender that had 0.6 of the window at the first refusal: cut to what it got less 10% (0.54).
        var large = new FairShare(options);
        Assert.True(large.Cut(Second, observed: 0.6, takenAt: null));
        Assert.Equal(0.54, large.At(Second), 6);

        // Two seconds on it climbed 0.12 (0.02/s, quickening each second) and was refused while it got all of that: 1 - 0.5
        // x 0.66 would keep 0.67 of it; the slope stops at 0.7 (a plain cut keeps 0.85: 0.561).
        var later = 3 * Second;
        Assert.Equal(0.66, large.At(later), 6);
        Assert.True(large.Cut(later, observed: 0.66, takenAt: null));
        Assert.Equal(0.66 * 0.7, large.At(later), 6);

        // A sender that gets under a third of the window keeps the usual 0.85 of its share at a cut.
        var small = new FairShare(options);
        Assert.True(small.Cut(Second, observed: 0.02, takenAt: null));
        Assert.Equal(0.5, small.At(Second), 6);
        Assert.True(small.Cut(2 * Second, observed: 0.3, takenAt: null));
        Assert.Equal(0.27, small.At(2 * Second), 6);
        Assert.Equal(0.31, small.At(3 * Second), 6);
        Assert.True(small.Cut(3 * Second, observed: 0.3, takenAt: null));
        Assert.Equal(0.31 * 0.85, small.At(3 * Second), 6);
        Assert.Equal(3, small.Cuts);
    }

    [Fact]
    public void Refusals_of_requests_taken_before_the_last_cut_cut_nothing_more()
    {
        var share = new FairShare(new PacingOptions());
        Assert.True(share.Cut(Second, observed: 0.4, takenAt: Second - 10));
        Assert.False(share.Cut(Second + 100, observed: 0.1, takenAt: Second - 5));
        Assert.Equal(0.5, share.At(Second + 100), 3);
        Assert.Equal(1, share.Cuts);
    }
}
