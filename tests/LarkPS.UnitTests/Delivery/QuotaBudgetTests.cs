using LarkPS.Pacing;
using LarkPS.Api;
using LarkPS.Delivery;
using Xunit;
using static LarkPS.UnitTests.Delivery.EngineTestKit;

namespace LarkPS.UnitTests.Delivery;

/// <summary>
/// Issue 24 item 1: a quota refusal means "not yet", never "no". Refusals (429 / 99991400, 230020, a hook's 11232) are
/// retried as the reset header and the item's time budget (its deadline) say, never ended by an attempt count; a spent
/// budget fails exactly the refused item with QuotaBudgetSpent. Step by step on a fake clock.
/// </summary>
public class QuotaBudgetTests
{
    private readonly FakeClock _clock = new();

    private DeliveryScheduler<string> Scheduler(DeliveryOptions options, out RateLimiter limiter)
    {
        limiter = new RateLimiter(options.Pacing, _clock);
        return new DeliveryScheduler<string>(options, limiter, new RetryPolicy(options.Pacing, new FixedRandom(0.5)), _clock);
    }

    private static DeliveryOptions Options(TimeSpan deadline, int maxAttempts = 8)
    {
        var options = new DeliveryOptions { ItemDeadline = deadline, MaxAttempts = maxAttempts };
        options.MaxTotalRetryWait = deadline > options.MaxTotalRetryWait ? deadline : options.MaxTotalRetryWait;
        return options;
    }

    // Runs the scheduler until every accepted item is finished; `answer` says how each attempt ends (null: success).
    private Dictionary<string, (DeliveryEventKind Kind, int Attempts, Exception? Error)> Drive(
        DeliveryScheduler<string> scheduler, Func<DeliveryScheduler<string>.Job, Exception?> answer, TimeSpan giveUpAfter)
    {
        var done = new Dictionary<string, (DeliveryEventKind, int, Exception?)>();
        var end = _clock.UtcNow + giveUpAfter;
        while (scheduler.Pending > 0)
        {
            Assert.True(_clock.UtcNow < end, "the scheduler did not finish the items in time");
            var due = scheduler.TakeDue(out var wake);
            foreach (var job in due)
            {
                _clock.Advance(TimeSpan.FromMilliseconds(5));
                if (answer(job) is { } error)
                {
                    var verdict = scheduler.Failed(job, error, CancellationToken.None);
                    if (verdict.Kind != DeliveryEventKind.Retrying)
                    {
                        done[job.Work] = (verdict.Kind, job.Attempts, verdict.Error ?? error);
                    }
                }
                else
                {
                    scheduler.Succeeded(job);
                    done[job.Work] = (DeliveryEventKind.Succeeded, job.Attempts, null);
                }
            }

            if (due.Count == 0)
            {
                _clock.Advance(wake ?? TimeSpan.FromMilliseconds(10));
            }
        }

        return done;
    }

    [Fact]
    public void A_storm_of_app_refusals_longer_than_MaxAttempts_still_delivers_within_the_budget()
    {
        var scheduler = Scheduler(Options(TimeSpan.FromMinutes(2)), out var limiter);
        scheduler.Accept("a#1", "a");
        var refusals = 0;
        var started = _clock.UtcNow;

        // Twenty refusals in a row, each with x-ogw-ratelimit-reset 1 s: far past the 8 attempts of the count.
        var done = Drive(scheduler, job => refusals++ < 20 ? Lark(LarkErrorCodes.AppFrequencyLimit, 429, TimeSpan.FromSeconds(1)) : null, TimeSpan.FromMinutes(3));

        var result = done["a#1"];
        Assert.Equal(DeliveryEventKind.Succeeded, result.Kind);
        Assert.Equal(21, result.Attempts);
        Assert.Equal(20, limiter.Refusals);

        // The waits followed the reset (1 s plus at most the 250 ms jitter), not an exponential backoff to 30 s.
        Assert.InRange((_clock.UtcNow - started).TotalSeconds, 19, 20 * 1.25 + 1);
    }

    [Fact]
    public void A_storm_of_receiver_refusals_without_a_reset_backs_off_at_most_MaxQuotaBackoff()
    {
        var options = Options(TimeSpan.FromMinutes(2));
        var scheduler = Scheduler(options, out _);
        scheduler.Accept("a#1", "a");
        var refusals = 0;
        var started = _clock.UtcNow;

        var done = Drive(scheduler, job => refusals++ < 15 ? Lark(LarkErrorCodes.ReceiverFrequencyLimit) : null, TimeSpan.FromMinutes(3));

        Assert.Equal(DeliveryEventKind.Succeeded, done["a#1"].Kind);
        Assert.Equal(16, done["a#1"].Attempts);
        Assert.InRange((_clock.UtcNow - started).TotalSeconds, 15 * 1.0, (15 * options.Pacing.MaxQuotaBackoff.TotalSeconds) + 1);
    }

    [Fact]
    public void A_spent_budget_fails_exactly_the_refused_items_with_QuotaBudgetSpent()
    {
        var scheduler = Scheduler(Options(TimeSpan.FromSeconds(10)), out _);
        scheduler.Accept("busy#1", "busy");
        scheduler.Accept("busy#2", "busy");
        scheduler.Accept("calm#1", "calm");
        scheduler.Accept("calm#2", "calm");

        // The chat "busy" is full with other bots' messages for good: 230020 on every attempt.
        var done = Drive(scheduler, job => job.Key == "busy" ? Lark(LarkErrorCodes.ReceiverFrequencyLimit) : null, TimeSpan.FromMinutes(1));

        Assert.Equal(DeliveryEventKind.Succeeded, done["calm#1"].Kind);
        Assert.Equal(DeliveryEventKind.Succeeded, done["calm#2"].Kind);
        foreach (var item in new[] { "busy#1", "busy#2" })
        {
            var (kind, attempts, error) = done[item];
            Assert.Equal(DeliveryEventKind.Failed, kind);
            var spent = Assert.IsType<ItemDeadlineException>(error);
            Assert.Equal(ErrorIds.QuotaBudgetSpent, spent.ErrorId);
            Assert.False(spent.MayHaveArrived);
            Assert.Equal(ItemDeadlineException.QuotaAdvice, spent.Advice);
            Assert.Contains("time budget of 10.0 s (-DeadlineSec) is spent", spent.Message, StringComparison.Ordinal);
            Assert.Contains("It did not arrive", spent.Message, StringComparison.Ordinal);
            Assert.True(attempts > 1, "the item was retried while its budget lasted");
        }
    }

    [Fact]
    public void Quota_refusals_do_not_count_against_MaxAttempts_but_other_failures_still_do()
    {
        var scheduler = Scheduler(Options(TimeSpan.FromMinutes(2), maxAttempts: 3), out _);
        scheduler.Accept("a#1", "a");
        var attempt = 0;

        // Two refusals, then server errors: three counted attempts end it, five made in all.
        var done = Drive(scheduler, job => ++attempt <= 2 ? Lark(LarkErrorCodes.AppFrequencyLimit, 429, TimeSpan.FromSeconds(1)) : Lark(LarkErrorCodes.ServerError, 500), TimeSpan.FromMinutes(3));

        var (kind, attempts, error) = done["a#1"];
        Assert.Equal(DeliveryEventKind.Failed, kind);
        Assert.Equal(5, attempts);
        Assert.Equal(LarkErrorCodes.ServerError, Assert.IsType<LarkApiException>(error).Code);
    }

    [Fact]
    public void A_refusals_reason_names_the_budget_once_the_attempt_count_is_passed()
    {
        var policy = new RetryPolicy(new DeliveryOptions().Pacing, new FixedRandom(0.5));

        var early = policy.Decide(Lark(LarkErrorCodes.AppFrequencyLimit, 429, TimeSpan.FromSeconds(1)), 3, TimeSpan.Zero, CancellationToken.None, quotaRefusals: 2);
        var late = policy.Decide(Lark(LarkErrorCodes.AppFrequencyLimit, 429, TimeSpan.FromSeconds(1)), 12, TimeSpan.Zero, CancellationToken.None, quotaRefusals: 11);
        var server = policy.Decide(Lark(LarkErrorCodes.ServerError, 500), 12, TimeSpan.Zero, CancellationToken.None, quotaRefusals: 11);

        Assert.True(early.ShouldRetry);
        Assert.Contains("(attempt 4 of 8)", early.Reason, StringComparison.Ordinal);
        Assert.True(late.ShouldRetry, late.Reason);
        Assert.Contains("(attempt 13; quota refusals are retried until the item's deadline)", late.Reason, StringComparison.Ordinal);
        Assert.True(server.ShouldRetry, "one counted attempt so far: 11 of the 12 were refusals");
        Assert.Contains("(attempt 2 of 8)", server.Reason, StringComparison.Ordinal);
    }

    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
