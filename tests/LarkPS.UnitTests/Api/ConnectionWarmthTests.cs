using LarkPS.Api;
using Xunit;

namespace LarkPS.UnitTests.Api;

public class ConnectionWarmthTests
{
    [Fact]
    public void A_request_finds_a_connection_open_only_while_fewer_are_busy_than_were_lately()
    {
        var warmth = new ConnectionWarmth(new FakeClock());

        // The first request opens a connection; afterwards one is open and idle.
        Assert.False(warmth.Enter());
        warmth.Exit(connectionLost: false);
        Assert.True(warmth.Enter());

        // A second at the same time needs a second connection; after both end, two are open.
        Assert.False(warmth.Enter());
        Assert.Equal(2, warmth.Busy);
        warmth.Exit(connectionLost: false);
        warmth.Exit(connectionLost: false);
        Assert.True(warmth.Enter());
        Assert.True(warmth.Enter());
        Assert.False(warmth.Enter());
        warmth.Exit(connectionLost: false);
        warmth.Exit(connectionLost: false);
        warmth.Exit(connectionLost: false);
    }

    [Fact]
    public void A_transport_failure_closes_its_connection()
    {
        var warmth = new ConnectionWarmth(new FakeClock());
        Assert.False(warmth.Enter());
        warmth.Exit(connectionLost: true);

        Assert.False(warmth.Enter());
        Assert.Equal(1, warmth.Busy);
    }

    [Fact]
    public void Connections_idle_longer_than_the_figure_count_as_closed_on_the_connections_clock()
    {
        var clock = new FakeClock();
        var warmth = new ConnectionWarmth(clock, new LarkPS.Pacing.PacingOptions { ConnectionIdle = TimeSpan.FromSeconds(15) });
        Assert.False(warmth.Enter());
        warmth.Exit(connectionLost: false);

        clock.Advance(TimeSpan.FromSeconds(15));
        Assert.True(warmth.Enter());
        warmth.Exit(connectionLost: false);

        // Idle past the figure, as the fake clock alone says (no wall time passes): the next request opens a connection.
        clock.Advance(TimeSpan.FromSeconds(15) + TimeSpan.FromTicks(1));
        Assert.False(warmth.Enter());
    }
}
