using System;
using System.Linq;
using System.Net;
using System.Threading;

namespace LarkPS.Api;

/// <summary>
/// Where one choke point writes its -Debug lines: the logs of the commands that asked for -Debug and use this
/// connection now. The choke point gets it at construction; a command attaches its log for as long as it runs and
/// writes the lines on its own pipeline thread. With nothing attached the choke point formats nothing.
/// </summary>
/// <remarks>Thread-safe: the choke point writes from any thread; attaching swaps an immutable array.</remarks>
internal sealed class HttpDebugTap
{
    private HttpDebugLog[] _logs = Array.Empty<HttpDebugLog>();

    /// <summary>True while some log is attached.</summary>
    public bool IsActive => Volatile.Read(ref _logs).Length > 0;

    /// <summary>Writes every line of this connection to <paramref name="log"/> until the result is disposed.</summary>
    public IDisposable Attach(HttpDebugLog log)
    {
        if (log is null)
        {
            throw new ArgumentNullException(nameof(log));
        }

        Swap(logs => logs.Contains(log) ? logs : logs.Concat(new[] { log }).ToArray());
        return new Attachment(this, log);
    }

    internal void Request(LarkRequest request) => Write(() => HttpDebugLog.RequestLine(request));

    internal void Answer(LarkRequest request, HttpStatusCode? status, int? code, string? logId, TimeSpan took) =>
        Write(() => HttpDebugLog.AnswerLine(request, status, code, logId, took));

    internal void NoAnswer(LarkRequest request, string why, TimeSpan took) => Write(() => HttpDebugLog.NoAnswerLine(request, why, took));

    // The line is made once, and only when someone reads it.
    private void Write(Func<string> line)
    {
        var logs = Volatile.Read(ref _logs);
        if (logs.Length == 0)
        {
            return;
        }

        var text = line();
        foreach (var log in logs)
        {
            log.Add(text);
        }
    }

    private void Swap(Func<HttpDebugLog[], HttpDebugLog[]> change)
    {
        while (true)
        {
            var before = Volatile.Read(ref _logs);
            if (Interlocked.CompareExchange(ref _logs, change(before), before) == before)
            {
                return;
            }
        }
    }

    private sealed class Attachment : IDisposable
    {
        private HttpDebugTap? _tap;
        private readonly HttpDebugLog _log;

        public Attachment(HttpDebugTap tap, HttpDebugLog log)
        {
            _tap = tap;
            _log = log;
        }

        public void Dispose() => Interlocked.Exchange(ref _tap, null)?.Swap(logs => logs.Where(l => l != _log).ToArray());
    }
}
