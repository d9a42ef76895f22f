using LarkPS.Sandbox.Quotas;

namespace LarkPS.Sandbox.State;

/// <summary>
/// Lark's per-message card update limit (5 PATCH a second on one message, 230020 beyond). A refused
/// update takes no slot, as with the send quotas.
/// </summary>
internal sealed class CardUpdateLimiter(SandboxOptions options)
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private readonly object gate = new();
    private readonly Dictionary<string, SlidingWindow> windows = new(StringComparer.Ordinal);

    public bool TryAdmit(DateTimeOffset now, string messageId)
    {
        if (!options.Quotas.Enabled)
        {
            return true;
        }

        lock (gate)
        {
            if (!windows.TryGetValue(messageId, out var window))
            {
                if (windows.Count > 10_000)
                {
                    foreach (var idle in windows.Where(pair => pair.Value.IsIdle(now)).Select(pair => pair.Key).ToList())
                    {
                        windows.Remove(idle);
                    }
                }

                window = new SlidingWindow(Second);
                windows[messageId] = window;
            }

            if (!window.HasRoom(now, options.MessageLimits.CardUpdatesPerSecond, out _))
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
            windows.Clear();
        }
    }
}
