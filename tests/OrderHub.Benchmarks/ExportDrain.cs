using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Dispatching;
using OrderHub.Api.Persistence;
using OrderHub.Benchmarks.Hosting;
using OrderHub.Benchmarks.Load;
using OrderHub.Domain.Export;

namespace OrderHub.Benchmarks;

/// <summary>
/// The export engine on its own (<c>--export-drain N</c>): N orders queued for export with the dispatcher off,
/// then drained by rounds of the export engine in this process, six times (the first ones warm up); prints the CPU of this
/// process per exported order (claim, load, POS call to the in-process simulator, outcome write). A measure that
/// stays comparable on a busy machine, as it counts CPU, not time.
/// </summary>
public static class ExportDrain
{
    public static async Task<int> RunAsync(int count)
    {
        using var database = await BenchDatabase.CreateAsync("sqlite");
        await using var simulator = new SimulatorHost();
        await simulator.StartAsync();
        await using var factory = new BenchOrderHubFactory(database.Settings, new Dictionary<string, string?> { ["Dispatcher:Enabled"] = "false" });
        var baseUrl = factory.Start();
        using var api = new HttpClient { BaseAddress = new Uri(baseUrl) };
        api.DefaultRequestHeaders.Add("X-Api-Key", BenchOrderHubFactory.ApiKey);
        var tenant = new BenchTenant(api);
        await tenant.CreateAsync(simulator.WebhookPosUrl, simulator.WebhookSecret);
        await tenant.SetAutoSyncAsync(true);
        var events = new DotsEventFactory(tenant.SigningSecret, BenchTenant.Key);
        var dispatcher = factory.Services.GetRequiredService<ExportDispatcher>();
        for (var round = 0; round < 6; round++)
        {
            var prefix = $"XD{round}-";
            for (var i = 0; i < count; i += 64)
            {
                await Task.WhenAll(Enumerable.Range(i, Math.Min(64, count - i)).Select(async n =>
                {
                    var (body, eventId) = events.Build($"{prefix}{n:D7}");
                    using var response = await api.SendAsync(events.Request(events.Path, body, eventId));
                    response.EnsureSuccessStatusCode();
                }));
            }

            while (await PendingAsync(factory) < count)
            {
                await Task.Delay(100);
            }

            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var exported = 0;
            int claimed;
            while ((claimed = await dispatcher.RunOnceAsync(CancellationToken.None)) > 0)
            {
                exported += claimed;
            }

            process.Refresh();
            var used = process.TotalProcessorTime - cpu;
            var delivered = simulator.Simulator.Orders(SimulatorHost.Target).Count(o => o.Kind == "order" && (o.Marker ?? "").Contains(prefix, StringComparison.Ordinal));
            Console.WriteLine($"round {round}: {exported} claimed, {delivered} at the POS, {clock.Elapsed.TotalSeconds:0.0} s, CPU {used.TotalMilliseconds:0} ms = {used.TotalMilliseconds / Math.Max(1, exported):0.000} ms per exported order");
        }

        return 0;
    }

    private static async Task<int> PendingAsync(BenchOrderHubFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        return await db.ExportQueue.CountAsync(e => e.State == ExportQueueState.Pending);
    }
}
