using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Dispatching;
using OrderHub.Api.Features.Orders;
using OrderHub.Domain.Export;
using OrderHub.Domain.Orders;
using OrderHub.FunctionalTests.Infrastructure;
using static OrderHub.FunctionalTests.Infrastructure.Eventually;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.PosFeed;

/// <summary>
/// Held pre-orders through HTTP, the real dispatcher and the webhook POS simulator, with the test clock: a held
/// order reaches the POS at its due time and not before, "send now" sends it at once, a cancelled one never goes.
/// "Not before" is read after an engine round that is seen to run: a sentinel order (no delivery time) accepted
/// at the same clock reaches the POS, so the round that took it passed over the held one.
/// </summary>
public abstract class HeldPreOrderTests(ITestDatabase database) : ProviderTestBase(database)
{
    private const string WebhookTarget = "pos/orders";

    protected PosSimulatorServer Pos { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Dispatcher:Enabled"] = "true",
        ["Dispatcher:PollInterval"] = "00:00:00.200",
        ["Dispatcher:DrainTimeout"] = "00:00:05",
        // Nothing here times out on purpose. A POS call cut off by the attempt timeout is unclear, and its retry waits at
        // least a minute on the test clock, which does not move by itself: the order would never reach Exported. With
        // 1 s, the first (cold) call of a test, 0.3-1.1 s even when the class ran alone, was cut off on loaded runs.
        ["Pos:Resilience:AttemptTimeout"] = "00:00:10",
        ["Pos:Resilience:MinimumThroughput"] = "1000",
    };

    public override async Task InitializeAsync()
    {
        // The simulator reads OrderHub's clock: pushes signed hours ahead of real time are fresh to it.
        await base.InitializeAsync();
        await Pos.StartAsync(Factory.Clock);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Pos.DisposeAsync();
    }

    [Fact]
    public async Task A_held_pre_order_reaches_the_POS_at_its_due_time_and_not_before()
    {
        var tenant = await HoldingTenantAsync(preparationMinutes: 30);
        var delivery = WholeSeconds(Factory.Clock.GetUtcNow().AddHours(2));
        var due = delivery.AddMinutes(-30);

        var held = await AcceptAsync(tenant, 1, delivery);
        var details = await GetOrderAsync(held);
        details.ExportState.ShouldBe("Queued");
        details.HeldUntil.ShouldBe(due);
        details.History.ShouldContain(h => h.Action == "export.held");
        var list = await Factory.CreateApiClient().GetFromJsonAsync<Page<OrderSummaryDto>>($"/api/orders?pickupPointId={tenant.KyivPointId}");
        list!.Items.Single(o => o.Id == held).HeldUntil.ShouldBe(due);

        // Just before: a round runs (it takes the sentinel) and leaves the held order alone.
        Factory.Clock.Set(due.AddSeconds(-1));
        var sentinel = await AcceptAsync(tenant, 2, deliveryTime: null);
        await WaitForStateAsync(sentinel, ExportState.Exported);
        Pos.Orders(WebhookTarget).Select(o => o.MessageId).ShouldBe([$"oh_{sentinel:N}_create_1"]);
        var still = await GetOrderAsync(held);
        still.ExportState.ShouldBe("Queued");
        still.HeldUntil.ShouldBe(due);

        // Past it: the engine claims it on its next round.
        Factory.Clock.Set(due.AddSeconds(1));
        Wake();
        await WaitUntilAsync(() => Task.FromResult(Pos.Orders(WebhookTarget).Any(o => o.MessageId == $"oh_{held:N}_create_1")), "the held order at the POS");
        await WaitForStateAsync(held, ExportState.Exported);
        var sent = await GetOrderAsync(held);
        sent.HeldUntil.ShouldBeNull();
        var body = JsonSerializer.SerializeToElement(Pos.Orders(WebhookTarget).Single(o => o.MessageId == $"oh_{held:N}_create_1").Body);
        body.GetProperty("order").GetProperty("delivery").GetProperty("time").GetDateTimeOffset().ShouldBe(delivery);
    }

    [Fact]
    public async Task Send_now_sends_a_held_order_at_once_and_says_who_did()
    {
        var tenant = await HoldingTenantAsync(preparationMinutes: 45);
        var held = await AcceptAsync(tenant, 1, Factory.Clock.GetUtcNow().AddHours(3));
        (await GetOrderAsync(held)).HeldUntil.ShouldNotBeNull();

        var response = await Factory.CreateApiClient().PostAsync($"/api/orders/{held}/send-now", null);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await WaitUntilAsync(() => Task.FromResult(Pos.Orders(WebhookTarget).Any(o => o.MessageId == $"oh_{held:N}_create_1")), "the order sent now at the POS");
        await WaitForStateAsync(held, ExportState.Exported);

        var details = await GetOrderAsync(held);
        details.HeldUntil.ShouldBeNull();
        var early = details.History.Single(h => h.Action == "export.sent_early");
        early.Actor.ShouldBe("user:" + OrderHubFactory.ApiKeyName);
        await (await Factory.CreateApiClient().PostAsync($"/api/orders/{held}/send-now", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_held_order_cancelled_in_Dots_is_taken_out_of_the_queue_and_nothing_is_sent()
    {
        var tenant = await HoldingTenantAsync(preparationMinutes: 30);
        var delivery = WholeSeconds(Factory.Clock.GetUtcNow().AddHours(2));
        var body = Fixtures.Json(Fixtures.AcceptedDelivery);
        body["order"]!["deliveryTime"] = delivery.ToString("O");
        var sender = tenant.Sender(Factory);
        var held = (await (await sender.SendAsync(body)).ShouldBeProcessedAsync(HttpStatusCode.Accepted)).OrderId!.Value;
        (await GetOrderAsync(held)).HeldUntil.ShouldNotBeNull();

        await (await sender.SendFixtureAsync(Fixtures.Cancelled)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        var entry = await Factory.WithDbAsync(db => db.ExportQueue.AsNoTracking().SingleAsync(e => e.OrderId == held));
        entry.State.ShouldBe(ExportQueueState.Cancelled);

        // Past its due time a round runs (it takes the sentinel): the cancelled order is not sent, nor its cancellation.
        Factory.Clock.Set(delivery);
        var sentinel = await AcceptAsync(tenant, 2, deliveryTime: null);
        await WaitForStateAsync(sentinel, ExportState.Exported);
        Pos.Orders(WebhookTarget).Select(o => o.MessageId).ShouldBe([$"oh_{sentinel:N}_create_1"]);
        Pos.Stats().Received.ShouldBe(1);
        var details = await GetOrderAsync(held);
        details.ExportState.ShouldBe("Cancelled");
        details.HeldUntil.ShouldBeNull();
        (await Factory.WithDbAsync(db => db.ExportQueue.CountAsync(e => e.OrderId == held))).ShouldBe(1);
    }

    [Fact]
    public async Task A_pre_order_whose_due_time_has_passed_goes_at_once_and_so_does_every_order_where_the_point_does_not_hold()
    {
        var tenant = await HoldingTenantAsync(preparationMinutes: 30);
        var late = await AcceptAsync(tenant, 1, Factory.Clock.GetUtcNow().AddMinutes(20));
        await WaitForStateAsync(late, ExportState.Exported);
        (await GetOrderAsync(late)).History.ShouldNotContain(h => h.Action == "export.held");

        var off = await Factory.CreateApiClient().PutAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}", new { holdScheduledOrders = false });
        off.StatusCode.ShouldBe(HttpStatusCode.OK);
        var later = await AcceptAsync(tenant, 2, Factory.Clock.GetUtcNow().AddHours(5));
        await WaitForStateAsync(later, ExportState.Exported);
        Pos.Orders(WebhookTarget).Count.ShouldBe(2);
    }

    private async Task<TestTenant> HoldingTenantAsync(int preparationMinutes)
    {
        var tenant = await new TestTenant().WithWebhookPos(Pos.WebhookPosUrl, Pos.WebhookSecret).CreateAsync(Factory);
        var saved = await Factory.CreateApiClient().PutAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}",
            new { holdScheduledOrders = true, preparationMinutes });
        var point = await saved.ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        point.GetProperty("holdScheduledOrders").GetBoolean().ShouldBeTrue();
        point.GetProperty("preparationMinutes").GetInt32().ShouldBe(preparationMinutes);
        return tenant;
    }

    /// <summary>Delivery times in Dots are whole seconds (PostgreSQL keeps microseconds, .NET ticks).</summary>
    private static DateTimeOffset WholeSeconds(DateTimeOffset at) => DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds());

    private void Wake() => Factory.Services.GetRequiredService<ExportDispatcher>().Notify();

    private async Task<Guid> AcceptAsync(TestTenant tenant, int n, DateTimeOffset? deliveryTime)
    {
        var body = Fixtures.Json(Fixtures.AcceptedDelivery);
        body["eventId"] = $"evt_held_{n}_{Guid.NewGuid():N}";
        var order = body["order"]!.AsObject();
        order["id"] = Guid.NewGuid().ToString();
        order["number"] = $"HD-{n:D4}";
        order["deliveryTime"] = deliveryTime?.ToString("O");
        var receipt = await (await tenant.Sender(Factory).SendAsync(body)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        return receipt.OrderId!.Value;
    }

    private async Task<OrderDetailsDto> GetOrderAsync(Guid order) =>
        await (await Factory.CreateApiClient().GetAsync($"/api/orders/{order}")).ShouldBeAsync<OrderDetailsDto>(HttpStatusCode.OK);

    private Task WaitForStateAsync(Guid order, ExportState state) =>
        WaitUntilAsync(() => Factory.WithDbAsync(db => db.Orders.AnyAsync(o => o.Id == order && o.ExportState == state)), $"order {order} to reach {state}");
}

public sealed class SqliteHeldPreOrderTests() : HeldPreOrderTests(new SqliteTestDatabase());

public sealed class PostgresHeldPreOrderTests() : HeldPreOrderTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerHeldPreOrderTests() : HeldPreOrderTests(new SqlServerTestDatabase());
