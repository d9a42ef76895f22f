using System.Collections.Concurrent;

namespace LarkPS.Sandbox.State;

/// <summary>
/// The hooks a sandbox knows: those of the directory (read per request, as the directory may be swapped)
/// and those registered at run time through the control API or <see cref="SandboxServer.RegisterHook"/>,
/// which win over a directory hook with the same token.
/// </summary>
internal sealed class HookRegistry(SandboxOptions options)
{
    private readonly ConcurrentDictionary<string, SandboxHook> registered = new(StringComparer.Ordinal);

    public SandboxHook? Find(string token) =>
        registered.TryGetValue(token, out var hook)
            ? hook
            : options.Directory.Hooks.FirstOrDefault(h => string.Equals(h.Token, token, StringComparison.Ordinal));

    public void Register(SandboxHook hook) => registered[hook.Token] = hook;

    public bool Remove(string token) => registered.TryRemove(token, out _);

    public IReadOnlyList<SandboxHook> All() =>
        registered.Values.Concat(options.Directory.Hooks.Where(h => !registered.ContainsKey(h.Token))).ToArray();
}
