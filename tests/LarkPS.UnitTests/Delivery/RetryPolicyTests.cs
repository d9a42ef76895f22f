using System.Net;
using LarkPS.Pacing;
using LarkPS.Api;
using LarkPS.Delivery;
using Xunit;

namespace LarkPS.UnitTests.Delivery;

public class RetryPolicyTests
{
    private static LarkApiException Lark(int code, int? http = 400, TimeSpan? retryAfter = null, bool transport = false) =>
        new($"Lark said {code}", code, "msg", http is null ? null : (HttpStatusCode)http, "log-1", retryAfter, isTransport: transport);

    private static RetryPolicy Policy(double jitter = 0.5, DeliveryOptions? options = null) =>
        new((options ?? new DeliveryOptions()).Pacing, new FixedRandom(jitter));

    [Theory]
    [InlineData(99991400, 429, "AppRateLimit")]
    [InlineData(0, 429, "AppRateLimit")]
    [InlineData(230020, 400, "ReceiverRateLimit")]
    [InlineData(230049, 400, "MessageBeingSent")]
    [InlineData(1500, 500, "ServerError")]
    [InlineData(5000, 200, "ServerError")]
    [InlineData(0, 500, "ServerError")]
    [InlineData(0, 502, "ServerError")]
    [InlineData(0, 503, "ServerError")]
    [InlineData(0, 504, "ServerError")]
    [InlineData(12345, 503, "ServerError")]
    public void Retryable_codes_are_retried(int code, int http, string kind)
    {
        var decision = Policy().Decide(Lark(code, http), 1, TimeSpan.Zero);

        Assert.True(decision.ShouldRetry, decision.Reason);
        Assert.Equal(kind, decision.Failure.ToString());
        Assert.Contains("(attempt 2 of 8)", decision.Reason);
    }

    [Theory]
    [InlineData(99991661)]
    [InlineData(230001)]
    [InlineData(230002)]
    [InlineData(230006)]
    [InlineData(230013)]
    [InlineData(230025)]
    [InlineData(230027)]
    [InlineData(99991672)]
    [InlineData(230029)]
    [InlineData(230034)]
    [InlineData(230035)]
    [InlineData(230053)]
    [InlineData(230055)]
    [InlineData(230099)]
    [InlineData(99992351)]
    [InlineData(99992361)]
    [InlineData(10003)]
    [InlineData(10014)]
    [InlineData(20002)]
    [InlineData(424242)]
    public void Final_codes_are_not_retried(int code)
    {
        var decision = Policy().Decide(Lark(code), 1, TimeSpan.Zero);

        Assert.False(decision.ShouldRetry);
        Assert.Equal(FailureKind.Final, decision.Failure);
        Assert.Contains(code.ToString(), decision.Reason);
    }

    [Fact]
    public void A_documented_final_code_stays_final_with_a_5xx()
    {
        Assert.False(Policy().Decide(Lark(230001, 500), 1, TimeSpan.Zero).ShouldRetry);
    }

    [Fact]
    public void Rate_limit_honours_RetryAfter_plus_small_jitter_and_pauses_the_app()
    {
        var error = Lark(99991400, 429, TimeSpan.FromSeconds(1));

        var low = Policy(0).Decide(error, 1, TimeSpan.Zero);
        var high = Policy(0.999).Decide(error, 1, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(1), low.Delay);
        Assert.InRange(high.Delay, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.25));
        Assert.Equal(TimeSpan.FromSeconds(1), low.PauseApp);
        Assert.Null(low.PauseReceiver);
        Assert.Equal(
            "Lark app rate limit (99991400, HTTP 429): waiting 1.0 s as x-ogw-ratelimit-reset asked (attempt 2 of 8)",
            low.Reason);
    }

    [Fact]
    public void Rate_limit_without_RetryAfter_backs_off_and_pauses_the_app_a_second()
    {
        var decision = Policy(0.5).Decide(Lark(99991400, 429), 3, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(1), decision.Delay); // 0.5 × 500 ms × 2²
        Assert.Equal(TimeSpan.FromSeconds(1), decision.PauseApp);
    }

    [Fact]
    public void Receiver_limit_waits_at_least_a_second_and_pauses_the_receiver()
    {
        var decision = Policy(0.1).Decide(Lark(230020), 1, TimeSpan.Zero);

        Assert.True(decision.ShouldRetry);
        Assert.Equal(TimeSpan.FromSeconds(1), decision.Delay);
        Assert.Equal(decision.Delay, decision.PauseReceiver);
        Assert.Null(decision.PauseApp);
    }

    [Theory]
    [InlineData(99991663)]
    [InlineData(99991664)]
    [InlineData(99991671)]
    public void A_refused_token_reaching_the_policy_is_final_because_the_choke_point_already_refreshed_it(int code)
    {
        // The HTTP choke point refreshes once and resends once; a refusal that still reaches the policy is final,
        // so one revoked token never costs more than one token request and one resend per item.
        var decision = Policy().Decide(Lark(code), 1, TimeSpan.Zero, CancellationToken.None);

        Assert.False(decision.ShouldRetry);
        Assert.Equal("TokenInvalid", decision.Failure.ToString());
        Assert.Contains("fresh token", decision.Reason);
    }

    [Fact]
    public void An_ambiguous_failure_of_a_request_without_idempotency_key_is_not_retried()
    {
        var dropped = new LarkApiException("dropped", 0, null, null, null, isTransport: true, mayHaveArrived: true, idempotent: false);
        var neverConnected = new LarkApiException("refused", 0, null, null, null, isTransport: true, mayHaveArrived: false, idempotent: false);

        var ambiguous = Policy().Decide(dropped, 1, TimeSpan.Zero);
        var safe = Policy().Decide(neverConnected, 1, TimeSpan.Zero);

        Assert.False(ambiguous.ShouldRetry);
        Assert.Contains("may have arrived", ambiguous.Reason);
        Assert.True(safe.ShouldRetry, safe.Reason);
    }

    [Fact]
    public void Backoff_grows_exponentially_and_is_capped()
    {
        var top = Policy(0.999999);

        Assert.Equal(500, top.Backoff(1).TotalMilliseconds, 1);
        Assert.Equal(1000, top.Backoff(2).TotalMilliseconds, 1);
        Assert.Equal(2000, top.Backoff(3).TotalMilliseconds, 1);
        Assert.Equal(16000, top.Backoff(6).TotalMilliseconds, 1);
        Assert.Equal(30000, top.Backoff(7).TotalMilliseconds, 1);
        Assert.Equal(30000, top.Backoff(100).TotalMilliseconds, 1);
        Assert.Equal(TimeSpan.Zero, Policy(0).Backoff(5));
    }

    [Fact]
    public void Full_jitter_stays_within_bounds_and_spreads()
    {
        var policy = new RetryPolicy(new DeliveryOptions().Pacing, new Random(1234));

        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var cap = TimeSpan.FromMilliseconds(Math.Min(30000, 500 * Math.Pow(2, attempt - 1)));
            var samples = Enumerable.Range(0, 200).Select(_ => policy.Backoff(attempt)).ToList();

            Assert.All(samples, s => Assert.InRange(s, TimeSpan.Zero, cap));
            Assert.True(samples.Distinct().Count() > 100);
            Assert.InRange(samples.Average(s => s.TotalMilliseconds), cap.TotalMilliseconds * 0.35, cap.TotalMilliseconds * 0.65);
        }
    }

    [Fact]
    public void Gives_up_at_MaxAttempts()
    {
        var policy = Policy(options: new DeliveryOptions { MaxAttempts = 3 });

        Assert.True(policy.Decide(Lark(5000, 500), 2, TimeSpan.Zero).ShouldRetry);
        var decision = policy.Decide(Lark(5000, 500), 3, TimeSpan.Zero);

        Assert.False(decision.ShouldRetry);
        Assert.Contains("gave up after 3 attempts", decision.Reason);
    }

    [Fact]
    public void Gives_up_when_the_wait_would_pass_MaxTotalRetryWait()
    {
        var policy = Policy();
        var error = Lark(99991400, 429, TimeSpan.FromSeconds(10));

        Assert.True(policy.Decide(error, 2, TimeSpan.FromSeconds(100)).ShouldRetry);
        var decision = policy.Decide(error, 2, TimeSpan.FromSeconds(115));

        Assert.False(decision.ShouldRetry);
        Assert.Contains("retry budget", decision.Reason);
    }

    public static TheoryData<Exception> TransportErrors() => new()
    {
        new TaskCanceledException("HttpClient.Timeout"),
        new HttpRequestException("Connection refused (open.feishu.cn:443)"),
        new IOException("Connection reset by peer"),
        new System.Net.Sockets.SocketException(10054),
        new TimeoutException(),
        new LarkApiException("Timed out", 0, null, null, null, isTransport: true),
        new AggregateException(new HttpRequestException("reset")),
    };

    [Theory]
    [MemberData(nameof(TransportErrors))]
    public void Transport_failures_not_from_our_token_are_retried(Exception error)
    {
        var decision = Policy().Decide(error, 1, TimeSpan.Zero);

        Assert.True(decision.ShouldRetry, decision.Reason);
        Assert.Equal(FailureKind.Transport, decision.Failure);
    }

    [Fact]
    public void Cancellation_from_our_own_token_is_not_retried()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var decision = Policy().Decide(new TaskCanceledException(), 1, TimeSpan.Zero, cts.Token);

        Assert.False(decision.ShouldRetry);
        Assert.Equal(FailureKind.Canceled, decision.Failure);
    }

    [Fact]
    public void Unexpected_exceptions_are_final()
    {
        var decision = Policy().Decide(new InvalidOperationException("bug"), 1, TimeSpan.Zero);

        Assert.False(decision.ShouldRetry);
        Assert.Equal(FailureKind.Final, decision.Failure);
    }

    /// <summary>A Random that always answers the same fraction: jitter at a chosen point of its range.</summary>
    private sealed class FixedRandom : Random
    {
        private readonly double _value;

        public FixedRandom(double value) => _value = value;

        public override double NextDouble() => _value;

        protected override double Sample() => _value;
    }
}
