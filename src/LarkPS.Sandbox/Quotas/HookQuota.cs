namespace LarkPS.Sandbox.Quotas;

/// <summary>
/// Lark's custom-bot quota: per hook 100 requests a minute and 5 a second; either answers code 11232
/// (HTTP 200). Counted when a request arrives for a known hook; a refused request takes no slot, like the
/// send quota. Whether Lark charges refused requests too is unconfirmed.
/// </summary>
internal sealed class HookQuota(SandboxOptions options)
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly object gate = new();
    private readonly Dictionary<string, (SlidingWindow Second, SlidingWindow Minute)> hooks = new(StringComparer.Ordinal);
    private int refused;

    /// <summary>Requests answered 11232 since the last reset.</summary>
    public int Refused => Volatile.Read(ref refused);

    public bool TryAdmit(DateTimeOffset now, string token)
    {
        var settings = options.HookQuotas;
        if (!settings.Enabled || !options.Quotas.Enabled)
        {
            return true;
        }

        lock (gate)
        {
            if (!hooks.TryGetValue(token, out var windows))
            {
                windows = (new SlidingWindow(Second), new SlidingWindow(Minute));
                hooks[token] = windows;
            }

            if (windows.Second.HasRoom(now, settings.PerSecond, out _) && windows.Minute.HasRoom(now, settings.PerMinute, out _))
            {
                windows.Second.Admit(now);
                windows.Minute.Admit(now);
                return true;
            }

            Interlocked.Increment(ref refused);
            return false;
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            hooks.Clear();
            Volatile.Write(ref refused, 0);
        }
    }
}
