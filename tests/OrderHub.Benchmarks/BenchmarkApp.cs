using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Persistence;
using OrderHub.Benchmarks.Hosting;
using OrderHub.Benchmarks.Load;
using OrderHub.Benchmarks.Reporting;

namespace OrderHub.Benchmarks;

/// <summary>
/// Hosts OrderHub and the webhook POS simulator on loopback, configures a tenant over the HTTP API, then measures
/// intake against a no-op ceiling and the end-to-end path at a fixed rate. See README, "Benchmarks".
/// </summary>
public static class BenchmarkApp
{
    public static async Task<int> Main(string[] args)
    {
        BenchmarkOptions options;
        try
        {
            options = BenchmarkOptions.Parse(args);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            await Console.Error.WriteLineAsync(BenchmarkOptions.Usage);
            return 2;
        }

        var report = new BenchmarkReport(options, args);
        Console.WriteLine(report.Environment());
#if DEBUG
        Console.WriteLine("WARNING: a Debug build; run with -c Release for figures worth keeping.");
#endif

        using var database = await BenchDatabase.CreateAsync(options.Provider);
        report.Provider = database.Provider;
        await using var simulator = new SimulatorHost();
        await simulator.StartAsync();
        await using var factory = new BenchOrderHubFactory(database.Settings, options.Settings.ToDictionary(kv => kv.Key, kv => (string?)kv.Value));
        var baseUrl = factory.Start();
        Console.WriteLine($"OrderHub on {baseUrl} ({database.Provider}); webhook POS simulator on {simulator.WebhookPosUrl}");

        using var api = new HttpClient { BaseAddress = new Uri(baseUrl) };
        api.DefaultRequestHeaders.Add("X-Api-Key", BenchOrderHubFactory.ApiKey);
        var tenant = new BenchTenant(api);
        await tenant.CreateAsync(simulator.WebhookPosUrl, simulator.WebhookSecret);

        using var load = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = new Uri(baseUrl),
            Timeout = TimeSpan.FromSeconds(30),
        };
        var events = new DotsEventFactory(tenant.SigningSecret, BenchTenant.Key);

        if (!options.SkipIngest)
        {
            await RunIngestAsync(options, load, events, report);
        }

        if (!options.SkipEndToEnd)
        {
            await tenant.SetAutoSyncAsync(true);
            await RunEndToEndAsync(options, load, events, simulator, factory, report);
        }

        var markdown = report.Markdown();
        Console.WriteLine();
        Console.WriteLine(markdown);
        var output = options.Output ?? Path.Combine(ProjectDirectory(), "results", $"latest-{options.Provider}.md");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, markdown);
        Console.WriteLine($"Written to {output}");
        return 0;
    }

    private static async Task RunIngestAsync(BenchmarkOptions options, HttpClient load, DotsEventFactory events, BenchmarkReport report)
    {
        long sequence = 0;
        HttpRequestMessage Noop()
        {
            var (body, eventId) = events.Build($"NOOP-{Interlocked.Increment(ref sequence):D7}");
            return events.Request(BenchOrderHubFactory.NoopPath, body, eventId);
        }

        HttpRequestMessage Ingest()
        {
            var (body, eventId) = events.Build($"ING-{Interlocked.Increment(ref sequence):D7}");
            return events.Request(events.Path, body, eventId);
        }

        Console.WriteLine($"Ceiling: no-op endpoint, {options.Concurrency} connections, {options.Warmup.TotalSeconds:0} s warm-up + {options.IngestDuration.TotalSeconds:0} s...");
        await ClosedLoop.RunAsync("warm-up", load, options.Concurrency, options.Warmup, Noop);
        report.Noop = await ClosedLoop.RunAsync("no-op", load, options.Concurrency, options.IngestDuration, Noop);
        Console.WriteLine($"  {report.Noop.RequestsPerSecond:0} req/s");

        Console.WriteLine($"Ingest: signed order.accepted, auto-sync off, {options.Concurrency} connections, {options.Warmup.TotalSeconds:0} s warm-up + {options.IngestDuration.TotalSeconds:0} s...");
        await ClosedLoop.RunAsync("warm-up", load, options.Concurrency, options.Warmup, Ingest);
        report.Ingest = await ClosedLoop.RunAsync("ingest", load, options.Concurrency, options.IngestDuration, Ingest);
        Console.WriteLine($"  {report.Ingest.RequestsPerSecond:0} req/s");
    }

    private static async Task RunEndToEndAsync(
        BenchmarkOptions options, HttpClient load, DotsEventFactory events, SimulatorHost simulator, BenchOrderHubFactory factory, BenchmarkReport report)
    {
        Console.WriteLine($"End to end: auto-sync on, {options.Rate} orders/s for {options.Duration.TotalSeconds:0} s (open loop)...");
        using var memory = new MemorySampler();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var run = await OpenLoop.RunAsync(load, options.Rate, options.Duration, i => $"E2E-{i:D7}", number =>
        {
            var (body, eventId) = events.Build(number);
            return events.Request(events.Path, body, eventId);
        });
        var accepted = run.Orders.Where(o => o.Status == "202").Select(o => o.Number).ToHashSet(StringComparer.Ordinal);
        Console.WriteLine($"  sent {run.Orders.Count}, accepted {accepted.Count}; waiting up to {options.DrainTimeout.TotalSeconds:0} s for the queue to drain...");

        var drain = Stopwatch.StartNew();
        while (drain.Elapsed < options.DrainTimeout && ReceivedNumbers(simulator).Count(accepted.Contains) < accepted.Count)
        {
            await Task.Delay(250);
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var busyFor = clock.Elapsed;

        // A moment more so a late duplicate would show.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var received = simulator.Simulator.Orders(SimulatorHost.Target).Where(o => o.Kind == "order").ToList();
        report.EndToEnd = EndToEndResult.From(options, run, received, simulator.Simulator.Stats().Duplicates, drain.Elapsed) with
        {
            Cpu = cpu,
            CpuWindow = busyFor,
        };
        report.QueueAtEnd = await QueueStatesAsync(factory);
        report.Memory = memory.Stop();
    }

    private static IEnumerable<string> ReceivedNumbers(SimulatorHost simulator) =>
        simulator.Simulator.Orders(SimulatorHost.Target).Select(NumberOf).OfType<string>();

    /// <summary>The Dots order number, from the simulator's marker "[Dots #N]" (bodies are not kept in a benchmark).</summary>
    internal static string? NumberOf(OrderHub.Simulators.SimulatedOrder order) =>
        order.Marker is { Length: > 8 } marker && marker.StartsWith("[Dots #", StringComparison.Ordinal) ? marker[7..^1] : null;

    private static async Task<string> QueueStatesAsync(BenchOrderHubFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var states = await db.ExportQueue.GroupBy(e => e.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        return string.Join(", ", states.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Count}"));
    }

    private static string ProjectDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrderHub.Benchmarks.csproj")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    internal static string Machine() =>
        $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024.0):0} GiB, "
        + $"{RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, "
        + $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC";
}
