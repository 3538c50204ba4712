using System.Diagnostics;
using System.Globalization;
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
        if (args is ["--export-drain", var drainCount])
        {
            return await ExportDrain.RunAsync(int.Parse(drainCount, System.Globalization.CultureInfo.InvariantCulture));
        }

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

        using var load = LoadClient(options, baseUrl);
        var events = new DotsEventFactory(tenant.SigningSecret, BenchTenant.Key);

        if (!options.SkipIngest)
        {
            await RunIngestAsync(options, load, events, report, factory.Services.GetRequiredService<WriteGate>());

            // The webhook answers once the raw event is stored; the inbox applies it after. Let it finish what the
            // ingest stored before the end-to-end phase (which would otherwise start behind that backlog), and
            // report how fast it applied it: nothing else runs meanwhile, so this is the processing on its own.
            report.InboxDrain = await DrainInboxAsync(factory, TimeSpan.FromMinutes(5));
        }

        if (!options.SkipEndToEnd && options.EndToEndInProcess)
        {
            await tenant.SetAutoSyncAsync(true);
            var gate = factory.Services.GetRequiredService<WriteGate>();
            await RunEndToEndAsync(options, load, events, simulator, report, Process.GetCurrentProcess(), () => QueueStatesAsync(factory),
                clock => gate.Enabled ? gate.Held() : null);
        }
        else if (!options.SkipEndToEnd)
        {
            // The same database, now served by OrderHub in a process of its own: its memory and CPU are its own.
            await factory.DisposeAsync();
            await using var process = new OrderHubProcess(
                database.Settings, options.Settings.ToDictionary(kv => kv.Key, kv => (string?)kv.Value), options.PublishedApi);
            var processUrl = await process.StartAsync();
            Console.WriteLine($"OrderHub process {process.Process.Id} on {processUrl} for the end-to-end phase");
            using var processApi = new HttpClient { BaseAddress = new Uri(processUrl) };
            processApi.DefaultRequestHeaders.Add("X-Api-Key", BenchOrderHubFactory.ApiKey);
            tenant.UseApi(processApi);
            await tenant.SetAutoSyncAsync(true);
            using var processLoad = LoadClient(options, processUrl);
            report.EndToEndProcess = true;
            await RunEndToEndAsync(options, processLoad, events, simulator, report, process.Process, process.QueueStatesAsync, process.Gate.At);
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

    private static async Task RunIngestAsync(BenchmarkOptions options, HttpClient load, DotsEventFactory events, BenchmarkReport report, WriteGate gate)
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

        Console.WriteLine($"Ceiling: no-op endpoint, {options.Concurrency} connections, {options.IngestWarmup.TotalSeconds:0} s warm-up + {options.IngestDuration.TotalSeconds:0} s...");
        await ClosedLoop.RunAsync("warm-up", load, options.Concurrency, options.IngestWarmup, Noop);
        report.Noop = await ClosedLoop.RunAsync("no-op", load, options.Concurrency, options.IngestDuration, Noop);
        Console.WriteLine($"  {report.Noop.RequestsPerSecond:0} req/s, p99 {report.Noop.Latency.P99:0.0} ms, {report.Noop.CpuMsPerRequest:0.000} ms CPU per request");

        Console.WriteLine($"Ingest: signed order.accepted, auto-sync off, {options.Concurrency} connections, {options.IngestWarmup.TotalSeconds:0} s warm-up + {options.IngestDuration.TotalSeconds:0} s...");
        await ClosedLoop.RunAsync("warm-up", load, options.Concurrency, options.IngestWarmup, Ingest);
        var gateBefore = gate.Held();
        report.Ingest = await ClosedLoop.RunAsync("ingest", load, options.Concurrency, options.IngestDuration, Ingest);
        report.IngestGate = gate.Enabled ? GateFigures.Between(gateBefore, gate.Held(), report.Ingest.Elapsed) : null;
        Console.WriteLine($"  {report.Ingest.RequestsPerSecond:0} req/s, p99 {report.Ingest.Latency.P99:0.0} ms, {report.Ingest.CpuMsPerRequest:0.000} ms CPU per request");
        if (report.IngestGate is { } ingestGate)
        {
            Console.WriteLine($"  {ingestGate.Describe(report.Ingest.Requests, "request")}");
        }
    }

    private static HttpClient LoadClient(BenchmarkOptions options, string baseUrl) =>
        new(new SocketsHttpHandler
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

    /// <param name="orderHub">The process OrderHub runs in: its working set and CPU are sampled (this process too when apart).</param>
    /// <param name="gateAt">The write gate's use at a moment of <see cref="GateLog.Now"/> (null: no gate, or not known).</param>
    private static async Task RunEndToEndAsync(
        BenchmarkOptions options,
        HttpClient load,
        DotsEventFactory events,
        SimulatorHost simulator,
        BenchmarkReport report,
        Process orderHub,
        Func<Task<string>> queueStates,
        Func<double, WriteGateUse?> gateAt)
    {
        if (options.Warmup > TimeSpan.Zero)
        {
            // Unmeasured: JIT, pools and caches of a fresh OrderHub process warm up at the same rate, then drain.
            Console.WriteLine($"End to end warm-up: {options.Rate} orders/s for {options.Warmup.TotalSeconds:0} s...");
            var warm = await SendAsync(load, events, options.Rate, options.Warmup, "WARM-");
            await WaitForDeliveryAsync(simulator, Accepted(warm), options.DrainTimeout);
        }

        Console.WriteLine($"End to end: auto-sync on, {options.Rate} orders/s for {options.Duration.TotalSeconds:0} s (open loop)...");
        using var memory = new MemorySampler(orderHub);
        var self = Process.GetCurrentProcess();
        var apart = orderHub.Id != self.Id;
        orderHub.Refresh();
        var cpuBefore = orderHub.TotalProcessorTime;
        var selfCpuBefore = self.TotalProcessorTime;
        var databaseCpuBefore = DatabaseServerCpu();
        var gateFrom = GateLog.Now();
        var gateBefore = gateAt(gateFrom);
        var clock = Stopwatch.StartNew();
        var run = await SendAsync(load, events, options.Rate, options.Duration, EndToEndResult.MeasuredPrefix);
        var accepted = Accepted(run);
        Console.WriteLine($"  sent {run.Orders.Count}, accepted {accepted.Count}; waiting up to {options.DrainTimeout.TotalSeconds:0} s for the queue to drain...");

        var drain = await WaitForDeliveryAsync(simulator, accepted, options.DrainTimeout);

        orderHub.Refresh();
        self.Refresh();
        var cpu = orderHub.TotalProcessorTime - cpuBefore;
        var selfCpu = self.TotalProcessorTime - selfCpuBefore;
        var databaseCpu = DatabaseServerCpu() - databaseCpuBefore;
        var busyFor = clock.Elapsed;
        var gateTo = GateLog.Now();
        var gateAfter = gateAt(gateTo);

        // A moment more so a late duplicate would show (and the gate's next log line, after the window, arrives).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        gateBefore ??= gateAt(gateFrom);
        gateAfter ??= gateAt(gateTo);
        var received = simulator.Simulator.Orders(SimulatorHost.Target).Where(o => o.Kind == "order").ToList();
        report.EndToEnd = EndToEndResult.From(options, run, received, simulator.Simulator.Stats().Duplicates, drain.Elapsed) with
        {
            Cpu = cpu,
            LoadCpu = apart ? selfCpu : null,
            DatabaseCpu = databaseCpu > TimeSpan.Zero ? databaseCpu : null,
            CpuWindow = busyFor,
        };
        report.EndToEndGate = gateBefore is { } gb && gateAfter is { } ga ? GateFigures.Between(gb, ga, TimeSpan.FromSeconds(gateTo - gateFrom)) : null;
        report.QueueAtEnd = await queueStates();
        report.Memory = memory.Stop();

        // Late is not lost: wait on for what the drain wait did not see delivered, then count what never arrived.
        if (report.EndToEnd.NotDeliveredWithinDrainWait > 0)
        {
            Console.WriteLine($"  {report.EndToEnd.NotDeliveredWithinDrainWait} not delivered within the drain wait; waiting up to {options.LostWait.TotalSeconds:0} s more...");
            var late = await WaitForDeliveryAsync(simulator, accepted, options.LostWait);
            var delivered = ReceivedNumbers(simulator).ToHashSet(StringComparer.Ordinal);
            report.EndToEnd = report.EndToEnd with { Lost = accepted.Count(n => !delivered.Contains(n)), LostWait = late.Elapsed };
        }
    }

    /// <summary>Signed <c>order.accepted</c> events at a fixed rate (open loop), numbered with <paramref name="prefix"/>.</summary>
    private static Task<OpenLoopResult> SendAsync(HttpClient load, DotsEventFactory events, int rate, TimeSpan duration, string prefix) =>
        OpenLoop.RunAsync(load, rate, duration, i => $"{prefix}{i:D7}", number =>
        {
            var (body, eventId) = events.Build(number);
            return events.Request(events.Path, body, eventId);
        });

    private static HashSet<string> Accepted(OpenLoopResult run) =>
        run.Orders.Where(o => o.Status == "202").Select(o => o.Number).ToHashSet(StringComparer.Ordinal);

    /// <summary>Waits until the simulator has every accepted order, or the timeout; returns how long it waited.</summary>
    private static async Task<Stopwatch> WaitForDeliveryAsync(SimulatorHost simulator, HashSet<string> accepted, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < timeout && ReceivedNumbers(simulator).Count(accepted.Contains) < accepted.Count)
        {
            await Task.Delay(250);
        }

        return waited;
    }

    /// <summary>
    /// CPU time of the benchmark's own PostgreSQL server (zero with SQLite, which runs inside OrderHub): its
    /// postmaster with the time of the backends it has reaped, plus its live children. Other servers on the machine
    /// (a test run's) are not counted.
    /// </summary>
    private static TimeSpan DatabaseServerCpu()
    {
        if (OrderHub.FunctionalTests.Infrastructure.PostgresServer.Instance.ServerProcessId is not { } postmaster)
        {
            return TimeSpan.Zero;
        }

        var ticks = 0L;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                // /proc/PID/stat: "pid (comm) state ppid …", then utime stime cutime cstime as fields 14–17.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (pid == postmaster)
                {
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
                             + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
                }
                else if (parent == postmaster)
                {
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // Exited meanwhile, or not ours to read.
            }
        }

        // Clock ticks of 1/100 s (USER_HZ on Linux).
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    private static IEnumerable<string> ReceivedNumbers(SimulatorHost simulator) =>
        simulator.Simulator.Orders(SimulatorHost.Target).Select(NumberOf).OfType<string>();

    /// <summary>The Dots order number, from the simulator's marker "[Dots #N]" (bodies are not kept in a benchmark).</summary>
    internal static string? NumberOf(OrderHub.Simulators.SimulatedOrder order) =>
        order.Marker is { Length: > 8 } marker && marker.StartsWith("[Dots #", StringComparison.Ordinal) ? marker[7..^1] : null;

    /// <summary>Waits until the inbox holds no received event (or <paramref name="limit"/>), measuring time and this process's CPU.</summary>
    private static async Task<InboxDrainResult> DrainInboxAsync(BenchOrderHubFactory factory, TimeSpan limit)
    {
        async Task<int> ReceivedAsync()
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
            return await db.InboxEvents.CountAsync(e => e.State == OrderHub.Domain.Inbound.InboxEventState.Received);
        }

        var process = Process.GetCurrentProcess();
        var gate = factory.Services.GetRequiredService<WriteGate>();
        var gateBefore = gate.Held();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var start = await ReceivedAsync();
        Console.WriteLine($"Inbox: {start} events stored by the ingest still to apply; waiting up to {limit.TotalSeconds:0} s...");
        var left = start;
        while (left > 0 && clock.Elapsed < limit)
        {
            await Task.Delay(200);
            left = await ReceivedAsync();
        }

        process.Refresh();
        var result = new InboxDrainResult(start, left, clock.Elapsed, process.TotalProcessorTime - cpu)
        {
            Gate = gate.Enabled ? GateFigures.Between(gateBefore, gate.Held(), clock.Elapsed) : null,
        };
        Console.WriteLine($"  applied {start - left} in {result.Elapsed.TotalSeconds:0.0} s{(result.Gate is { } g ? "; " + g.Describe(start - left, "event") : "")}");
        return result;
    }

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
