using System.Globalization;

namespace LarkPS.Benchmark;

/// <summary>The command line of the benchmark: how many messages, to how many receivers, at what latency.</summary>
internal sealed record BenchmarkSettings(int Messages, int Receivers, int LatencyMs, int Parallel, int Stream)
{
    public const string Usage =
        "Usage: dotnet run --project tools/LarkPS.Benchmark -c Release [-- --messages 300] [--receivers 20] [--latency-ms 100] [--parallel 20] [--stream 100000]\n" +
        "  --messages    messages each contender sends under Lark's quotas (default 300)\n" +
        "  --receivers   distinct receivers they are spread over, round robin (default 20)\n" +
        "  --latency-ms  latency the sandbox adds to every API answer (default 100)\n" +
        "  --parallel    concurrent sends of the 'Node SDK in parallel' contender (default 20)\n" +
        "  --stream      messages of the LarkPS memory pass, quotas off, no latency (default 100000; 0 skips it)";

    /// <summary>Reads the arguments; null (after printing why) when they are wrong or --help was asked.</summary>
    public static BenchmarkSettings? Parse(IReadOnlyList<string> args, TextWriter error)
    {
        var settings = new BenchmarkSettings(Messages: 300, Receivers: 20, LatencyMs: 100, Parallel: 20, Stream: 100000);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help" or "-?")
            {
                error.WriteLine(Usage);
                return null;
            }

            if (i + 1 >= args.Count || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                error.WriteLine($"'{name}' needs a whole number after it.");
                error.WriteLine(Usage);
                return null;
            }

            i++;
            settings = name switch
            {
                "--messages" when value >= 1 => settings with { Messages = value },
                "--receivers" when value >= 1 => settings with { Receivers = value },
                "--latency-ms" => settings with { LatencyMs = value },
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

        return settings;
    }
}
