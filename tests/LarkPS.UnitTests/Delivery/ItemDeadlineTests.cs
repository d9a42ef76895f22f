using System.Net.Http;
using LarkPS.Pacing;
using LarkPS.Api;
using LarkPS.Delivery;
using Xunit;
using static LarkPS.UnitTests.Delivery.EngineTestKit;

namespace LarkPS.UnitTests.Delivery;

/// <summary>
/// One deadline per item (issue 14: a hung server held one message 290 s while the README promised 2 minutes): request
/// time and waits between attempts count against it alike, and a wait Lark asks for past it fails the item at once.
/// Step by step on a fake clock: no thread, no sleep.
/// </summary>
public class ItemDeadlineTests
{
    private readonly FakeClock _clock = new();

    private DeliveryScheduler<string> Scheduler(DeliveryOptions options, out RateLimiter limiter, double jitter = 0.5)
    {
        limiter = new RateLimiter(options.Pacing, _clock);
        return new DeliveryScheduler<string>(options, limiter, new RetryPolicy(options.Pacing, new FixedRandom(jitter)), _clock);
    }

    private static DeliveryOptions Options(TimeSpan deadline)
    {
        var options = Unlimited();
        options.ItemDeadline = deadline;
        options.MaxTotalRetryWait = TimeSpan.FromHours(1);
        options.BaseBackoff = TimeSpan.FromSeconds(1);
        return options;
    }

    private static LarkApiException NoAnswer() =>
        new("the request to open.feishu.cn timed out after 30 s", 0, null, null, null, isTransport: true, innerException: new TaskCanceledException());

    [Fact]
    public void Request_time_and_backoff_count_against_one_deadline_and_a_retry_that_would_end_after_it_fails_the_item()
    {
        var scheduler = Scheduler(Options(TimeSpan.FromSeconds(10)), out _);
        scheduler.Accept("a#1", "a");

        var first = Assert.Single(scheduler.TakeDue(out _));
        _clock.Advance(TimeSpan.FromSeconds(4));
        var retry = scheduler.Failed(first, NoAnswer(), CancellationToken.None);
        Assert.Equal(DeliveryEventKind.Retrying, retry.Kind);
        Assert.Equal(TimeSpan.FromSeconds(0.5), retry.Delay);
        Assert.Equal(TimeSpan.FromSeconds(6), scheduler.TimeLeft(first));

        _clock.Advance(retry.Delay);
        var second = Assert.Single(scheduler.TakeDue(out _));
        Assert.Equal(TimeSpan.FromSeconds(5.5), scheduler.TimeLeft(second));
        _clock.Advance(TimeSpan.FromSeconds(5));

        // Left: 0.5 s; the next backoff (1 s × 2 × 0.5) is 1 s.
        var verdict = scheduler.Failed(second, NoAnswer(), CancellationToken.None);

        Assert.Equal(DeliveryEventKind.Failed, verdict.Kind);
        var late = Assert.IsType<ItemDeadlineException>(verdict.Error);
        Assert.True(late.MayHaveArrived);
        Assert.Equal(TimeSpan.FromSeconds(10), late.Deadline);
        Assert.Contains("deadline of 10.0 s", late.Message, StringComparison.Ordinal);
        Assert.Contains("would have waited 1.0 s, longer than the 0.50 s left (2 attempt(s)", late.Message, StringComparison.Ordinal);
        Assert.Contains("It may have arrived", late.Message, StringComparison.Ordinal);
        Assert.Contains("same uuid", late.Advice, StringComparison.Ordinal);
        Assert.Contains("-DeadlineSec", late.Advice, StringComparison.Ordinal);
        Assert.Same(verdict.Error!.InnerException, second.LastError);
        Assert.Equal(0, scheduler.Pending);
    }

    [Fact]
    public void An_attempt_that_ends_after_the_deadline_fails_the_item_whatever_attempts_are_left()
    {
        var scheduler = Scheduler(Options(TimeSpan.FromMinutes(2)), out _);
        scheduler.Accept("a#1", "a");
        var job = Assert.Single(scheduler.TakeDue(out _));
        _clock.Advance(TimeSpan.FromSeconds(121));

        var verdict = scheduler.Failed(job, Lark(LarkErrorCodes.ServerError, 500), CancellationToken.None);

        Assert.Equal(DeliveryEventKind.Failed, verdict.Kind);
        var expired = Assert.IsType<ItemDeadlineException>(verdict.Error);
        Assert.Contains("within its deadline of 2 min (1 attempt(s); the last: Lark said", expired.Message, StringComparison.Ordinal);
        Assert.True(expired.MayHaveArrived);
    }

    [Fact]
    public void An_attempt_the_engine_cancelled_at_the_deadline_fails_the_item_even_if_this_clock_shows_time_left()
    {
        var scheduler = Scheduler(Options(TimeSpan.FromSeconds(30)), out _);
        scheduler.Accept("a#1", "a");
        var job = Assert.Single(scheduler.TakeDue(out _));
        job.CutByDeadline = true;

        var verdict = scheduler.Failed(job, new TaskCanceledException(), CancellationToken.None);

        Assert.Equal(DeliveryEventKind.Failed, verdict.Kind);
        var expired = Assert.IsType<ItemDeadlineException>(verdict.Error);
        Assert.Contains("the last: no answer before the deadline", expired.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rate_limit_reset_longer_than_what_is_left_fails_at_once_and_says_it_did_not_arrive()
    {
        var scheduler = Scheduler(Options(TimeSpan.FromMinutes(2)), out var limiter);
        scheduler.Accept("a#1", "a");
        scheduler.Accept("b#1", "b");
        var jobs = scheduler.TakeDue(out _);
        _clock.Advance(TimeSpan.FromSeconds(1));

        var shortWait = scheduler.Failed(jobs[0], Lark(LarkErrorCodes.AppFrequencyLimit, 429, TimeSpan.FromSeconds(2)), CancellationToken.None);
        var hour = scheduler.Failed(jobs[1], Lark(LarkErrorCodes.AppFrequencyLimit, 429, TimeSpan.FromHours(1)), CancellationToken.None);

        Assert.Equal(DeliveryEventKind.Retrying, shortWait.Kind);
        Assert.Equal(DeliveryEventKind.Failed, hour.Kind);
        var tooLong = Assert.IsType<ItemDeadlineException>(hour.Error);
        Assert.False(tooLong.MayHaveArrived);
        Assert.Contains("asked to wait 60 min (x-ogw-ratelimit-reset or Retry-After), longer than the 119.0 s left of its deadline of 2 min", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("failed at once. It did not arrive", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("once the wait is over", tooLong.Advice, StringComparison.Ordinal);
        Assert.Contains("-DeadlineSec", tooLong.Advice, StringComparison.Ordinal);
        Assert.Equal(1, scheduler.Pending);

        // The limiter still heard of the refusal: the app pauses as Lark asked.
        Assert.True(limiter.TimeUntilAvailable(null) > TimeSpan.FromMinutes(59));
    }

    [Fact]
    public void A_receivers_Retry_After_longer_than_what_is_left_fails_that_item_at_once()
    {
        var scheduler = Scheduler(Options(TimeSpan.FromSeconds(20)), out _);
        scheduler.Accept("a#1", "a");
        var job = Assert.Single(scheduler.TakeDue(out _));

        var verdict = scheduler.Failed(job, Lark(LarkErrorCodes.ReceiverFrequencyLimit, 400, TimeSpan.FromSeconds(30)), CancellationToken.None);

        Assert.Equal(DeliveryEventKind.Failed, verdict.Kind);
        Assert.Contains("asked to wait 30.0 s", Assert.IsType<ItemDeadlineException>(verdict.Error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_deadline_runs_from_the_first_attempt_not_from_the_time_spent_waiting_for_a_first_slot()
    {
        var scheduler = Scheduler(Options(TimeSpan.FromSeconds(10)), out _);
        scheduler.Accept("a#1", "a");
        _clock.Advance(TimeSpan.FromMinutes(10));

        var job = Assert.Single(scheduler.TakeDue(out _));
        _clock.Advance(TimeSpan.FromSeconds(2));
        var verdict = scheduler.Failed(job, Lark(LarkErrorCodes.ServerError, 500), CancellationToken.None);

        Assert.Equal(DeliveryEventKind.Retrying, verdict.Kind);
        Assert.Null(verdict.Error);
        Assert.Equal(TimeSpan.FromSeconds(8), scheduler.TimeLeft(job));
    }

    [Fact]
    public void ItemDeadline_defaults_to_two_minutes_and_refuses_nonsense()
    {
        Assert.Equal(TimeSpan.FromMinutes(2), new DeliveryOptions().ItemDeadline);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeliveryOptions { ItemDeadline = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeliveryOptions { ItemDeadline = TimeSpan.FromDays(2) });
    }

    private sealed class FixedRandom : Random
    {
        private readonly double _value;

        public FixedRandom(double value) => _value = value;

        public override double NextDouble() => _value;

        protected override double Sample() => _value;
    }
}
