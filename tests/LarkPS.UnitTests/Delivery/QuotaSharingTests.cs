using LarkPS.Pacing;
using Xunit;

namespace LarkPS.UnitTests.Delivery;

/// <summary>
/// Issue 24 items 2 and 3 on a fake clock: limiters of one app share the machine's file (two limiters stand for two
/// processes: each has its own file object, as two processes would), a crashed one's calls stop counting, nothing
/// secret is in the file; and AIMD cuts a limiter's share at refusals it cannot explain (once a round, toward what it was
/// getting), spreads its calls while the share is cut, and climbs back after.
/// </summary>
public sealed class QuotaSharingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "larkps-sharing-tests-" + Guid.NewGuid().ToString("N"));
    private readonly FakeClock _clock = new();

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static PacingOptions Options(int perSecond = 50, int perMinute = 1000, int perReceiver = 5) => new()
    {
        AppPerSecond = perSecond,
        AppPerMinute = perMinute,
        ReceiverPerSecond = perReceiver,
        RateWindowMargin = TimeSpan.Zero,
        SharedWindowMargin = TimeSpan.Zero,
    };

    private RateLimiter Process(PacingOptions options, string sharer = "app\ncli_test\nhttps://open.feishu.cn") =>
        new(options, _clock, options.RateWindowMargin, SharedQuotaFile.For(sharer, QuotaClass.Messages, options, _folder));

    [Fact]
    public void Two_processes_of_one_app_share_its_50_per_second()
    {
        var a = Process(Options(perReceiver: 0));
        var b = Process(Options(perReceiver: 0));

        var granted = 0;
        for (var i = 0; i < 40; i++)
        {
            granted += a.TryAcquire(null, out _) ? 1 : 0;
            granted += b.TryAcquire(null, out _) ? 1 : 0;
        }

        Assert.Equal(50, granted);
        Assert.False(a.TryAcquire(null, out var waitA));
        Assert.False(b.TryAcquire(null, out var waitB));
        Assert.Equal(TimeSpan.FromSeconds(1), waitA);
        Assert.Equal(TimeSpan.FromSeconds(1), waitB);

        // The scheduler reads the app as paused: nobody in b tries before the window frees.
        Assert.Equal(TimeSpan.FromSeconds(1), b.TimeUntilAvailable(null));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(b.TryAcquire(null, out _));
    }

    [Fact]
    public void A_different_app_or_host_or_an_opted_out_limiter_does_not_share()
    {
        var a = Process(Options(perReceiver: 0));
        var otherApp = Process(Options(perReceiver: 0), "app\ncli_other\nhttps://open.feishu.cn");
        var otherHost = Process(Options(perReceiver: 0), "app\ncli_test\nhttps://open.larksuite.com");
        var alone = new RateLimiter(Options(perReceiver: 0), _clock);
        for (var i = 0; i < 50; i++)
        {
            Assert.True(a.TryAcquire(null, out _));
        }

        Assert.False(a.TryAcquire(null, out _));
        Assert.True(otherApp.TryAcquire(null, out _));
        Assert.True(otherHost.TryAcquire(null, out _));
        Assert.True(alone.TryAcquire(null, out _));
    }

    [Fact]
    public void The_per_chat_window_is_shared_too()
    {
        var a = Process(Options());
        var b = Process(Options());
        for (var i = 0; i < 3; i++)
        {
            Assert.True(a.TryAcquire("chat_id:oc_1", out _));
        }

        Assert.True(b.TryAcquire("chat_id:oc_1", out _));
        Assert.True(b.TryAcquire("chat_id:oc_1", out _));
        Assert.False(b.TryAcquire("chat_id:oc_1", out var wait));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
        Assert.False(a.TryAcquire("chat_id:oc_1", out _));

        // Another chat is not held up, and the app's windows have room.
        Assert.True(b.TryAcquire("chat_id:oc_2", out _));
    }

    [Fact]
    public void A_crashed_processs_unanswered_calls_stop_counting_after_the_hold()
    {
        var options = Options(perSecond: 10, perReceiver: 0);
        var crashed = Process(options);
        var survivor = Process(options);

        // Ten requests leave and are never answered: the process died with them in flight.
        for (var i = 0; i < 10; i++)
        {
            Assert.True(crashed.TryReserve(null, null, out _, out _));
        }

        Assert.False(survivor.TryAcquire(null, out _));
        _clock.Advance(options.SharedUnansweredHold - TimeSpan.FromSeconds(1));
        Assert.False(survivor.TryAcquire(null, out _));

        // Counted as arriving no later than the hold: a second after it, the window is free.
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(survivor.TryAcquire(null, out _));
    }

    [Fact]
    public void An_answered_call_counts_at_its_arrival_estimate_for_the_others()
    {
        var options = Options(perSecond: 2, perReceiver: 0);
        var a = Process(options);
        var b = Process(options);
        Assert.True(a.TryReserve(null, null, out var first, out _));
        Assert.True(a.TryReserve(null, null, out var second, out _));
        first!.Leaving();
        second!.Leaving();
        Assert.False(b.TryAcquire(null, out _));

        // Answered 100 ms later: they arrived by then at the latest, and leave the window a second after their arrival.
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        first.Answered(roundTripKnown: false);
        second.Answered(roundTripKnown: false);
        _clock.Advance(TimeSpan.FromMilliseconds(900));
        Assert.False(b.TryAcquire(null, out var wait));
        Assert.Equal(TimeSpan.FromMilliseconds(100), wait);
        _clock.Advance(wait);
        Assert.True(b.TryAcquire(null, out _));
    }

    [Fact]
    public void The_file_holds_no_App_ID_host_receiver_or_hook_token()
    {
        const string token = "8b2f61c4-4a8e-4a3f-9d1e-3c1b2a7f9e10";
        var app = Process(Options(), "app\ncli_secretive_app\nhttps://open.feishu.cn");
        var hook = Process(Options(), "hook\nhttps://open.feishu.cn\n" + token);
        Assert.True(app.TryAcquire("chat_id:oc_private_chat", out _));
        Assert.True(hook.TryAcquire("hook", out _));

        var files = Directory.GetFiles(_folder);
        Assert.Equal(2, files.Length);
        foreach (var file in files)
        {
            Assert.Matches("^quota-[0-9a-f]{32}\\.bin$", Path.GetFileName(file));
            var text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(file));
            foreach (var secret in new[] { "cli_secretive_app", "feishu", "oc_private_chat", token, token.Substring(0, 8) })
            {
                Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(secret, System.Text.Encoding.Unicode.GetString(File.ReadAllBytes(file)), StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void Files_no_one_wrote_to_for_an_hour_are_deleted_and_the_others_kept()
    {
        Directory.CreateDirectory(_folder);
        var stale = Path.Combine(_folder, "quota-" + new string('a', 32) + ".bin");
        var fresh = Path.Combine(_folder, "quota-" + new string('b', 32) + ".bin");
        var other = Path.Combine(_folder, "notes.txt");
        foreach (var file in new[] { stale, fresh, other })
        {
            File.WriteAllBytes(file, new byte[16]);
        }

        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - SharedQuotaFolder.StaleAfter - TimeSpan.FromMinutes(1));
        File.SetLastWriteTimeUtc(other, DateTime.UtcNow - TimeSpan.FromDays(3));

        Assert.Equal(1, SharedQuotaFolder.Sweep(_folder, DateTime.UtcNow - SharedQuotaFolder.StaleAfter));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(other));

        // A connection's first use of the folder sweeps it, once per process.
        File.WriteAllBytes(stale, new byte[16]);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - TimeSpan.FromHours(2));
        var limiter = Process(Options());
        Assert.True(limiter.TryAcquire(null, out _));
        Assert.False(File.Exists(stale));
        Assert.Equal(0, SharedQuotaFolder.Sweep(Path.Combine(_folder, "missing"), DateTime.UtcNow));
    }

    [Fact]
    public void A_held_lock_lets_the_call_go_ahead_on_its_own_windows_after_the_timeout()
    {
        var options = Options(perReceiver: 0);
        options.SharedLockTimeout = TimeSpan.FromMilliseconds(50);
        var a = Process(options);
        Assert.True(a.TryAcquire(null, out _));
        var path = a.Shared!.Path;

        using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            Assert.True(a.TryAcquire(null, out _));
            Assert.Equal(1, a.Shared.Misses);
        }

        Assert.True(a.TryAcquire(null, out _));
        Assert.Equal(1, a.Shared.Misses);
    }

    // The share FairShare gives after a cut (issue 24): what we were getting less 10%, kept within [half, 85%] of the share
    // then, and at most (1 - slope x what we were getting) of it, but no deeper than 70% by the slope alone.
    private static double Cut(PacingOptions o, double current, double observed) =>
        Math.Max(o.ShareFloor, Math.Min(current * Math.Min(o.ShareDecrease, Math.Max(o.ShareSlopeDeepest, 1 - (o.ShareCutSlope * observed))), Math.Max(current * o.ShareDeepestDecrease, observed * o.ShareOfObserved)));

    // The share `seconds` after a cut to `after`: the climb quickens while no refusal comes.
    private static double Climb(PacingOptions o, double after, double seconds) =>
        Math.Min(1, after + (o.ShareIncreasePerSecond * seconds * (1 + (seconds / o.ShareQuickenEvery.TotalSeconds))));

    private PacingTicket Take(RateLimiter limiter, string? receiver = null)
    {
        Assert.True(limiter.TryReserve(receiver, null, out var ticket, out var wait), "the windows should have room, but said wait " + wait);
        ticket!.Leaving();
        ticket.HeadersIn();
        ticket.Answered(roundTripKnown: true);
        return ticket;
    }

    [Fact]
    public void AIMD_a_refusal_our_windows_cannot_explain_cuts_the_share_once_a_round_and_it_climbs_back()
    {
        var options = Options(perReceiver: 0);
        var limiter = new RateLimiter(options, _clock);
        for (var i = 0; i < 10; i++)
        {
            Take(limiter);
        }

        // Lark refused the 12th although we had 10 of 50 in the second before it: someone else spends the app's quota.
        // We were getting a fifth of the window; the first cut still keeps half (TCP's halving is the deepest).
        var early = Take(limiter);
        var refused = Take(limiter);
        limiter.OnAppRefusal(TimeSpan.FromSeconds(1), refused.Record);
        var afterFirst = Cut(options, 1, 11 / 50.0);
        Assert.Equal(0.5, afterFirst, 3);
        Assert.Equal(afterFirst, limiter.AppShare, 3);

        // A refusal of a call taken before that cut (in flight when it came) says nothing new.
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        limiter.OnAppRefusal(TimeSpan.FromSeconds(1), early.Record);
        Assert.Equal(Climb(options, afterFirst, 0.1), limiter.AppShare, 3);

        // One taken after it is the next round's signal: it cuts again, toward what we were getting (nothing else of
        // ours arrived in the second before it: the ten are older, the two refused took no slot).
        _clock.Advance(TimeSpan.FromSeconds(1));
        var climbed = Climb(options, afterFirst, 1.1);
        var late = Take(limiter);
        limiter.OnAppRefusal(TimeSpan.FromSeconds(1), late.Record);
        Assert.Equal(Cut(options, climbed, 0), limiter.AppShare, 3);

        // No refusal for long enough: the whole quota again, sooner than a straight line would climb (0.02/s: 25 s).
        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(1.0, limiter.AppShare, 3);
    }

    [Fact]
    public void AIMD_a_refusal_is_judged_by_the_calls_that_arrived_before_the_refused_one()
    {
        var options = Options(perReceiver: 0);
        var limiter = new RateLimiter(options, _clock);
        var tickets = new List<PacingTicket>();
        for (var i = 0; i < 50; i++)
        {
            tickets.Add(Take(limiter));
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        // Lark refused the last 20 (another process had their slots): before the first of them 30 of ours had arrived, so
        // the refusal is someone else's (our whole window, 50, would have called it ours), and we were getting 30 of 50.
        foreach (var ticket in tickets.Skip(30))
        {
            limiter.OnAppRefusal(TimeSpan.FromSeconds(1), ticket.Record);
        }

        Assert.Equal(Cut(options, 1, 30 / 50.0), limiter.AppShare, 3);
    }

    [Fact]
    public void AIMD_a_refused_call_leaves_the_window_it_took_no_slot_in()
    {
        var window = new ArrivalWindow();
        var records = Enumerable.Range(1, 3).Select(i => new SendRecord(null, i * 10L)).ToList();
        foreach (var record in records)
        {
            window.Add(record);
        }

        records[0].LeftAt = 10;
        records[0].AnswerKey = 15;
        records[0].AnsweredAt = 15;
        window.Answer(records[0]);
        Assert.Equal(3, window.Count(100, 0, 0));

        window.Remove(records[0]);
        window.Remove(records[2]);

        Assert.Equal(1, window.Count(100, 0, 0));
        Assert.Equal(0, window.CountBetween(100, 0, 100, 0));
        Assert.Equal(1, window.CountBetween(100, 0, 101, 0));
    }

    [Fact]
    public void AIMD_the_minute_windows_refusal_is_waited_out_not_learned_as_a_share()
    {
        var limiter = new RateLimiter(Options(perReceiver: 0), _clock);
        for (var i = 0; i < 5; i++)
        {
            Take(limiter);
        }

        // x-ogw-ratelimit-reset 30: the minute window is full (others spent it); the wait is the answer.
        var refused = Take(limiter);
        var wait = limiter.OnAppRefusal(TimeSpan.FromSeconds(30), refused.Record);

        Assert.Equal(1.0, limiter.AppShare, 3);
        Assert.True(wait >= TimeSpan.FromSeconds(29), "waits for the reset, less its rounding: " + wait);
    }

    [Fact]
    public void AIMD_a_cut_share_does_not_climb_while_the_minute_window_is_waited_out()
    {
        var options = Options(perReceiver: 0);
        var limiter = new RateLimiter(options, _clock);
        var refused = Take(limiter);
        limiter.OnAppRefusal(TimeSpan.FromSeconds(1), refused.Record);
        Assert.Equal(0.5, limiter.AppShare, 3);

        // Two seconds later the minute window is full: 30 s to wait, and nothing is sent meanwhile to test the share.
        _clock.Advance(TimeSpan.FromSeconds(2));
        var held = Climb(options, 0.5, 2);
        limiter.OnAppRefusal(TimeSpan.FromSeconds(30), null);
        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(held, limiter.AppShare, 3);

        // After the wait it climbs again from where it was.
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(limiter.AppShare > held && limiter.AppShare < 1, "climbs again after the wait: " + limiter.AppShare);
    }

    [Fact]
    public void AIMD_with_a_cut_share_calls_leave_spread_out_not_in_a_burst()
    {
        var options = Options(perReceiver: 0);
        var limiter = new RateLimiter(options, _clock);
        var refused = Take(limiter);
        limiter.OnAppRefusal(TimeSpan.FromSeconds(1), refused.Record);
        Assert.Equal(0.5, limiter.AppShare, 3);

        // At half of 50/s one call every 40 ms on average (each gap drawn from 0.7 to 1.3 of it), never 25 at once.
        _clock.Advance(TimeSpan.FromSeconds(2));
        Take(limiter);
        Assert.False(limiter.TryAcquire(null, out var gap), "a second call at the same instant must wait");
        var even = 1000 / (50 * limiter.AppShare);
        Assert.InRange(gap.TotalMilliseconds, (even * 0.7) - 1, (even * 1.3) + 1);
    }

    [Fact]
    public void AIMD_a_refusal_at_our_own_full_window_is_a_pacing_mistake_and_keeps_the_share()
    {
        var limiter = new RateLimiter(Options(perReceiver: 0), _clock);
        for (var i = 0; i < 50; i++)
        {
            Assert.True(limiter.TryAcquire(null, out _));
        }

        limiter.OnAppRefusal(TimeSpan.FromSeconds(1));

        Assert.Equal(1.0, limiter.AppShare, 3);
        Assert.True(limiter.LearnedMargin > TimeSpan.Zero, "the margin learns the mistake instead");
    }

    [Fact]
    public void AIMD_a_chat_other_bots_fill_gets_its_own_smaller_share()
    {
        var limiter = new RateLimiter(Options(), _clock);
        Assert.True(limiter.TryAcquire("chat_id:oc_busy", out _));

        limiter.OnReceiverRefusal("chat_id:oc_busy");

        // One of 5 was ours: the rest is other bots'; the first cut keeps half.
        Assert.Equal(0.5, limiter.ReceiverShare("chat_id:oc_busy"), 3);
        Assert.Equal(1.0, limiter.ReceiverShare("chat_id:oc_calm"), 3);
        Assert.Equal(1.0, limiter.AppShare, 3);
    }

    [Fact]
    public void AIMD_independent_senders_on_one_quota_converge_to_a_fair_share()
    {
        // Three senders that cannot see each other, each wanting the whole 50/s, against one server window that counts all
        // arrivals; each refusal goes to its sender. After a while every sender gets about a third, and the server is busy.
        var options = Options(perMinute: 0, perReceiver: 0);
        var senders = Enumerable.Range(0, 3).Select(_ => new RateLimiter(options, _clock)).ToArray();
        var server = new Queue<DateTimeOffset>();
        var sent = new int[3];
        var refused = 0;
        var step = TimeSpan.FromMilliseconds(5);
        var measureFrom = _clock.UtcNow + TimeSpan.FromSeconds(60);
        var random = new Random(42);
        var order = new[] { 0, 1, 2 };
        for (var t = 0; t < 72000; t++)
        {
            // Who reaches the server first at one instant varies, as on a real network.
            if (t % 3 == 0)
            {
                order = order.OrderBy(_ => random.Next()).ToArray();
            }

            var index = order[t % 3];
            var sender = senders[index];
            if (sender.TryReserve(null, null, out var ticket, out _))
            {
                ticket!.Leaving();
                ticket.HeadersIn();
                ticket.Answered(roundTripKnown: true);
                while (server.Count > 0 && server.Peek() <= _clock.UtcNow - TimeSpan.FromSeconds(1))
                {
                    server.Dequeue();
                }

                if (server.Count >= 50)
                {
                    refused++;
                    sender.OnAppRefusal(TimeSpan.FromSeconds(1), ticket.Record);
                }
                else
                {
                    server.Enqueue(_clock.UtcNow);
                    if (_clock.UtcNow >= measureFrom)
                    {
                        sent[index]++;
                    }
                }
            }

            if (t % 3 == 2)
            {
                _clock.Advance(step);
            }
        }

        var seconds = (72000 / 3 * step.TotalSeconds) - 60;
        var total = sent.Sum() / seconds;
        Console.WriteLine($"AIMD: {string.Join(", ", sent.Select(c => (c / seconds).ToString("0.0")))} per second, {refused} refusals");
        Assert.True(total > 50 * 0.6, $"the server was under-used: {total:0.0}/s");
        Assert.True(total <= 50.5, $"the server was over-used: {total:0.0}/s");
        foreach (var count in sent)
        {
            Assert.InRange(count / seconds, total / 3 * 0.6, total / 3 * 1.4);
        }


        Assert.True(refused > 0);
    }
}
