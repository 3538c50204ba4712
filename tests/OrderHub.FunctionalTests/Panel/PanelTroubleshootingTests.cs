using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.Domain.Orders;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;
using static OrderHub.FunctionalTests.Infrastructure.Eventually;

namespace OrderHub.FunctionalTests.Panel;

public sealed class SqlitePanelTroubleshootingTests() : PanelTroubleshootingTests(new SqliteTestDatabase());

public sealed class PostgresPanelTroubleshootingTests() : PanelTroubleshootingTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerPanelTroubleshootingTests() : PanelTroubleshootingTests(new SqlServerTestDatabase());

/// <summary>
/// The troubleshooting screens' buttons over HTTP as a browser posts them, with the dispatcher and the simulated
/// Poster running: a failed order's reason links to the POS settings, the token is fixed there, the point's
/// failed orders are re-driven, a forced re-export needs a reason; an unrouted event is replayed once its point exists.
/// </summary>
public abstract class PanelTroubleshootingTests(ITestDatabase database) : ProviderTestBase(database)
{
    private const string PosterTarget = "poster/" + PosSimulatorServer.PosterAccount;

    private PosSimulatorServer Pos { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Dispatcher:Enabled"] = "true",
        ["Dispatcher:PollInterval"] = "00:00:00.200",
        ["Dispatcher:DrainTimeout"] = "00:00:05",
        ["Poster:BaseUrlTemplate"] = Pos.PosterBaseUrlTemplate,
        ["Pos:Resilience:AttemptTimeout"] = "00:00:10",
        ["Pos:Resilience:MinimumThroughput"] = "1000",
    };

    public override async Task InitializeAsync()
    {
        await Pos.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Pos.DisposeAsync();
    }

    [Fact]
    public async Task A_failed_order_links_to_the_POS_settings_the_token_is_fixed_there_and_the_points_failed_orders_are_redriven()
    {
        var tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, "861052:ffffffffffffffffffffffffffffffff").WithAutoSync(true)
            .CreateAsync(Factory);
        var orderId = await AcceptAsync(tenant.Sender(Factory), Fixtures.Json(Fixtures.AcceptedDelivery));
        await WaitForStateAsync(orderId, ExportState.Failed);
        await TestUsers.CreateAsync(Factory, "marko", "manager", tenant.CompanyId);
        var panel = new PanelClient(Factory);
        await panel.SignInAsync("marko", TestUsers.Password);

        var orderPage = $"/panel/orders/{orderId}";
        var html = await panel.GetPageAsync(orderPage);
        html.ShouldContain("POS відхилив токен або секрет");
        html.ShouldContain("<details>"); // the attempt's request and response, collapsed
        html.ShouldNotContain("\\u04"); // Cyrillic as text, not JSON escapes
        html.ShouldNotContain("\\u0022");
        html.ShouldContain($"href=\"/panel/points/{tenant.KyivPointId}?tab=pos\"");
        (await panel.GetPageAsync($"/panel/orders?point={tenant.KyivPointId}&problem=PosAuthRejected")).ShouldContain(orderId.ToString());

        var point = $"/panel/points/{tenant.KyivPointId}";
        var saved = await panel.PostFormAsync(point, point + "?handler=Pos", new Dictionary<string, string>
        {
            ["kind"] = "Poster", ["posterAccount"] = PosSimulatorServer.PosterAccount, ["posterSpotId"] = "1",
            ["token"] = PosSimulatorServer.PosterToken, ["enabled"] = "true", ["autoSyncOnAcceptance"] = "true",
        });
        (await FollowAsync(panel, saved)).ShouldContain("Налаштування POS збережено.");
        Pos.Orders(PosterTarget).ShouldBeEmpty();

        var orders = $"/panel/orders?point={tenant.KyivPointId}";
        var redriven = await panel.PostFormAsync(orders, $"/panel/orders?point={tenant.KyivPointId}&handler=Redrive",
            new Dictionary<string, string> { ["pickupPointId"] = tenant.KyivPointId.ToString() });
        (await FollowAsync(panel, redriven)).ShouldContain("Поставлено в чергу: 1; залишилися на місці: 0.");
        await WaitForStateAsync(orderId, ExportState.Exported);
        Pos.Orders(PosterTarget).Count.ShouldBe(1);

        // The delivery's history row is data: Ukrainian in the Ukrainian panel, English when English is chosen.
        var delivered = await panel.GetPageAsync(orderPage);
        delivered.ShouldContain("Передано в POS (");
        delivered.ShouldNotContain("Delivered to the POS");
        (await panel.GetPageAsync(orderPage + "?lang=en")).ShouldContain("Delivered to the POS (");

        // A forced re-export needs a reason: without one the page says so and nothing is sent.
        var noReason = await panel.PostFormAsync(orderPage, orderPage + "?handler=Reexport", new Dictionary<string, string> { ["reason"] = "" });
        (await FollowAsync(panel, noReason)).ShouldContain("Примусовий експорт потребує причини"); // in the panel's language
        var forced = await panel.PostFormAsync(orderPage, orderPage + "?handler=Reexport",
            new Dictionary<string, string> { ["reason"] = "The register lost it" });
        (await FollowAsync(panel, forced)).ShouldContain("data-testid=\"notice\"");
        await WaitUntilAsync(() => Task.FromResult(Pos.Orders(PosterTarget).Count == 2), "the forced re-export at the POS (its second order)");
        var history = await Factory.WithDbAsync(db => db.OrderActions.AsNoTracking().Where(a => a.OrderId == orderId && a.Action == "export.forced").ToListAsync());
        history.ShouldHaveSingleItem().Message.ShouldContain("The register lost it");
        history[0].Actor.ShouldBe("user:marko");
    }

    [Fact]
    public async Task An_unrouted_event_is_listed_and_replayed_from_the_panel_once_its_pickup_point_exists()
    {
        var tenant = await new TestTenant().WithoutLvivPoint().WithAutoSync(false).CreateAsync(Factory);
        var unrouted = await tenant.Sender(Factory).SendFixtureAsync(Fixtures.AcceptedPickupCash);
        unrouted.StatusCode.ShouldBe(HttpStatusCode.Accepted); // stored; processed as unrouted
        await TestUsers.CreateAsync(Factory, "iryna", "manager", tenant.CompanyId);
        var panel = new PanelClient(Factory);
        await panel.SignInAsync("iryna", TestUsers.Password);

        var list = await panel.GetPageAsync("/panel/unrouted");
        list.ShouldContain(Fixtures.LvivAddressId);
        var eventId = await Factory.WithDbAsync(db => db.InboundEvents.AsNoTracking().Where(e => e.DotsAddressId == Fixtures.LvivAddressId).Select(e => e.Id).SingleAsync());
        var replay = $"/panel/unrouted?id={eventId}&handler=Replay";

        var early = await panel.PostFormAsync("/panel/unrouted", replay, new Dictionary<string, string>());
        (await FollowAsync(panel, early)).ShouldContain("Точку видачі досі не налаштовано");
        (await CountAsync(db => db.Orders)).ShouldBe(0);

        var company = $"/panel/companies/{tenant.CompanyId}";
        var created = await panel.PostFormAsync(company, company + "?handler=Point", new Dictionary<string, string>
        {
            ["name"] = "Площа Ринок", ["dotsAddressId"] = Fixtures.LvivAddressId, ["address"] = "пл. Ринок, 1", ["timeZone"] = "",
        });
        (await FollowAsync(panel, created)).ShouldContain("Точку видачі «Площа Ринок» створено.");

        var replayed = await panel.PostFormAsync("/panel/unrouted", replay, new Dictionary<string, string>());
        (await FollowAsync(panel, replayed)).ShouldContain("Подію оброблено: замовлення створено або оновлено.");
        var order = await Factory.WithDbAsync(db => db.Orders.AsNoTracking().SingleAsync());
        order.PickupPointId.ShouldBe(await Factory.WithDbAsync(db => db.PickupPoints.Where(p => p.DotsAddressId == Fixtures.LvivAddressId).Select(p => p.Id).SingleAsync()));
        order.ExportState.ShouldBe(ExportState.AwaitingExport);
        (await panel.GetPageAsync("/panel/unrouted")).ShouldNotContain(Fixtures.LvivAddressId);
    }

    [Fact]
    public async Task Auto_sync_below_full_coverage_shows_the_APIs_refusal_and_goes_on_only_with_a_reason()
    {
        var tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).WithAutoSync(false)
            .WithoutMapping("dots-prod-tiramisu").CreateAsync(Factory);
        await AcceptAsync(tenant.Sender(Factory), Fixtures.Json(Fixtures.AcceptedDelivery));
        await TestUsers.CreateAsync(Factory, "petro", "manager", tenant.CompanyId);
        var panel = new PanelClient(Factory);
        await panel.SignInAsync("petro", TestUsers.Password);
        var coverage = $"/panel/points/{tenant.KyivPointId}/coverage";
        (await FollowAsync(panel, await panel.PostFormAsync(coverage, coverage + "?handler=DotsFromOrders", new Dictionary<string, string>())))
            .ShouldContain("Меню Dots: 7 позицій (нових 7, змінених 0).");

        var point = $"/panel/points/{tenant.KyivPointId}";
        var form = new Dictionary<string, string>
        {
            ["kind"] = "Poster", ["posterAccount"] = PosSimulatorServer.PosterAccount, ["posterSpotId"] = "1",
            ["enabled"] = "true", ["autoSyncOnAcceptance"] = "true",
        };
        var refused = await FollowAsync(panel, await panel.PostFormAsync(point, point + "?handler=Pos", new Dictionary<string, string>(form)));
        // The refusal reads in the panel's language.
        refused.ShouldContain("Покриття меню нижче 100 %");
        refused.ShouldNotContain("Mapping coverage is below 100 %");
        refused.ShouldContain("dots-prod-tiramisu");
        (await Factory.WithDbAsync(db => db.PosIntegrations.AsNoTracking().SingleAsync(i => i.PickupPointId == tenant.KyivPointId))).AutoSyncOnAcceptance.ShouldBeFalse();

        form["autoSyncOverrideReason"] = "Tiramisu is off the menu this week";
        var saved = await FollowAsync(panel, await panel.PostFormAsync(point, point + "?handler=Pos", form));
        saved.ShouldContain("Налаштування POS збережено.");
        saved.ShouldContain("Tiramisu is off the menu this week");
        var stored = await Factory.WithDbAsync(db => db.PosIntegrations.AsNoTracking().SingleAsync(i => i.PickupPointId == tenant.KyivPointId));
        stored.AutoSyncOnAcceptance.ShouldBeTrue();
        stored.AutoSyncOverrideBy.ShouldBe("user:petro");
    }

    [Fact]
    public async Task A_manager_names_the_parked_queues_and_a_support_user_parks_a_waiting_order_in_one()
    {
        var tenant = await new TestTenant().WithAutoSync(false).CreateAsync(Factory);
        var orderId = await AcceptAsync(tenant.Sender(Factory), Fixtures.Json(Fixtures.AcceptedDelivery));
        await TestUsers.CreateAsync(Factory, "halyna", "manager", tenant.CompanyId);
        await TestUsers.CreateAsync(Factory, "bohdan", "support", tenant.CompanyId);
        var manager = new PanelClient(Factory);
        await manager.SignInAsync("halyna", TestUsers.Password);
        var parked = $"/panel/points/{tenant.KyivPointId}/parked";

        var bad = await manager.PostFormAsync(parked, parked + "?handler=Queues", new Dictionary<string, string> { ["scope"] = "company", ["lines"] = "no colon here" });
        (await FollowAsync(manager, bad)).ShouldContain("Кожен рядок: «ключ: Назва».");
        var company = await manager.PostFormAsync(parked, parked + "?handler=Queues", new Dictionary<string, string> { ["scope"] = "company", ["lines"] = "hall: Зала\nbar: Бар" });
        (await FollowAsync(manager, company)).ShouldContain("Черги збережено.");
        var point = await manager.PostFormAsync(parked, parked + "?handler=Queues", new Dictionary<string, string> { ["scope"] = "point", ["lines"] = "bar: Бар на терасі" });
        var page = await FollowAsync(manager, point);
        page.ShouldContain("Бар на терасі");
        page.ShouldContain("перейменована тут");

        var support = new PanelClient(Factory);
        await support.SignInAsync("bohdan", TestUsers.Password);
        (await support.GetPageAsync(parked)).ShouldNotContain("data-testid=\"company-queues\"");
        var park = await support.PostFormAsync(parked, parked + "?handler=Park", new Dictionary<string, string> { ["orderId"] = orderId.ToString(), ["queue"] = "bar" });
        (await FollowAsync(support, park)).ShouldContain("Замовлення #DT-104233 відкладено.");
        var stored = await Factory.WithDbAsync(db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId));
        stored.ParkedQueue.ShouldBe("bar");
        stored.ParkedBy.ShouldBe("user:bohdan");
        var refused = await support.PostFormAsync(parked, parked + "?handler=Queues", new Dictionary<string, string> { ["scope"] = "point", ["lines"] = "x: X" });
        refused.Headers.Location!.OriginalString.ShouldContain("/panel/denied");
        (await CountAsync(db => db.ParkedQueues)).ShouldBe(3);
    }

    [Fact]
    public async Task Times_show_in_Kyiv_time_with_the_instant_in_UTC_and_the_order_filter_reads_its_dates_in_Kyiv_time()
    {
        // 22:30 UTC on 20 November is 00:30 the next day in Kyiv (UTC+2 in winter): the date itself differs.
        Factory.Clock.Set(new DateTimeOffset(2026, 11, 20, 22, 30, 0, TimeSpan.Zero));
        var tenant = await new TestTenant().WithAutoSync(false).CreateAsync(Factory);
        var orderId = await AcceptAsync(tenant.Sender(Factory), Fixtures.Json(Fixtures.AcceptedDelivery));
        await TestUsers.CreateAsync(Factory, "iryna", "support", tenant.CompanyId);
        var panel = new PanelClient(Factory);
        await panel.SignInAsync("iryna", TestUsers.Password);
        const string Shown = "<time datetime=\"2026-11-20T22:30:00Z\" title=\"2026-11-20 22:30:00 UTC\">2026-11-21 00:30";

        var list = await panel.GetPageAsync($"/panel/orders?point={tenant.KyivPointId}");
        list.ShouldContain(Shown + "</time>");
        list.ShouldContain("Час у панелі: Europe/Kyiv");
        (await panel.GetPageAsync($"/panel/orders/{orderId}")).ShouldContain(Shown + ":00</time>");

        // Filter dates are Kyiv wall-clock times: read as UTC, each of these would give the opposite answer.
        (await panel.GetPageAsync($"/panel/orders?point={tenant.KyivPointId}&from=2026-11-21T00:00")).ShouldContain(orderId.ToString());
        (await panel.GetPageAsync($"/panel/orders?point={tenant.KyivPointId}&to=2026-11-21T00:00")).ShouldNotContain(orderId.ToString());
        (await panel.GetPageAsync($"/panel/orders?point={tenant.KyivPointId}&from=2026-11-20T23:00&to=2026-11-21T01:00")).ShouldContain(orderId.ToString());
    }

    private static async Task<string> FollowAsync(PanelClient panel, HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return await panel.GetPageAsync(response.Headers.Location!.OriginalString);
    }

    private static async Task<Guid> AcceptAsync(DotsSender sender, System.Text.Json.Nodes.JsonObject body)
    {
        var response = await sender.SendAsync(body);
        return (await response.ShouldBeProcessedAsync(HttpStatusCode.Accepted)).OrderId!.Value;
    }

    private Task WaitForStateAsync(Guid orderId, ExportState state) =>
        WaitUntilAsync(async () => await Factory.WithDbAsync(db => db.Orders.AsNoTracking().AnyAsync(o => o.Id == orderId && o.ExportState == state)), $"order {orderId} to reach {state}");
}
