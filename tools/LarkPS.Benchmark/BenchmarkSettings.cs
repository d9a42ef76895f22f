using System.Globalization;

namespace LarkPS.Benchmark;

/// <summary>The command line of the benchmark: latencies, the sandbox's jitter and handshake, quick or full.</summary>
internal sealed record BenchmarkSettings(IReadOnlyList<int> LatenciesMs, int JitterMs, int HandshakeMs, int Parallel, int Stream, bool Quick, bool Node)
{
    /// <summary>Only the workloads whose name contains this (case-insensitive); null for all.</summary>
    public string? Only { get; init; }

    /// <summary>A folder to write, per run, when each send reached the sandbox and what it answered; null for none.</summary>
    public string? TraceFolder { get; init; }

    /// <summary>With --only shared: only these runs, e.g. "3off,5off" (processes and sharing); null for all five.</summary>
    public string? Runs { get; init; }

    public const string Usage =
        "Usage: dotnet run --project tools/LarkPS.Benchmark -c Release [-- --quick] [--latencies 20,100,300] [--jitter-ms 20] [--handshake-ms 50] [--parallel 20] [--stream 100000] [--no-node] [--only phone] [--trace /tmp/trace]\n" +
        "  --quick         a few minutes: 60 (not 300) messages to 1 chat, 1,100 to 110 users (not 2,000 to 200), that one at 100 ms only, no memory pass\n" +
        "  --latencies     round trips the sandbox adds to every API call, comma-separated (default 20,100,300)\n" +
        "  --jitter-ms     how much each round trip varies, half each way (default 20)\n" +
        "  --handshake-ms  delay before a new connection is read, as TLS costs (default 50)\n" +
        "  --parallel      concurrent sends of the Node SDK contender (default 20)\n" +
        "  --stream        messages of the LarkPS memory pass, quotas off, no latency (default 100000, quick 0; 0 skips it)\n" +
        "  --no-node       LarkPS only\n" +
        "  --only          only the workloads whose name contains this text, e.g. \"phone\" or \"1 chat\"; --only events: the long connection alone;\n" +
        "                  --only shared: 1, 3, 5 pwsh processes on one app (quick: 100 messages each; --runs 3off,5on picks runs); --only history: 100,000 messages read back (quick 20,000) at the first latency;\n" +
        "                  --only broadcast: 10,000 users by Send-LarkBroadcast (time until every request is accepted) vs Send-LarkMessage\n" +
        "                  (1,000 measured, 300 with --quick, and extrapolated to 10,000 beside the app limit's floor)\n" +
        "                  (1,000 events pushed, events/s received and acknowledged, push-to-object-out median and p99)\n" +
        "  --trace         a folder for one file per run: each send's arrival at the sandbox (ms from the first), HTTP status, Lark code, receive_id";

    /// <summary>Reads the arguments; null (after printing why) when they are wrong or --help was asked.</summary>
    public static BenchmarkSettings? Parse(IReadOnlyList<string> args, TextWriter error)
    {
        var settings = new BenchmarkSettings([20, 100, 300], JitterMs: 20, HandshakeMs: 50, Parallel: 20, Stream: -1, Quick: false, Node: true);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            switch (name)
            {
                case "-h" or "--help" or "-?":
                    error.WriteLine(Usage);
                    return null;
                case "--quick":
                    settings = settings with { Quick = true };
                    continue;
                case "--no-node":
                    settings = settings with { Node = false };
                    continue;
            }

            if (i + 1 >= args.Count)
            {
                error.WriteLine($"'{name}' needs a value after it.");
                error.WriteLine(Usage);
                return null;
            }

            var text = args[++i];
            if (name == "--only")
            {
                settings = settings with { Only = text };
                continue;
            }

            if (name == "--runs")
            {
                settings = settings with { Runs = text };
                continue;
            }

            if (name == "--trace")
            {
                Directory.CreateDirectory(text);
                settings = settings with { TraceFolder = text };
                continue;
            }

            if (name == "--latencies")
            {
                var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var values = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1).ToList();
                if (values.Count == 0 || values.Any(v => v < 0))
                {
                    error.WriteLine($"--latencies needs whole milliseconds separated by commas, not '{text}'.");
                    return null;
                }

                settings = settings with { LatenciesMs = values };
                continue;
            }

            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                error.WriteLine($"'{name}' needs a whole number after it.");
                error.WriteLine(Usage);
                return null;
            }

            settings = name switch
            {
                "--jitter-ms" => settings with { JitterMs = value },
                "--handshake-ms" => settings with { HandshakeMs = value },
                "--parallel" when value >= 1 => settings with { Parallel = value },
                "--stream" => settings with { Stream = value },
                _ => null!,
            };
            if (settings is null)
            {
                error.WriteLine($"Unknown argument or value out of range: {name} {value}.");
                error.WriteLine(Usage);
                return null;
            }
        }

        return settings.Stream < 0 ? settings with { Stream = settings.Quick ? 0 : 100000 } : settings;
    }
}
