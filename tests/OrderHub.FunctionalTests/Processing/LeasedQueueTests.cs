using System.Collections.Concurrent;
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

namespace OrderHub.FunctionalTests.Processing;

public sealed class SqliteLeasedQueueTests() : LeasedQueueTests(new SqliteTestDatabase());

public sealed class PostgresLeasedQueueTests() : LeasedQueueTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerLeasedQueueTests() : LeasedQueueTests(new SqlServerTestDatabase());

/// <summary>
/// The processing engine (Processing/LeasedQueue) through its export client, with OrderHub instances on one real
/// database and the simulated Poster (no idempotency key: a row attempted twice would show as a second order).
/// </summary>
public abstract class LeasedQueueTests(ITestDatabase database) : IAsyncLifetime
{
    private const string PosterTarget = "poster/" + PosSimulatorServer.PosterAccount;
    private const string DeadOwner = "engine-dead/0123456789abcdef";

    private readonly ITestDatabase _database = database;
    private readonly PosSimulatorServer _pos = new();
    private readonly List<OrderHubFactory> _instances = [];
    private TestTenant _tenant = null!;
    private OrderHubFactory _a = null!;

    public async Task InitializeAsync()
    {
        await _pos.StartAsync();
        await _database.CreateAsync();
        _a = Instance("engine-a", dispatching: false);
        _tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).CreateAsync(_a);
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await _pos.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Two_instances_claiming_the_same_due_rows_at_once_never_take_one_twice()
    {
        const int count = 60;
        var b = Instance("engine-b", dispatching: false);
        await QueueOrdersAsync(count);
        var dispatchers = new[] { _a, b }.Select(i => i.Services.GetRequiredService<ExportDispatcher>()).ToList();

        var claimed = new ConcurrentBag<Guid>();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(async n =>
        {
            while (await dispatchers[n % 2].ClaimAsync(5, CancellationToken.None) is { Count: > 0 } work)
            {
                foreach (var item in work)
                {
                    claimed.Add(item.Entry.Id);
                }
            }
        }));

        claimed.Count.ShouldBe(count, "every due row claimed once");
        claimed.Distinct().Count().ShouldBe(count);
        var entries = await _a.WithDbAsync(db => db.ExportQueue.AsNoTracking().ToListAsync());
        entries.ShouldAllBe(e => e.Attempts == 1);
        entries.ShouldAllBe(e => e.LeaseOwner!.StartsWith("engine-a/") || e.LeaseOwner!.StartsWith("engine-b/"));
    }

    [Fact]
    public async Task A_row_whose_lease_a_killed_instance_left_is_claimed_again_once_the_lease_ran_out()
    {
        await QueueOrdersAsync(2);
        var now = _a.Clock.GetUtcNow();
        var ids = await _a.WithDbAsync(db => db.ExportQueue.OrderBy(e => e.CreatedAt).Select(e => e.Id).ToListAsync());
        await LeaseAsync(ids[0], DeadOwner, now.AddSeconds(-1));
        await LeaseAsync(ids[1], DeadOwner, now.AddMinutes(1));
        var dispatcher = _a.Services.GetRequiredService<ExportDispatcher>();

        var first = await dispatcher.ClaimAsync(10, CancellationToken.None);

        first.Select(w => w.Entry.Id).ShouldBe([ids[0]], "only the row whose lease ran out");
        var reclaimed = await EntryAsync(ids[0]);
        reclaimed.LeaseOwner.ShouldStartWith("engine-a/");
        reclaimed.Attempts.ShouldBe(2);
        reclaimed.MayHaveReachedPos.ShouldBeTrue("the dead instance's attempt may have reached the POS: look it up first");
        (await EntryAsync(ids[1])).LeaseOwner.ShouldBe(DeadOwner);

        _a.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        (await dispatcher.ClaimAsync(10, CancellationToken.None)).Select(w => w.Entry.Id).ShouldBe([ids[1]]);
    }

    [Fact]
    public async Task An_instance_restarted_under_its_id_frees_its_own_leases_at_once_and_leaves_others()
    {
        await QueueOrdersAsync(2);
        var until = _a.Clock.GetUtcNow().AddMinutes(10);
        var ids = await _a.WithDbAsync(db => db.ExportQueue.OrderBy(e => e.CreatedAt).Select(e => e.Id).ToListAsync());
        await LeaseAsync(ids[0], "engine-a/0123456789abcdef", until);
        await LeaseAsync(ids[1], "engine-b/0123456789abcdef", until);
        var clock = _a.Clock.GetUtcNow();
        await _a.DisposeAsync();

        var restarted = Instance("engine-a", dispatching: true);
        restarted.Clock.Set(clock);
        _ = restarted.Server;

        await WaitUntilAsync(async () => (await EntryAsync(ids[0], restarted)).State == ExportQueueState.Done, "the restarted instance to deliver its own entry");
        _pos.Orders(PosterTarget).Count.ShouldBe(1);
        var other = await EntryAsync(ids[1], restarted);
        other.State.ShouldBe(ExportQueueState.Pending);
        other.LeaseOwner.ShouldBe("engine-b/0123456789abcdef", "another instance's lease is left to run out");
    }

    [Fact]
    public async Task A_graceful_stop_lets_attempts_in_flight_finish_and_writes_their_outcomes()
    {
        await _pos.FaultsAsync(new FaultSettings { LatencyMs = 1500 });
        var clock = _a.Clock.GetUtcNow();
        await _a.DisposeAsync();
        var running = Instance("engine-a", dispatching: true);
        running.Clock.Set(clock);
        (await _tenant.Sender(running).SendAsync(Order(1))).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await WaitUntilAsync(async () => await running.WithDbAsync(db => db.ExportQueue.AnyAsync(e => e.LeaseOwner != null)), "the attempt in flight");

        await running.DisposeAsync(); // Dispatcher:DrainTimeout 10 s: the attempt (1.5 s at the POS) finishes

        var after = Instance("engine-check", dispatching: false);
        after.Clock.Set(clock);
        var entry = await after.WithDbAsync(db => db.ExportQueue.AsNoTracking().SingleAsync());
        entry.State.ShouldBe(ExportQueueState.Done);
        entry.LeaseOwner.ShouldBeNull();
        (await after.WithDbAsync(db => db.Orders.SingleAsync())).ExportState.ShouldBe(ExportState.Exported);
        _pos.Orders(PosterTarget).Count.ShouldBe(1);
    }

    private OrderHubFactory Instance(string id, bool dispatching)
    {
        var instance = new OrderHubFactory(_database, new Dictionary<string, string?>
        {
            ["Dispatcher:Enabled"] = dispatching ? "true" : "false",
            ["Processing:InstanceId"] = id,
            ["Dispatcher:PollInterval"] = "00:00:00.200",
            ["Dispatcher:DrainTimeout"] = "00:00:10",
            ["Poster:BaseUrlTemplate"] = _pos.PosterBaseUrlTemplate,
            ["PosterApp:ApplicationSecret"] = PosSimulatorServer.PosterAppSecret,
            ["Pos:Resilience:AttemptTimeout"] = "00:00:10",
            ["Pos:Resilience:MinimumThroughput"] = "1000",
        });
        if (_instances.Count > 0)
        {
            instance.Clock.Set(_instances[0].Clock.GetUtcNow());
        }

        _instances.Add(instance);
        _ = instance.Server;
        return instance;
    }

    /// <summary>Orders accepted through the webhook, applied by the inbox and queued for export (no dispatcher runs).</summary>
    private async Task QueueOrdersAsync(int count)
    {
        var sender = _tenant.Sender(_a);
        foreach (var n in Enumerable.Range(1, count))
        {
            (await sender.SendAsync(Order(n))).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        await WaitUntilAsync(async () => await _a.WithDbAsync(db => db.ExportQueue.CountAsync(e => e.State == ExportQueueState.Pending)) == count, $"{count} queued entries");
    }

    private Task LeaseAsync(Guid id, string owner, DateTimeOffset until) => _a.WithDbAsync(db => db.ExportQueue.Where(e => e.Id == id)
        .ExecuteUpdateAsync(set => set.SetProperty(e => e.LeaseOwner, owner).SetProperty(e => e.LeaseUntil, until).SetProperty(e => e.Attempts, 1)));

    private Task<ExportQueueEntry> EntryAsync(Guid id, OrderHubFactory? via = null) =>
        (via ?? _a).WithDbAsync(db => db.ExportQueue.AsNoTracking().SingleAsync(e => e.Id == id));

    private static JsonObject Order(int n)
    {
        var body = Fixtures.Json(Fixtures.AcceptedDelivery);
        body["eventId"] = $"evt_engine_{n}_{Guid.NewGuid():N}";
        var order = body["order"]!.AsObject();
        order["id"] = Guid.NewGuid().ToString();
        order["number"] = $"EN-{n:D4}";
        order["companyAddressId"] = n % 2 == 0 ? Fixtures.KyivAddressId : Fixtures.LvivAddressId;
        return body;
    }
}
