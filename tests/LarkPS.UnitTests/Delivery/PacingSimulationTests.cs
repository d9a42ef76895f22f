using LarkPS.Pacing;
using LarkPS.Delivery;
using Xunit;
using Xunit.Abstractions;

namespace LarkPS.UnitTests.Delivery;

/// <summary>
/// The scheduler against a model of Lark that counts on arrival, with jitter and slow new connections, on a fake clock:
/// deterministic for a seed, so these are correctness checks on simulated time, not timings of this machine.
/// </summary>
public class PacingSimulationTests
{
    private readonly ITestOutputHelper _output;

    public PacingSimulationTests(ITestOutputHelper output) => _output = output;

    // Each workload at each latency, with the handshake where TLS puts it (the client waits before writing) and where
    // LarkPS's sandbox puts it (the server reads a new connection late: the client cannot see it).
    public static TheoryData<string, int, bool> Workloads()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (var hidden in new[] { false, true })
        {
            foreach (var latency in new[] { 20, 100, 300 })
            {
                data.Add("300 to 20 chats", latency, hidden);
                data.Add("300 grouped 15 in a row", latency, hidden);
                data.Add("60 to 1 chat", latency, hidden);
            }
        }

        return data;
    }

    internal static List<string> Items(string workload) => workload switch
    {
        "300 to 20 chats" => Enumerable.Range(0, 300).Select(i => $"oc_{i % 20}#{i}").ToList(),
        "300 grouped 15 in a row" => Enumerable.Range(0, 300).Select(i => $"oc_{i / 15}#{i}").ToList(),
        "60 to 1 chat" => Enumerable.Range(0, 60).Select(i => $"oc_0#{i}").ToList(),
        "2000 to 200 users" => Enumerable.Range(0, 2000).Select(i => $"ou_{i % 200}#{i}").ToList(),
        _ => throw new ArgumentOutOfRangeException(nameof(workload)),
    };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Arrival_counting_Lark_with_jitter_and_slow_handshakes_refuses_nothing_and_the_run_is_within_95_percent_of_the_limit(string workload, int latencyMs, bool handshakeHidden)
    {
        var items = Items(workload);
        var latency = TimeSpan.FromMilliseconds(latencyMs);
        var lark = new LarkSimulation(seed: latencyMs)
        {
            Latency = latency, Jitter = TimeSpan.FromMilliseconds(20), Handshake = TimeSpan.FromMilliseconds(50), HandshakeHidden = handshakeHidden,
        };

        lark.Run(items, new DeliveryOptions());

        var limit = LarkSimulation.Limit(items, 50, 1000, 5, latency);
        _output.WriteLine($"{workload} at {latencyMs} ms: {lark.Elapsed.TotalSeconds:0.000} s, limit {limit.TotalSeconds:0.000} s ({limit / lark.Elapsed:P1}); " +
            $"{lark.Refused429} × 429, {lark.Refused230020} × 230020, {lark.Connections} connections, peak {lark.PeakInFlight} in flight");
        _output.WriteLine(string.Join(" ", lark.Started.Where((_, i) => i % 50 == 0 || i == items.Count - 1).Select(s => (s.At - lark.Start).TotalSeconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture))));
        AssertExactlyOnceInOrder(lark, items);
        Assert.Equal(0, lark.Refused429 + lark.Refused230020);
        Assert.True(lark.Elapsed <= limit / 0.95, $"took {lark.Elapsed.TotalSeconds:0.000} s, limit {limit.TotalSeconds:0.000} s");
    }

    [Fact]
    public void The_minute_window_rules_2000_messages_to_200_users()
    {
        var items = Items("2000 to 200 users");
        var latency = TimeSpan.FromMilliseconds(100);
        var lark = new LarkSimulation(seed: 5) { Latency = latency };

        lark.Run(items, new DeliveryOptions());

        var limit = LarkSimulation.Limit(items, 50, 1000, 5, latency);
        _output.WriteLine($"2000 to 200 users: {lark.Elapsed.TotalSeconds:0.000} s, limit {limit.TotalSeconds:0.000} s; {lark.Refused429} × 429");
        AssertExactlyOnceInOrder(lark, items);
        Assert.Equal(0, lark.Refused429 + lark.Refused230020);
        Assert.InRange(limit.TotalSeconds, 79, 80);
        Assert.True(lark.Elapsed <= limit / 0.95, $"took {lark.Elapsed.TotalSeconds:0.000} s, limit {limit.TotalSeconds:0.000} s");
    }

    [Fact]
    public void Slow_new_connections_need_the_leaving_callback_answers_alone_learn_too_late()
    {
        // No connection is open at the start (Connect-Lark's has been closed as idle), so every send of the first window
        // opens one (150 ms) and none measures the network alone: only the body callback sees them leave late; from
        // answers alone the first window looks like a slow network, and the second window goes too early once.
        var items = Items("300 to 20 chats");
        var latency = TimeSpan.FromMilliseconds(100);
        var withCallback = new LarkSimulation(seed: 9) { Latency = latency, Handshake = TimeSpan.FromMilliseconds(150), WarmConnections = 0 };
        var answersOnly = new LarkSimulation(seed: 9) { Latency = latency, Handshake = TimeSpan.FromMilliseconds(150), WarmConnections = 0, ReportsLeaving = false };

        withCallback.Run(items, new DeliveryOptions());
        answersOnly.Run(items, new DeliveryOptions());

        _output.WriteLine($"with the callback: {withCallback.Refused429} × 429 in {withCallback.Elapsed.TotalSeconds:0.00} s; answers only: {answersOnly.Refused429} × 429 in {answersOnly.Elapsed.TotalSeconds:0.00} s");
        AssertExactlyOnceInOrder(withCallback, items);
        AssertExactlyOnceInOrder(answersOnly, items);
        Assert.Equal(0, withCallback.Refused429 + withCallback.Refused230020);
        Assert.True(answersOnly.Refused429 > 0, "answers alone were enough: this test no longer shows what the callback is for");
        // The limit leaves out the handshake every client pays before its first window (here three times the usual 50 ms).
        var limit = LarkSimulation.Limit(items, 50, 1000, 5, latency) + withCallback.Handshake;
        Assert.True(withCallback.Elapsed <= limit / 0.95, $"took {withCallback.Elapsed.TotalSeconds:0.000} s, limit with the handshake {limit.TotalSeconds:0.000} s");
    }

    [Fact]
    public void Counting_at_the_start_of_a_send_would_trip_Lark_here_so_the_model_can_fail()
    {
        // The old limiter's way (count when handed to the sender, fixed 25 ms margin) against the same model: refusals.
        var items = Items("300 to 20 chats");
        var lark = new LarkSimulation(seed: 100) { Latency = TimeSpan.FromMilliseconds(100), CountAtDispatch = true };

        lark.Run(items, new DeliveryOptions { RateWindowMargin = TimeSpan.FromMilliseconds(25), ThrottleLimit = 16 });

        _output.WriteLine($"counted at dispatch: {lark.Refused429} × 429, {lark.Refused230020} × 230020, {lark.Elapsed.TotalSeconds:0.00} s");
        Assert.True(lark.Refused429 + lark.Refused230020 > 0, "the model refused nothing even to a limiter that ignores arrival");
        Assert.Equal(300, lark.Delivered.Count);
    }

    [Fact]
    public void Requests_in_flight_follow_the_round_trip_up_to_64()
    {
        var items = Items("300 to 20 chats");
        var slow = new LarkSimulation(seed: 2) { Latency = TimeSpan.FromMilliseconds(300) };
        var fast = new LarkSimulation(seed: 2) { Latency = TimeSpan.FromMilliseconds(1), Jitter = TimeSpan.Zero };

        var slowLimiter = slow.Run(items, new DeliveryOptions());
        var fastLimiter = fast.Run(items, new DeliveryOptions());

        Assert.Equal(54, slowLimiter.SuggestedInFlight(16, 64));
        Assert.Equal(16, fastLimiter.SuggestedInFlight(16, 64));
        Assert.InRange(fastLimiter.SuggestedInFlight(1, 64), 5, 15);
        Assert.InRange(slow.PeakInFlight, 50, 64);
        Assert.InRange(slowLimiter.RoundTrip.TotalMilliseconds, 300, 330);
    }

    [Fact]
    public void A_fixed_ThrottleLimit_is_never_exceeded()
    {
        var lark = new LarkSimulation(seed: 4) { Latency = TimeSpan.FromMilliseconds(300) };

        lark.Run(Items("300 to 20 chats"), new DeliveryOptions { ThrottleLimit = 8 });

        Assert.Equal(8, lark.PeakInFlight);
        Assert.Equal(300, lark.Delivered.Count);
    }

    [Fact]
    public void Grouped_input_needs_the_look_ahead_a_short_one_leaves_receivers_idle()
    {
        var items = Items("300 grouped 15 in a row");
        var latency = TimeSpan.FromMilliseconds(100);
        var wide = new LarkSimulation(seed: 6) { Latency = latency };
        var narrow = new LarkSimulation(seed: 6) { Latency = latency };

        wide.Run(items, new DeliveryOptions());
        narrow.Run(items, new DeliveryOptions(), lookAhead: 64);

        _output.WriteLine($"look-ahead 1000: {wide.Elapsed.TotalSeconds:0.00} s; 64: {narrow.Elapsed.TotalSeconds:0.00} s");
        Assert.True(narrow.Elapsed > wide.Elapsed * 1.2, $"64 items ahead took {narrow.Elapsed.TotalSeconds:0.00} s, 1000 took {wide.Elapsed.TotalSeconds:0.00} s");
    }

    internal static void AssertExactlyOnceInOrder(LarkSimulation lark, IReadOnlyList<string> items)
    {
        Assert.Empty(lark.Failures);
        Assert.Equal(items.Count, lark.Delivered.Count);
        Assert.Equal(items.OrderBy(i => i, StringComparer.Ordinal), lark.Delivered.Select(d => d.Work).OrderBy(i => i, StringComparer.Ordinal));
        // The guarantee is the order attempts start in; arrival within one burst may differ by the network's jitter.
        foreach (var receiver in lark.Started.GroupBy(d => d.Work.Split('#')[0]))
        {
            var numbers = receiver.Select(d => int.Parse(d.Work.Split('#')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(numbers.OrderBy(n => n), numbers);
        }
    }
}
