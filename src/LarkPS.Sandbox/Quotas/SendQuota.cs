namespace LarkPS.Sandbox.Quotas;

/// <summary>
/// Lark's send-message quotas: per app 50/s and 1000/min (either trips HTTP 429, 99991400) and per
/// receiver 5/s (230020). A request that is refused takes no slot, so a client that waits for the
/// reset the sandbox announced does get through.
/// </summary>
internal sealed class SendQuota(SandboxQuotas settings)
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly object gate = new();
    private readonly SlidingWindow appSecond = new(Second);
    private readonly SlidingWindow appMinute = new(Minute);
    private readonly Dictionary<string, SlidingWindow> receivers = new(StringComparer.Ordinal);

    /// <summary>Checks and charges the app windows. On refusal: the limit that tripped and whole seconds to wait (≥ 1).</summary>
    public bool TryAdmitApp(DateTimeOffset now, out int limit, out int resetSeconds)
    {
        limit = 0;
        resetSeconds = 0;
        if (!settings.Enabled)
        {
            return true;
        }

        lock (gate)
        {
            var perSecond = settings.AppPerSecond;
            var perMinute = settings.AppPerMinute;
            var secondOk = appSecond.HasRoom(now, perSecond, out var secondWait);
            var minuteOk = appMinute.HasRoom(now, perMinute, out var minuteWait);
            if (secondOk && minuteOk)
            {
                appSecond.Admit(now);
                appMinute.Admit(now);
                return true;
            }

            // Announce the longer wait: after the shorter one the other window would still refuse.
            var (tripped, wait) = !minuteOk && (secondOk || minuteWait >= secondWait)
                ? (perMinute, minuteWait)
                : (perSecond, secondWait);
            limit = tripped;
            resetSeconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            return false;
        }
    }

    /// <summary>Checks and charges one receiver's window (the chat a message lands in).</summary>
    public bool TryAdmitReceiver(DateTimeOffset now, string receiverKey)
    {
        if (!settings.Enabled)
        {
            return true;
        }

        lock (gate)
        {
            if (!receivers.TryGetValue(receiverKey, out var window))
            {
                if (receivers.Count > 10_000)
                {
                    DropIdleReceivers(now);
                }

                window = new SlidingWindow(Second);
                receivers[receiverKey] = window;
            }

            if (!window.HasRoom(now, settings.ReceiverPerSecond, out _))
            {
                return false;
            }

            window.Admit(now);
            return true;
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            receivers.Clear();
            appSecond.Clear();
            appMinute.Clear();
        }
    }

    private void DropIdleReceivers(DateTimeOffset now)
    {
        foreach (var key in receivers.Where(pair => pair.Value.IsIdle(now)).Select(pair => pair.Key).ToList())
        {
            receivers.Remove(key);
        }
    }
}
