using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.Integrations.WebhookPos;
using static OrderHub.FunctionalTests.Infrastructure.Eventually;

namespace OrderHub.FunctionalTests.Panel;

/// <summary>
/// Held pre-orders and the webhook POS catch-up feed in headless Chromium, in Ukrainian and in English (SQLite,
/// OrderHub on a real port, the webhook POS simulator on OrderHub's clock, the dispatcher running): a manager
/// switches a point to holding, sees a pre-order "held until" in the list and on its page, sends it now, and
/// reads the feed's status on the point's POS page before and after the receiver acknowledges.
/// </summary>
public sealed class PanelPreOrderTests(Chromium chromium) : IAsyncLifetime, IClassFixture<Chromium>
{
    private const string Password = "correct-horse-battery-staple";
    private const string WebhookTarget = "pos/orders";

    private readonly SqliteTestDatabase _database = new();
    private readonly PosSimulatorServer _pos = new();
    private OrderHubFactory _factory = null!;
    private TestTenant _tenant = null!;
    private string _baseUrl = "";

    public async Task InitializeAsync()
    {
        await _database.CreateAsync();
        _factory = new OrderHubFactory(_database, new Dictionary<string, string?>
        {
            ["Dispatcher:Enabled"] = "true",
            ["Dispatcher:PollInterval"] = "00:00:00.200",
            ["Dispatcher:DrainTimeout"] = "00:00:05",
            ["Pos:Resilience:AttemptTimeout"] = "00:00:10",
            ["Pos:Resilience:MinimumThroughput"] = "1000",
        });
        await _pos.StartAsync(_factory.Clock);
        _baseUrl = KestrelOrderHub.Start(_factory);
        _tenant = await new TestTenant().WithWebhookPos(_pos.WebhookPosUrl, _pos.WebhookSecret).CreateAsync(_factory);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
        await _pos.DisposeAsync();
    }

    [Theory]
    [InlineData("uk")]
    [InlineData("en")]
    public async Task A_manager_holds_pre_orders_sends_one_now_and_reads_the_feed_status(string language)
    {
        var uk = language == "uk";
        await CreateUserAsync("olena-" + language, language);
        var page = await chromium.NewPageAsync(_baseUrl, locale: uk ? "uk-UA" : "en-US");
        await page.SignInAsync("olena-" + language, Password);

        // The point's setting, on its details sub-page: at once by default, then hold with 40 minutes.
        await page.OpenAsync($"/panel/points/{_tenant.KyivPointId}?tab=details");
        await Expect(page.GetByTestId("held-mode")).ToHaveTextAsync(uk ? "надсилати в POS одразу" : "send to the POS at once");
        await page.GetByTestId("held-hold").CheckAsync();
        await page.GetByTestId("held-minutes-input").FillAsync("40");
        await page.FollowAsync(() => page.GetByTestId("held-save").ClickAsync());
        await Expect(page.GetByTestId("notice")).ToContainTextAsync(uk ? "Налаштування попередніх замовлень збережено." : "Pre-order settings saved.");
        page.Url.ShouldEndWith("?tab=details");
        await Expect(page.GetByTestId("held-mode")).ToHaveTextAsync(uk ? "притримувати до часу доставки мінус час приготування" : "hold until the delivery time minus the preparation time");
        await Expect(page.GetByTestId("held-minutes")).ToHaveTextAsync("40");

        // A pre-order for three hours from now: held until 40 minutes before, in the list and on its page.
        var delivery = DateTimeOffset.FromUnixTimeSeconds(_factory.Clock.GetUtcNow().AddHours(3).ToUnixTimeSeconds());
        var due = Kyiv(delivery.AddMinutes(-40));
        var order = await AcceptAsync(delivery);
        await page.OpenAsync($"/panel/orders?point={_tenant.KyivPointId}");
        await Expect(page.GetByTestId("held-until")).ToHaveTextAsync(uk ? $"притримано до {due}" : $"held until {due}");
        await Chromium.ScreenshotAsync(page, "panel-held-orders-" + language);
        await page.OpenAsync($"/panel/orders/{order}");
        await Expect(page.GetByTestId("held-until")).ToHaveTextAsync(uk
            ? $"Попереднє замовлення притримано: надійде в POS о {due}."
            : $"Pre-order held: it goes to the POS at {due}.");
        _pos.Orders(WebhookTarget).ShouldBeEmpty();

        // Send now: at once, and the page says so.
        await Expect(page.GetByTestId("send-now")).ToHaveTextAsync(uk ? "Надіслати зараз" : "Send now");
        await page.FollowAsync(() => page.GetByTestId("send-now").ClickAsync());
        await Expect(page.GetByTestId("notice")).ToContainTextAsync(uk ? "Замовлення надіслано в POS раніше часу." : "The order is on its way to the POS ahead of time.");
        await WaitUntilAsync(() => Task.FromResult(_pos.Orders(WebhookTarget).Any(o => o.MessageId == $"oh_{order:N}_create_1")), "the order sent now at the webhook POS");
        await page.RefreshAsync();
        await Expect(page.GetByTestId("held-order")).ToHaveCountAsync(0);
        await Expect(page.Locator("body")).ToContainTextAsync(uk ? "Надіслано раніше вручну" : "Sent early by hand");

        // The feed on the point's POS page: one message not acknowledged, then none once the receiver acks.
        await WaitUntilAsync(() => _factory.WithDbAsync(db => db.PosFeedMessages.AnyAsync(m => m.OrderId == order)), "the order's message in the catch-up feed");
        await page.OpenAsync($"/panel/points/{_tenant.KyivPointId}");
        await Expect(page.GetByTestId("pos-feed")).ToContainTextAsync(uk ? "Стрічка наздоганяння" : "Catch-up feed");
        await Expect(page.GetByTestId("feed-acked")).ToHaveTextAsync(uk ? "ще нічого не підтверджено" : "nothing acknowledged yet");
        await Expect(page.GetByTestId("feed-behind")).ToContainTextAsync("1;");
        await Chromium.ScreenshotAsync(page, "panel-pos-feed-" + language);

        var integrationId = await _factory.WithDbAsync(db => db.PosIntegrations.Where(i => i.PickupPointId == _tenant.KyivPointId).Select(i => i.Id).SingleAsync());
        var latest = await _factory.WithDbAsync(db => db.PosFeedMessages.Where(m => m.IntegrationId == integrationId).MaxAsync(m => m.Sequence));
        using var receiver = new HttpClient { BaseAddress = new Uri(_baseUrl) };
        receiver.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PosFeedToken.Derive(_pos.WebhookSecret, integrationId));
        (await receiver.PostAsJsonAsync($"/api/pos-feed/{integrationId}/ack", new { cursor = latest })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await page.RefreshAsync();
        await Expect(page.GetByTestId("feed-behind")).ToHaveTextAsync(uk ? "усе підтверджено" : "all acknowledged");
        await Expect(page.GetByTestId("feed-acked")).ToContainTextAsync($"#{latest}");
    }

    [Theory]
    [InlineData("uk")]
    [InlineData("en")]
    public async Task The_dashboard_keeps_a_held_pre_order_apart_from_an_order_stuck_in_the_queue(string language)
    {
        var uk = language == "uk";
        await _factory.WithDbAsync(async db =>
        {
            var point = await db.PickupPoints.SingleAsync(p => p.Id == _tenant.KyivPointId);
            point.HoldScheduledOrders = true;
            point.PreparationMinutes = 40;
            return await db.SaveChangesAsync();
        });
        // The POS is down: an order without a delivery time stays in the queue, retried; the pre-order waits for its time.
        await _pos.FaultsAsync(new OrderHub.Simulators.FaultSettings { Outage = true });
        var delivery = DateTimeOffset.FromUnixTimeSeconds(_factory.Clock.GetUtcNow().AddHours(3).ToUnixTimeSeconds());
        var held = await AcceptAsync(delivery);
        var stuck = await AcceptAsync(null);
        await WaitUntilAsync(() => _factory.WithDbAsync(db => db.OrderActions.AnyAsync(a => a.OrderId == stuck && a.Action == "export.attempt")), "the first export attempt of the order without a delivery time");
        // Both queued longer than the dashboard's waiting time (15 minutes).
        _factory.Clock.Advance(TimeSpan.FromMinutes(20));
        (await _factory.WithDbAsync(db => db.Orders.Where(o => o.Id == held || o.Id == stuck).Select(o => o.ExportState).ToListAsync()))
            .ShouldBe([OrderHub.Domain.Orders.ExportState.Queued, OrderHub.Domain.Orders.ExportState.Queued]);
        (await _factory.WithDbAsync(db => db.ExportQueue.AnyAsync(e => e.OrderId == held && e.HeldUntil > _factory.Clock.GetUtcNow()))).ShouldBeTrue();

        await CreateUserAsync("taras-" + language, language);
        var page = await chromium.NewPageAsync(_baseUrl, locale: uk ? "uk-UA" : "en-US");
        await page.SignInAsync("taras-" + language, Password);
        await page.OpenAsync("/panel");
        // Only the stuck order needs attention; the held one is counted apart.
        await Expect(page.GetByTestId("attention-queued")).ToHaveAttributeAsync("data-count", "1");
        await Expect(page.GetByTestId("attention-held")).ToHaveAttributeAsync("data-count", "1");
        await Expect(page.GetByTestId("attention-held")).ToContainTextAsync(uk ? "попередніх замовлень відкладено до свого часу" : "pre-orders held until their time");

        // The "queued" list behind the number: the stuck order alone.
        await page.FollowAsync(() => page.GetByTestId("attention-queued").ClickAsync());
        await Expect(page.GetByTestId("held-filter")).ToHaveTextAsync(uk
            ? "Без притриманих попередніх замовлень: вони чекають свого часу, а не каси."
            : "Held pre-orders left out: they wait for their time, not for the register.");
        await Expect(page.GetByTestId("order-row")).ToHaveCountAsync(1);
        await Expect(page.Locator($"[data-testid=order-row] a[href='/panel/orders/{stuck}']")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("held-until")).ToHaveCountAsync(0);

        // The held list: the pre-order with its time.
        await page.OpenAsync("/panel");
        await page.FollowAsync(() => page.GetByTestId("attention-held").ClickAsync());
        await Expect(page.GetByTestId("order-row")).ToHaveCountAsync(1);
        await Expect(page.Locator($"[data-testid=order-row] a[href='/panel/orders/{held}']")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("held-until")).ToHaveTextAsync(uk ? $"притримано до {Kyiv(delivery.AddMinutes(-40))}" : $"held until {Kyiv(delivery.AddMinutes(-40))}");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    /// <summary>HH:mm in the panel's time zone (Kyiv by default).</summary>
    private static string Kyiv(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv")).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<Guid> AcceptAsync(DateTimeOffset? delivery)
    {
        var body = Fixtures.Json(Fixtures.AcceptedDelivery);
        body["eventId"] = "evt_panel_held_" + Guid.NewGuid().ToString("N");
        body["order"]!["id"] = Guid.NewGuid().ToString();
        body["order"]!["number"] = "DT-" + Random.Shared.Next(100000, 999999);
        body["order"]!["deliveryTime"] = delivery?.ToString("O");
        var receipt = await (await _tenant.Sender(_factory).SendAsync(body)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        return receipt.OrderId!.Value;
    }

    private async Task CreateUserAsync(string login, string language)
    {
        var created = await _factory.CreateApiClient().PostAsJsonAsync("/api/users", new
        {
            loginName = login, displayName = "Олена", role = "manager", companyIds = new[] { _tenant.CompanyId }, password = Password, language,
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }
}
