using LarkPS.Pacing;
using Xunit;

namespace LarkPS.UnitTests.Delivery;

/// <summary>
/// Issue 24 items 2 and 3 on a fake clock: limiters of one app share the machine's file (two limiters stand for two
/// processes: each has its own file object, as two processes would), a crashed one's calls stop counting, nothing
/// secret is in the file; and AIMD halves a limiter's share at refusals it cannot explain and climbs back after.
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

    [Fact]
    public void AIMD_a_refusal_our_windows_cannot_explain_halves_the_share_and_it_climbs_back()
    {
        var options = Options(perReceiver: 0);
        var limiter = new RateLimiter(options, _clock);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(limiter.TryAcquire(null, out _));
        }

        // Lark refused although we sent 10 of 50 this second: someone else spends the app's quota.
        limiter.OnAppRefusal(TimeSpan.FromSeconds(1));
        Assert.Equal(0.5, limiter.AppShare, 3);

        // Refusals within the same second are one signal.
        limiter.OnAppRefusal(TimeSpan.FromSeconds(1));
        Assert.Equal(0.5, limiter.AppShare, 3);
        _clock.Advance(TimeSpan.FromSeconds(1));
        limiter.OnAppRefusal(TimeSpan.FromSeconds(1));
        Assert.Equal((0.5 + 0.02) * 0.5, limiter.AppShare, 3);

        // The windows now allow the share: 13 of 50 a second.
        _clock.Advance(TimeSpan.FromSeconds(2));
        var granted = 0;
        while (limiter.TryAcquire(null, out _))
        {
            granted++;
        }

        Assert.Equal((int)Math.Floor(50 * ((0.26) + (2 * 0.02))), granted);

        // No refusal for long enough: the whole quota again.
        _clock.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(1.0, limiter.AppShare, 3);
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
            if (sender.TryAcquire(null, out _))
            {
                while (server.Count > 0 && server.Peek() <= _clock.UtcNow - TimeSpan.FromSeconds(1))
                {
                    server.Dequeue();
                }

                if (server.Count >= 50)
                {
                    refused++;
                    sender.OnAppRefusal(TimeSpan.FromSeconds(1));
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
