using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Dispatching;
using OrderHub.Domain.Export;
using OrderHub.Domain.Orders;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.Simulators;
using static OrderHub.FunctionalTests.Infrastructure.Eventually;

namespace OrderHub.FunctionalTests.Drills;

public sealed class PostgresMultiInstanceTests() : MultiInstanceTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerMultiInstanceTests() : MultiInstanceTests(new SqlServerTestDatabase());

/// <summary>
/// The drills in short (tests/OrderHub.Drills runs them at scale against real processes): two OrderHub
/// instances on one server database (PostgreSQL; SQL Server where one is available), distinct <c>Dispatcher:InstanceId</c>s, each with its own clock, and
/// the simulated Poster. Poster has no idempotency key, so "once" here is strict: one order per marker.
/// </summary>
public abstract class MultiInstanceTests(ITestDatabase database) : IAsyncLifetime
{
    private const string PosterTarget = "poster/" + PosSimulatorServer.PosterAccount;
    private const int Orders = 50;

    private readonly ITestDatabase _database = database;
    private readonly PosSimulatorServer _pos = new();
    private OrderHubFactory _a = null!;
    private OrderHubFactory _b = null!;
    private TestTenant _tenant = null!;

    public async Task InitializeAsync()
    {
        await _pos.StartAsync();
        await _database.CreateAsync();
        _a = Instance("instance-a");
        _ = _a.Server; // the first instance applies the migrations
        _b = Instance("instance-b");
        _b.Clock.Set(_a.Clock.GetUtcNow());
        _ = _b.Server;
        _tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).CreateAsync(_a);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _pos.DisposeAsync();
    }

    [Fact]
    public async Task Fifty_orders_each_sent_five_times_at_once_across_two_instances_reach_Poster_once_each()
    {
        var senders = new[] { _tenant.Sender(_a), _tenant.Sender(_b) };
        var orders = Enumerable.Range(1, Orders).Select(Order).ToList();

        var statuses = await Task.WhenAll(orders.Select(async order =>
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(copy => senders[copy % 2].SendAsync(order)));
            return responses.Select(r => r.StatusCode).ToList();
        }));

        statuses.ShouldAllBe(s => s.Count(c => c == HttpStatusCode.Accepted) == 1 && s.Count(c => c == HttpStatusCode.OK) == 4);
        await WaitUntilAsync(() => CountAsync(ExportState.Exported, Orders), "every order exported");
        await Task.Delay(300);
        (await _a.WithDbAsync(db => db.Orders.CountAsync())).ShouldBe(Orders);
        ShouldHaveEachOrderOnce();
    }

    [Fact]
    public async Task An_instance_stopped_without_draining_mid_run_leaves_its_orders_to_the_other_once_its_leases_expire()
    {
        // Instance a alone, its attempts held 3 s at the POS, so it surely dies mid-attempt; b starts afterwards.
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _a = Instance("instance-a", attemptTimeout: "00:00:10");
        _a.Clock.Set(_b.Clock.GetUtcNow());
        _ = _a.Server;
        await _pos.FaultsAsync(new FaultSettings { LatencyMs = 3000 });
        var sender = _tenant.Sender(_a);
        foreach (var order in Enumerable.Range(1, 30).Select(Order))
        {
            (await sender.SendAsync(order)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        await WaitUntilAsync(async () => await _a.WithDbAsync(db => db.ExportQueue.AnyAsync(e => e.LeaseOwner != null)), "instance a mid-attempt");
        await _a.DisposeAsync(); // Dispatcher:DrainTimeout=0: its attempts in flight are abandoned to their leases

        await _pos.ClearFaultsAsync();
        _b = Instance("instance-b");
        _b.Clock.Set(_a.Clock.GetUtcNow());
        _ = _b.Server;
        var abandoned = await LeasedByAsync("instance-a"); // b cannot take these before the leases run out
        abandoned.ShouldBeGreaterThan(0, "instance a should have died holding leases");

        // Instance b delivers everything free, then only instance a's leased entries are left.
        await WaitUntilAsync(async () => await LeasedByAsync("instance-b") == 0 && await PendingAsync() == abandoned, "instance b to finish the free entries");
        (await CountAsync(ExportState.Queued, abandoned)).ShouldBeTrue();

        _b.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(5)); // past instance a's leases
        Wake(_b);
        await WaitUntilAsync(() => CountAsync(ExportState.Exported, 30), "every order exported by instance b");

        await Task.Delay(300);
        _pos.Orders(PosterTarget).Count.ShouldBe(30);
        _pos.Orders(PosterTarget).Select(o => o.Marker).Distinct().Count().ShouldBe(30);
    }

    [Fact]
    public async Task Under_five_hundreds_and_accept_then_time_out_two_instances_deliver_every_order_once()
    {
        // This test wants calls cut off (the POS answers after 1.5 s): both instances again, with a 1 s attempt timeout.
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _a = Instance("instance-a", attemptTimeout: "00:00:01");
        _b = Instance("instance-b", attemptTimeout: "00:00:01");
        _b.Clock.Set(_a.Clock.GetUtcNow());
        _ = _a.Server;
        _ = _b.Server;
        await _pos.FaultsAsync(new FaultSettings { ErrorRate = 0.3, AcceptThenTimeoutRate = 0.1, TimeoutDelayMs = 1500 });
        var senders = new[] { _tenant.Sender(_a), _tenant.Sender(_b) };
        var orders = Enumerable.Range(1, Orders).Select(Order).ToList();
        for (var i = 0; i < orders.Count; i++)
        {
            (await senders[i % 2].SendAsync(orders[i])).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        // Round after round: wait until every attempt in flight is written, then move both clocks to when the
        // last retry falls due and wake both dispatchers.
        for (var round = 0; round < 20 && !await CountAsync(ExportState.Exported, Orders); round++)
        {
            await WaitUntilAsync(async () => await LeasedByAsync(null) == 0 && await DueAsync() == 0, $"round {round} to settle");
            var latest = await _b.WithDbAsync(db => db.ExportQueue.Where(e => e.State == ExportQueueState.Pending)
                .Select(e => (DateTimeOffset?)e.NextAttemptAt).MaxAsync());
            if (latest is { } due)
            {
                var at = due.AddSeconds(1) > _a.Clock.GetUtcNow() ? due.AddSeconds(1) : _a.Clock.GetUtcNow();
                _a.Clock.Set(at);
                _b.Clock.Set(at);
                Wake(_a);
                Wake(_b);
                await Task.Delay(200);
            }
        }

        await WaitUntilAsync(() => CountAsync(ExportState.Exported, Orders), "every order exported");
        await Task.Delay(300);
        _pos.Stats().Faults.ShouldBeGreaterThan(0);
        ShouldHaveEachOrderOnce();
    }

    /// <summary>
    /// An instance. By default its POS calls may take 10 s: a cold first call cut off sooner would be retried a
    /// minute later on a test clock that stands still, and a test waiting for delivery would time out.
    /// </summary>
    private OrderHubFactory Instance(string id, string attemptTimeout = "00:00:10") => new(_database, new Dictionary<string, string?>
    {
        ["Dispatcher:Enabled"] = "true",
        ["Dispatcher:InstanceId"] = id,
        ["Dispatcher:PollInterval"] = "00:00:00.200",
        ["Dispatcher:DrainTimeout"] = "00:00:00",
        // The test moves the clocks by whole retry steps; an unlucky order must not age out before it is delivered.
        ["Dispatcher:MaxAge"] = "7.00:00:00",
        ["Poster:BaseUrlTemplate"] = _pos.PosterBaseUrlTemplate,
        ["PosterApp:ApplicationSecret"] = PosSimulatorServer.PosterAppSecret,
        ["Pos:Resilience:AttemptTimeout"] = attemptTimeout,
        ["Pos:Resilience:MinimumThroughput"] = "1000",
    });

    /// <summary>The delivery sample as a new order: its own event id, Dots id and number; Kyiv and Lviv in turn.</summary>
    private static JsonObject Order(int n)
    {
        var body = Fixtures.Json(Fixtures.AcceptedDelivery);
        body["eventId"] = $"evt_multi_{n}_{Guid.NewGuid():N}";
        var order = body["order"]!.AsObject();
        order["id"] = Guid.NewGuid().ToString();
        order["number"] = $"MI-{n:D4}";
        order["companyAddressId"] = n % 2 == 0 ? Fixtures.KyivAddressId : Fixtures.LvivAddressId;
        return body;
    }

    private void ShouldHaveEachOrderOnce()
    {
        var received = _pos.Orders(PosterTarget);
        received.Select(o => o.Marker).Distinct().Count().ShouldBe(Orders);
        received.Count.ShouldBe(Orders, "an order reached Poster twice");
    }

    private static void Wake(OrderHubFactory instance) => instance.Services.GetRequiredService<ExportDispatcher>().Notify();

    private Task<bool> CountAsync(ExportState state, int count) =>
        _b.WithDbAsync(async db => await db.Orders.CountAsync(o => o.ExportState == state) == count);

    /// <summary>Pending entries leased by an instance (a claim's owner is "{instance}/{round token}"), or by any.</summary>
    private async Task<int> LeasedByAsync(string? instance)
    {
        var owners = await _b.WithDbAsync(db => db.ExportQueue
            .Where(e => e.State == ExportQueueState.Pending && e.LeaseOwner != null)
            .Select(e => e.LeaseOwner!)
            .ToListAsync());
        return owners.Count(o => instance is null || o.StartsWith(instance + "/", StringComparison.Ordinal));
    }

    private Task<int> PendingAsync() => _b.WithDbAsync(db => db.ExportQueue.CountAsync(e => e.State == ExportQueueState.Pending));

    private Task<int> DueAsync()
    {
        var now = _b.Clock.GetUtcNow();
        return _b.WithDbAsync(db => db.ExportQueue.CountAsync(e => e.State == ExportQueueState.Pending && e.NextAttemptAt <= now));
    }
}
