using System.Net;
using LarkPS.Pacing;
using LarkPS.Api;
using LarkPS.Delivery;

namespace LarkPS.UnitTests.Delivery;

/// <summary>
/// A discrete-event run of the delivery scheduler against a model of Lark on a fake clock: no thread, no sleep, and the
/// same result every time for a seed. The model counts the quotas on ARRIVAL, as Lark does: a request leaves when a
/// connection is ready (a new connection first pays its handshake), reaches Lark half a latency plus jitter later, is
/// counted or refused there, and its answer takes the other half plus jitter back.
/// </summary>
internal sealed class LarkSimulation
{
    private readonly FakeClock _clock = new();
    private readonly Random _random;
    private readonly SortedDictionary<(long At, long Seq), Action> _events = new();
    private readonly Queue<DateTimeOffset> _appSecond = new();
    private readonly Queue<DateTimeOffset> _appMinute = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _receivers = new(StringComparer.Ordinal);
    private long _sequence;

    private readonly int _seed;

    public LarkSimulation(int seed = 1)
    {
        _seed = seed;
        _random = new Random(seed);
    }

    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan Jitter { get; init; } = TimeSpan.FromMilliseconds(20);

    public TimeSpan Handshake { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Where a new connection's handshake shows: false, before the request can be written (a TLS handshake: the client
    /// waits for it); true, after (the server reads a new connection late, as LarkPS's sandbox does: the client writes at
    /// once and the handshake looks like a slower way in).
    /// </summary>
    public bool HandshakeHidden { get; init; }

    /// <summary>Kept-alive connections open when the run starts (Connect-Lark's token request leaves one).</summary>
    public int WarmConnections { get; init; } = 1;

    /// <summary>Whether the limiter hears when a request leaves (the HTTP body callback); without it only answers teach it.</summary>
    public bool ReportsLeaving { get; init; } = true;

    /// <summary>The old way, for contrast: the limiter takes every send as arrived the moment it was started.</summary>
    public bool CountAtDispatch { get; init; }

    public int AppPerSecond { get; init; } = 50;

    public int AppPerMinute { get; init; } = 1000;

    public int ReceiverPerSecond { get; init; } = 5;

    /// <summary>Called for each request as it reaches Lark: an exception to answer instead of the quota check, or null.</summary>
    public Func<string, int, Exception?>? Fault { get; init; }

    public FakeClock Clock => _clock;

    public DateTimeOffset Start { get; } = new FakeClock().UtcNow;

    public int Refused429 { get; private set; }

    public int Refused230020 { get; private set; }

    public int Requests { get; private set; }

    public int Connections { get; private set; }

    public int PeakInFlight { get; private set; }

    /// <summary>Every message Lark accepted: work, receiver and arrival time, in arrival order.</summary>
    public List<(string Work, string Receiver, DateTimeOffset At)> Delivered { get; } = new();

    /// <summary>Every first attempt as the scheduler started it: work and time, in start order.</summary>
    public List<(string Work, DateTimeOffset At)> Started { get; } = new();

    /// <summary>Every failure the scheduler gave up on, and the Retrying verdicts it gave.</summary>
    public List<string> Failures { get; } = new();

    public List<string> Retries { get; } = new();

    /// <summary>The time from the start to the last answer.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>
    /// Runs several senders at once on the same app, each with its own limiter and scheduler and no coordination between
    /// them (separate processes or machines, issue 24): Lark counts the app's and the receivers' quotas across them.
    /// Each sender's items are prefixed with its name; returns each sender's time from the start to its last answer.
    /// </summary>
    public IReadOnlyList<TimeSpan> RunMany(IReadOnlyList<IReadOnlyList<string>> itemsPerSender, DeliveryOptions options)
    {
        var senders = itemsPerSender.Select((items, i) => NewSender(items, options, (_seed * 100) + i, 3 + i)).ToList();
        while (senders.Any(s => s.Finished < s.Items.Count))
        {
            TimeSpan? wake = null;
            foreach (var sender in senders.Where(s => s.Finished < s.Items.Count))
            {
                while (sender.Next < sender.Items.Count && sender.Scheduler.HasRoom)
                {
                    var item = sender.Items[sender.Next];
                    sender.Scheduler.Accept(item, item.Split('#')[0]);
                    sender.Next++;
                }

                var due = sender.Scheduler.TakeDue(out var senderWake);
                foreach (var job in due)
                {
                    var current = sender;
                    Launch(current, job, () =>
                    {
                        current.Finished++;
                        current.FinishedAt = _clock.UtcNow - Start;
                    });
                }

                if (senderWake is { } w)
                {
                    wake = wake is { } earlier && earlier < w ? earlier : w;
                }
            }

            if (!StepToNextEvent(wake))
            {
                throw new InvalidOperationException("the run stalled");
            }
        }

        Elapsed = _clock.UtcNow - Start;
        Limiters = senders.Select(s => s.Limiter).ToList();
        return senders.Select(s => s.FinishedAt).ToList();
    }

    // One sender: its own limiter (spacing seeded), scheduler and retry policy, and the warm connections it starts with.
    private Sender NewSender(IReadOnlyList<string> items, DeliveryOptions options, int spacingSeed, int retrySeed)
    {
        var limiter = new RateLimiter(options.Pacing, _clock);
        limiter.SeedSpacing(spacingSeed);
        var scheduler = new DeliveryScheduler<string>(options, limiter, new RetryPolicy(options.Pacing, new Random(retrySeed)), _clock);
        return new Sender(items, limiter, scheduler) { IdleConnections = WarmConnections };
    }

    /// <summary>The limiters of the last <see cref="RunMany"/>, one per sender.</summary>
    public IReadOnlyList<RateLimiter> Limiters { get; private set; } = Array.Empty<RateLimiter>();

    private sealed class Sender
    {
        public Sender(IReadOnlyList<string> items, RateLimiter limiter, DeliveryScheduler<string> scheduler)
        {
            Items = items;
            Limiter = limiter;
            Scheduler = scheduler;
        }

        public IReadOnlyList<string> Items { get; }

        public RateLimiter Limiter { get; }

        public DeliveryScheduler<string> Scheduler { get; }

        public int IdleConnections { get; set; }

        public int Next { get; set; }

        public int Finished { get; set; }

        public TimeSpan FinishedAt { get; set; }
    }

    /// <summary>Runs <paramref name="items"/> (work "receiver#n") through a scheduler built on <paramref name="options"/>; returns the limiter it used.</summary>
    public RateLimiter Run(IReadOnlyList<string> items, DeliveryOptions options, int lookAhead = int.MaxValue)
    {
        var sender = NewSender(items, options, _seed, 3);
        var scheduler = sender.Scheduler;
        var next = 0;
        var finished = 0;
        while (finished < items.Count)
        {
            while (next < items.Count && scheduler.HasRoom && scheduler.Pending < lookAhead)
            {
                scheduler.Accept(items[next], items[next].Split('#')[0]);
                next++;
            }

            var due = scheduler.TakeDue(out var wake);
            foreach (var job in due)
            {
                Launch(sender, job, () => finished++);
            }

            PeakInFlight = Math.Max(PeakInFlight, scheduler.InFlight);
            if (!StepToNextEvent(wake))
            {
                throw new InvalidOperationException($"the run stalled with {items.Count - finished} items unfinished");
            }
        }

        Elapsed = _clock.UtcNow - Start;
        return sender.Limiter;
    }

    // One request on the wire: connection, arrival at Lark (quota counted there), answer back.
    private void Launch(Sender sender, DeliveryScheduler<string>.Job job, Action done)
    {
        var scheduler = sender.Scheduler;
        var ticket = job.Ticket!;
        if (job.Attempts == 1)
        {
            Started.Add((job.Work, _clock.UtcNow));
        }

        if (CountAtDispatch)
        {
            ticket.Leaving();
            ticket.Answered(roundTripKnown: false);
        }

        var connect = TimeSpan.Zero;
        ticket.Starting(warm: sender.IdleConnections > 0);
        if (sender.IdleConnections > 0)
        {
            sender.IdleConnections--;
        }
        else
        {
            Connections++;
            connect = Handshake;
        }

        var oneWay = Latency / 2;
        var hidden = HandshakeHidden ? connect : TimeSpan.Zero;
        At(connect - hidden, () =>
        {
            if (ReportsLeaving)
            {
                ticket.Leaving();
            }

            At(hidden + oneWay + Jittered(), () =>
            {
                Requests++;
                var answer = Arrive(job.Work, job.Key!, job.Attempts);
                if (answer is LarkApiException refusal)
                {
                    // As the choke point does: the refusal carries the request's ticket, so the limiter knows which call it was.
                    refusal.Pacing = ticket;
                }

                At(oneWay + Jittered(), () =>
                {
                    sender.IdleConnections++;

                    // What the choke point reports: the headers are in (the scheduler ends the place it reserved).
                    ticket.HeadersIn();
                    if (answer is null)
                    {
                        scheduler.Succeeded(job);
                        done();
                        return;
                    }

                    var verdict = scheduler.Failed(job, answer, CancellationToken.None);
                    if (verdict.Kind == DeliveryEventKind.Retrying)
                    {
                        Retries.Add(job.Work + ": " + verdict.Reason);
                    }
                    else
                    {
                        Failures.Add(job.Work + ": " + verdict.Reason);
                        done();
                    }
                });
            });
        });
    }

    private Exception? Arrive(string work, string receiver, int attempt)
    {
        if (Fault?.Invoke(work, attempt) is { } fault)
        {
            return fault;
        }

        var now = _clock.UtcNow;
        Evict(_appSecond, now, TimeSpan.FromSeconds(1));
        Evict(_appMinute, now, TimeSpan.FromMinutes(1));
        if (_appSecond.Count >= AppPerSecond || _appMinute.Count >= AppPerMinute)
        {
            Refused429++;
            var oldest = _appSecond.Count >= AppPerSecond ? _appSecond.Peek() + TimeSpan.FromSeconds(1) : _appMinute.Peek() + TimeSpan.FromMinutes(1);
            var reset = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((oldest - now).TotalSeconds)));
            return new LarkApiException("frequency limit", LarkErrorCodes.AppFrequencyLimit, "limit", (HttpStatusCode)429, "log", reset);
        }

        if (!_receivers.TryGetValue(receiver, out var window))
        {
            window = new Queue<DateTimeOffset>();
            _receivers[receiver] = window;
        }

        Evict(window, now, TimeSpan.FromSeconds(1));
        if (window.Count >= ReceiverPerSecond)
        {
            Refused230020++;
            return new LarkApiException("receiver limit", LarkErrorCodes.ReceiverFrequencyLimit, "limit", HttpStatusCode.BadRequest, "log");
        }

        _appSecond.Enqueue(now);
        _appMinute.Enqueue(now);
        window.Enqueue(now);
        Delivered.Add((work, receiver, now));
        return null;
    }

    private static void Evict(Queue<DateTimeOffset> window, DateTimeOffset now, TimeSpan length)
    {
        while (window.Count > 0 && window.Peek() + length <= now)
        {
            window.Dequeue();
        }
    }

    // Jitter is the round trip's spread: each way varies by up to half of it.
    private TimeSpan Jittered() => TimeSpan.FromTicks((long)(_random.NextDouble() * Jitter.Ticks / 2));

    private void At(TimeSpan after, Action action) => _events.Add((_clock.UtcNow.UtcTicks + after.Ticks, ++_sequence), action);

    // Moves the clock to the earlier of the next event and the scheduler's wake-up, running every event due then.
    private bool StepToNextEvent(TimeSpan? wake)
    {
        var now = _clock.UtcNow.UtcTicks;
        long? target = wake is { } w ? now + Math.Max(w.Ticks, 1) : null;
        if (_events.Count > 0)
        {
            var first = _events.Keys.First().At;
            target = target is { } t ? Math.Min(t, first) : first;
        }

        if (target is null)
        {
            return false;
        }

        if (target.Value > now)
        {
            _clock.Advance(TimeSpan.FromTicks(target.Value - now));
        }

        while (_events.Count > 0 && _events.Keys.First().At <= _clock.UtcNow.UtcTicks)
        {
            var key = _events.Keys.First();
            var action = _events[key];
            _events.Remove(key);
            action();
        }

        return true;
    }

    /// <summary>The shortest time Lark's windows allow for <paramref name="items"/>, in the order given, plus one latency.</summary>
    public static TimeSpan Limit(IReadOnlyList<string> items, int perSecond, int perMinute, int perReceiver, TimeSpan latency)
    {
        var second = new Queue<double>();
        var minute = new Queue<double>();
        var receivers = new Dictionary<string, Queue<double>>(StringComparer.Ordinal);
        var last = 0.0;
        var byReceiver = items.GroupBy(i => i.Split('#')[0]).ToDictionary(g => g.Key, g => new Queue<string>(g));

        // Greedy: at each step send, among receivers with work, the one whose next slot is earliest (ties: input order).
        var remaining = items.Count;
        var order = items.Select(i => i.Split('#')[0]).Distinct().ToList();
        while (remaining > 0)
        {
            var bestAt = double.MaxValue;
            string? best = null;
            var app = Math.Max(Free(second, perSecond, 1, last), Free(minute, perMinute, 60, last));
            foreach (var receiver in order)
            {
                if (byReceiver[receiver].Count == 0)
                {
                    continue;
                }

                var window = receivers.TryGetValue(receiver, out var q) ? q : receivers[receiver] = new Queue<double>();
                var at = Math.Max(app, Free(window, perReceiver, 1, last));
                if (at < bestAt)
                {
                    bestAt = at;
                    best = receiver;
                }
            }

            byReceiver[best!].Dequeue();
            second.Enqueue(bestAt);
            minute.Enqueue(bestAt);
            receivers[best!].Enqueue(bestAt);
            last = bestAt;
            remaining--;
        }

        return TimeSpan.FromSeconds(last) + latency;

        static double Free(Queue<double> window, int limit, double length, double now)
        {
            if (window.Count < limit)
            {
                return now;
            }

            var times = window.ToArray();
            return Math.Max(now, times[^limit] + length);
        }
    }
}
