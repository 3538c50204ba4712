using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Features.Orders;
using OrderHub.Api.Retention;
using OrderHub.Domain.Export;
using OrderHub.Domain.Orders;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Retention;

public sealed class SqliteRetentionTests() : RetentionTests(new SqliteTestDatabase());

public sealed class PostgresRetentionTests() : RetentionTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerRetentionTests() : RetentionTests(new SqlServerTestDatabase());

/// <summary>
/// Retention with the defaults (payloads 30 days, finished orders 365 days) and batches of one, so every step
/// loops: old payloads are pruned first, old finished orders go with every row that hangs off them, work in
/// flight and recent orders stay.
/// </summary>
public abstract class RetentionTests(ITestDatabase database) : ProviderTestBase(database)
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Retention:BatchSize"] = "1",
    };

    [Fact]
    public async Task Old_payloads_are_pruned_and_old_finished_orders_deleted_with_their_rows_while_queued_and_recent_ones_stay()
    {
        // Whole seconds: PostgreSQL keeps microseconds, the clock ticks.
        var now = DateTimeOffset.FromUnixTimeSeconds(Factory.Clock.GetUtcNow().ToUnixTimeSeconds());
        Factory.Clock.Set(now);
        var tenant = await new TestTenant().CreateAsync(Factory);
        var sender = tenant.Sender(Factory);

        Factory.Clock.Set(now - 400 * Day);
        var oldCancelled = await AcceptAsync(sender, "old-cancelled");
        await CancelAsync(sender, "old-cancelled");
        var oldExported = await AcceptAsync(sender, "old-exported");
        await MarkExportedAsync(oldExported);
        var oldQueued = await AcceptAsync(sender, "old-queued");

        Factory.Clock.Set(now - 40 * Day);
        var midCancelled = await AcceptAsync(sender, "mid-cancelled");
        await CancelAsync(sender, "mid-cancelled");

        Factory.Clock.Set(now - Day);
        var recent = await AcceptAsync(sender, "recent");
        Factory.Clock.Set(now);

        var result = await RunRetentionAsync();

        result.OrdersDeleted.ShouldBe(2);
        result.OrderPayloadsPruned.ShouldBe(4); // every order older than 30 days, before any was deleted
        result.EventPayloadsPruned.ShouldBe(2); // the two cancel events keep their own payloads
        foreach (var gone in new[] { oldCancelled, oldExported })
        {
            (await CountAsync(db => db.Orders.Where(o => o.Id == gone))).ShouldBe(0);
            (await CountAsync(db => db.Set<OrderLine>().Where(l => l.OrderId == gone))).ShouldBe(0);
            (await CountAsync(db => db.Set<OrderPromotion>().Where(p => p.OrderId == gone))).ShouldBe(0);
            (await CountAsync(db => db.OrderActions.Where(a => a.OrderId == gone))).ShouldBe(0);
            (await CountAsync(db => db.InboundEvents.Where(e => e.OrderId == gone))).ShouldBe(0);
            (await CountAsync(db => db.ExportQueue.Where(q => q.OrderId == gone))).ShouldBe(0);
        }

        (await CountAsync(db => db.Set<OrderLineModifier>())).ShouldBe(3 * 2); // the pizza's two modifiers of each order left

        var queued = await Factory.WithDbAsync(db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == oldQueued));
        queued.ExportState.ShouldBe(ExportState.Queued);
        queued.RawPayload.ShouldBe("");
        queued.RawPayloadPrunedAt.ShouldBe(now);
        (await CountAsync(db => db.ExportQueue.Where(q => q.OrderId == oldQueued && q.State == ExportQueueState.Pending))).ShouldBe(1);

        var mid = await Factory.WithDbAsync(db => db.Orders.AsNoTracking().Include(o => o.Lines).SingleAsync(o => o.Id == midCancelled));
        mid.RawPayloadPrunedAt.ShouldBe(now);
        mid.Lines.Count.ShouldBe(3);
        (await CountAsync(db => db.OrderActions.Where(a => a.OrderId == midCancelled))).ShouldBeGreaterThan(2);
        var cancelEvent = await Factory.WithDbAsync(db => db.InboundEvents.AsNoTracking().SingleAsync(e => e.OrderId == midCancelled && e.EventType == "order.cancelled"));
        cancelEvent.RawPayload.ShouldBe("");
        cancelEvent.RawPayloadPrunedAt.ShouldBe(now);

        var kept = await Factory.WithDbAsync(db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == recent));
        kept.RawPayloadPrunedAt.ShouldBeNull();
        kept.RawPayload.ShouldContain("\"recent\"");

        var api = Factory.CreateApiClient();
        var problem = await (await api.GetAsync($"/api/orders/{midCancelled}/payload")).ShouldBeProblemAsync(HttpStatusCode.Gone);
        problem.GetProperty("title").GetString().ShouldBe("Payload pruned");
        (await api.GetAsync($"/api/orders/{midCancelled}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync($"/api/orders/{oldCancelled}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var payload = await api.GetAsync($"/api/orders/{recent}/payload");
        payload.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await payload.Content.ReadAsStringAsync()).ShouldContain("\"recent\"");

        var again = await RunRetentionAsync();
        again.ShouldBe(new RetentionResult(0, 0, 0, 0));
    }

    [Fact]
    public async Task An_unrouted_event_with_a_pruned_payload_answers_410_on_replay()
    {
        var now = Factory.Clock.GetUtcNow();
        var tenant = await new TestTenant().WithoutLvivPoint().CreateAsync(Factory);
        Factory.Clock.Set(now - 31 * Day);
        (await tenant.Sender(Factory).SendFixtureAsync(Fixtures.AcceptedPickupCash)).StatusCode.ShouldBe(HttpStatusCode.Accepted); // stored; processed as unrouted
        Factory.Clock.Set(now);

        (await RunRetentionAsync()).EventPayloadsPruned.ShouldBe(1);

        var unrouted = await Factory.WithDbAsync(db => db.InboundEvents.AsNoTracking().SingleAsync());
        var response = await Factory.CreateApiClient().PostAsync($"/api/unrouted/{unrouted.Id}/replay", null);
        await response.ShouldBeProblemAsync(HttpStatusCode.Gone);
    }

    [Fact]
    public void A_payload_age_longer_than_the_history_age_is_refused_at_start()
    {
        using var factory = new OrderHubFactory(Database, new Dictionary<string, string?>
        {
            ["Retention:RawPayloadAge"] = "400.00:00:00",
            ["Retention:HistoryAge"] = "365.00:00:00",
        });

        var refused = Should.Throw<Exception>(() => factory.Server);
        refused.ToString().ShouldContain("RawPayloadAge must not exceed");
    }

    [Fact]
    public async Task The_hosted_service_prunes_on_its_interval()
    {
        var now = Factory.Clock.GetUtcNow();
        await using var factory = new OrderHubFactory(Database, new Dictionary<string, string?>
        {
            ["Retention:Enabled"] = "true",
            ["Retention:Interval"] = "00:00:00.200",
        });
        var tenant = await new TestTenant().CreateAsync(factory);
        factory.Clock.Set(now - 31 * Day);
        var order = await AcceptAsync(tenant.Sender(factory), "by-the-service");
        factory.Clock.Set(now);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        DateTimeOffset? prunedAt = null;
        while (prunedAt is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            prunedAt = await factory.WithDbAsync(db => db.Orders.Where(o => o.Id == order).Select(o => o.RawPayloadPrunedAt).SingleAsync());
        }

        prunedAt.ShouldNotBeNull();
    }

    private async Task<RetentionResult> RunRetentionAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RetentionRunner>().RunOnceAsync(CancellationToken.None);
    }

    private static async Task<Guid> AcceptAsync(DotsSender sender, string dotsOrderId)
    {
        var body = Fixtures.Json(Fixtures.AcceptedDelivery);
        body["eventId"] = "evt_accept_" + dotsOrderId;
        body["order"]!["id"] = dotsOrderId;
        var receipt = await (await sender.SendAsync(body)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        return receipt.OrderId!.Value;
    }

    private static async Task CancelAsync(DotsSender sender, string dotsOrderId)
    {
        var body = Fixtures.Json(Fixtures.Cancelled);
        body["eventId"] = "evt_cancel_" + dotsOrderId;
        body["order"]!["id"] = dotsOrderId;
        var response = await sender.SendAsync(body);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    /// <summary>What the dispatcher does on a delivered attempt, at the clock's time.</summary>
    private Task MarkExportedAsync(Guid orderId) => Factory.WithDbAsync(async db =>
    {
        var order = await db.Orders.SingleAsync(o => o.Id == orderId);
        order.MarkExported();
        order.ExportedAt = order.UpdatedAt = Factory.Clock.GetUtcNow();
        var entry = await db.ExportQueue.SingleAsync(q => q.OrderId == orderId);
        entry.State = ExportQueueState.Done;
        entry.UpdatedAt = Factory.Clock.GetUtcNow();
        return await db.SaveChangesAsync();
    });
}
