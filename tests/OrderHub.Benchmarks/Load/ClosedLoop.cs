using System.Diagnostics;

namespace OrderHub.Benchmarks.Load;

/// <summary>What a closed-loop phase measured.</summary>
public sealed record ClosedLoopResult(string Name, int Connections, TimeSpan Elapsed, long Requests, Latencies Latency, IReadOnlyDictionary<string, long> Statuses)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    /// <summary>The whole process's CPU time in the phase (OrderHub, simulator and load generator together).</summary>
    public TimeSpan Cpu { get; init; }

    /// <summary>Cores the process kept busy on average: 2.0 is all of this machine.</summary>
    public double CoresBusy => Cpu / Elapsed;

    public double CpuMsPerRequest => Requests == 0 ? 0 : Cpu.TotalMilliseconds / Requests;
}

/// <summary>
/// A fixed number of connections, each sending its next request as soon as the previous answer is read, for a
/// fixed time. Measures throughput at saturation (the no-op ceiling, the intake).
/// </summary>
public static class ClosedLoop
{
    public static async Task<ClosedLoopResult> RunAsync(string name, HttpClient client, int connections, TimeSpan duration, Func<HttpRequestMessage> next)
    {
        var workers = new Worker[connections];
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var deadline = duration;
        var tasks = new Task[connections];
        for (var i = 0; i < connections; i++)
        {
            var worker = workers[i] = new Worker();
            tasks[i] = Task.Run(async () =>
            {
                while (clock.Elapsed < deadline)
                {
                    var started = clock.Elapsed;
                    string status;
                    try
                    {
                        using var request = next();
                        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                        status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }
                    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
                    {
                        status = exception.GetType().Name;
                    }

                    worker.Latencies.Add((clock.Elapsed - started).TotalMilliseconds);
                    worker.Statuses[status] = worker.Statuses.GetValueOrDefault(status) + 1;
                }
            });
        }

        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var statuses = workers.SelectMany(w => w.Statuses)
            .GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
        return new ClosedLoopResult(name, connections, elapsed, workers.Sum(w => (long)w.Latencies.Count),
            Latencies.Of(workers.SelectMany(w => w.Latencies)), statuses) { Cpu = cpu };
    }

    private sealed class Worker
    {
        public List<double> Latencies { get; } = new(capacity: 4096);

        public Dictionary<string, long> Statuses { get; } = [];
    }
}
