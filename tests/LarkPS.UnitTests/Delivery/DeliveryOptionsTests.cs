using LarkPS.Pacing;
using LarkPS.Delivery;
using Xunit;

namespace LarkPS.UnitTests.Delivery;

public class DeliveryOptionsTests
{
    [Fact]
    public void Defaults_match_Lark_quotas_and_the_brief()
    {
        var options = new DeliveryOptions();

        Assert.True(options.IsThrottleLimitAuto);
        Assert.Equal(64, options.ThrottleLimit);
        Assert.Equal(1000, options.MaxPending);
        Assert.Equal(50, options.AppPerSecond);
        Assert.Equal(1000, options.AppPerMinute);
        Assert.Equal(5, options.ReceiverPerSecond);
        Assert.Equal(8, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromMinutes(2), options.MaxTotalRetryWait);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.BaseBackoff);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxBackoff);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.StopGracePeriod);
        Assert.Equal(TimeSpan.FromMilliseconds(5), options.RateWindowMargin);
    }

    [Fact]
    public void The_default_margin_still_allows_95_percent_of_the_quota()
    {
        var options = new DeliveryOptions();

        var sustained = options.AppPerSecond / (1 + options.RateWindowMargin.TotalSeconds);

        Assert.True(sustained >= 47.5, $"sustained {sustained:F1}/s");
    }

    [Fact]
    public void MaxPending_is_never_below_ThrottleLimit()
    {
        var options = new DeliveryOptions { MaxPending = 2, ThrottleLimit = 10 };

        Assert.Equal(10, options.MaxPending);
    }

    [Fact]
    public void MaxPending_looks_1000_items_ahead_and_at_least_four_times_ThrottleLimit_until_set()
    {
        var fixedLimit = new DeliveryOptions { ThrottleLimit = 5 };
        var wide = new DeliveryOptions { ThrottleLimit = 600 };

        Assert.False(fixedLimit.IsThrottleLimitAuto);
        Assert.Equal(1000, fixedLimit.MaxPending);
        Assert.Equal(2400, wide.MaxPending);
    }

    [Fact]
    public void Out_of_range_values_throw_with_the_option_name()
    {
        var options = new DeliveryOptions();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => options.ThrottleLimit = 0);
        Assert.Contains("ThrottleLimit", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.AppPerSecond = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxAttempts = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.BaseBackoff = TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxBackoff = TimeSpan.FromDays(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.StopGracePeriod = TimeSpan.FromSeconds(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.RateWindowMargin = TimeSpan.FromSeconds(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxTotalRetryWait = TimeSpan.FromMilliseconds(-1));
    }
}
