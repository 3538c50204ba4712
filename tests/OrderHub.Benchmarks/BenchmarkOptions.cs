using System.Globalization;

namespace OrderHub.Benchmarks;

/// <summary>The command line: <c>[--provider sqlite|postgres] [--duration 60] [--rate 500] [--concurrency 64] ...</c>.</summary>
public sealed record BenchmarkOptions
{
    /// <summary><c>sqlite</c> (default) or <c>postgres</c> (a throwaway cluster from the installed binaries).</summary>
    public string Provider { get; init; } = "sqlite";

    /// <summary>End-to-end run length at the fixed rate.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>End-to-end arrival rate, orders per second (open loop).</summary>
    public int Rate { get; init; } = 500;

    /// <summary>Connections of the ingest and no-op phases (closed loop), and the client's pool size.</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>Length of each measured closed-loop phase (no-op and ingest).</summary>
    public TimeSpan IngestDuration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Unmeasured load at the end-to-end rate before the end-to-end phase (JIT, pools, caches of a fresh process). After
    /// 10 s the process was still tiering its code up: in the first seconds measured the export ran at ~300 orders/s.
    /// </summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Unmeasured load before each closed-loop phase (no-op and ingest alike, so the ratio stays fair): long enough
    /// that the measured seconds see tiered-up code, not a process a few seconds old still compiling its hot path.
    /// </summary>
    public TimeSpan IngestWarmup { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The longest wait after the end-to-end run for the export queue to drain.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After the drain wait, how much longer to wait for late orders before counting the rest as lost.</summary>
    public TimeSpan LostWait { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Skip the closed-loop phases or the end-to-end phase.</summary>
    public bool SkipIngest { get; init; }

    public bool SkipEndToEnd { get; init; }

    /// <summary>
    /// Run the end-to-end phase against OrderHub in this process instead of a process of its own (which measures
    /// OrderHub's working set and CPU apart from the generator and the simulator).
    /// </summary>
    public bool EndToEndInProcess { get; init; }

    /// <summary>
    /// The end-to-end phase runs <c>OrderHub.Api.dll</c> from this folder (a <c>dotnet publish</c> output, as the Docker
    /// image ships it) instead of the copy built beside the benchmark.
    /// </summary>
    public string? PublishedApi { get; init; }

    /// <summary>Extra OrderHub configuration (<c>--set Dispatcher:Concurrency=16</c>), to try a setting under load.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; init; } = [];

    /// <summary>Where the Markdown results go; default <c>results/latest-{provider}.md</c> in the project folder.</summary>
    public string? Output { get; init; }

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            double Seconds() => double.Parse(Value(), CultureInfo.InvariantCulture);
            options = name switch
            {
                "--provider" => options with { Provider = Value().ToLowerInvariant() },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Seconds()) },
                "--rate" => options with { Rate = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--concurrency" => options with { Concurrency = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--ingest-duration" => options with { IngestDuration = TimeSpan.FromSeconds(Seconds()) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(Seconds()) },
                "--ingest-warmup" => options with { IngestWarmup = TimeSpan.FromSeconds(Seconds()) },
                "--drain-timeout" => options with { DrainTimeout = TimeSpan.FromSeconds(Seconds()) },
                "--lost-wait" => options with { LostWait = TimeSpan.FromSeconds(Seconds()) },
                "--skip-ingest" => options with { SkipIngest = true },
                "--skip-e2e" => options with { SkipEndToEnd = true },
                "--e2e-in-process" => options with { EndToEndInProcess = true },
                "--output" => options with { Output = Value() },
                "--published-api" => options with { PublishedApi = Path.GetFullPath(Value()) },
                "--set" => options with { Settings = [.. options.Settings, Setting(Value())] },
                _ => throw new ArgumentException($"Unknown argument '{name}'. {Usage}"),
            };
        }

        if (options.Provider is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException($"--provider is sqlite or postgres, not '{options.Provider}'.");
        }

        // Bounded in time and count whatever is asked: at most 10 minutes per phase and 5,000 connections.
        if (options.Rate is < 1 or > 20_000 || options.Concurrency is < 1 or > 5_000
            || options.Duration <= TimeSpan.Zero || options.Duration > TimeSpan.FromMinutes(10)
            || options.IngestDuration <= TimeSpan.Zero || options.IngestDuration > TimeSpan.FromMinutes(10)
            || options.Warmup < TimeSpan.Zero || options.Warmup > TimeSpan.FromMinutes(1)
            || options.IngestWarmup < TimeSpan.Zero || options.IngestWarmup > TimeSpan.FromMinutes(1)
            || options.DrainTimeout < TimeSpan.Zero || options.DrainTimeout > TimeSpan.FromMinutes(5)
            || options.LostWait < TimeSpan.Zero || options.LostWait > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentException("Out of bounds: rate 1..20000, concurrency 1..5000, durations up to 10 min, warm-up up to 1 min, drain up to 5 min, lost wait up to 10 min.");
        }

        if (options.PublishedApi is { } published && !File.Exists(Path.Combine(published, "OrderHub.Api.dll")))
        {
            throw new ArgumentException($"--published-api: no OrderHub.Api.dll in '{published}'.");
        }

        return options;
    }

    private static KeyValuePair<string, string> Setting(string value) =>
        value.IndexOf('=', StringComparison.Ordinal) is var at and > 0
            ? new(value[..at], value[(at + 1)..])
            : throw new ArgumentException($"--set takes Key=Value, not '{value}'.");

    public const string Usage =
        "Usage: dotnet run -c Release --project tests/OrderHub.Benchmarks -- [--provider sqlite|postgres] [--duration 60] [--rate 500] "
        + "[--concurrency 64] [--ingest-duration 20] [--ingest-warmup 20] [--warmup 30] [--drain-timeout 30] [--lost-wait 120] [--skip-ingest] [--skip-e2e] [--e2e-in-process] [--published-api DIR] [--output FILE] [--set Key=Value]...";
}
