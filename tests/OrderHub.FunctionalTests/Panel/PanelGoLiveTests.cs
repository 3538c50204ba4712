using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OrderHub.Api.Features.Shadow;
using OrderHub.FunctionalTests.Infrastructure;
using static OrderHub.FunctionalTests.Infrastructure.Eventually;

namespace OrderHub.FunctionalTests.Panel;

/// <summary>
/// A pickup point's go-live page in headless Chromium (SQLite, OrderHub on a real port, the simulated Poster and
/// the dispatcher running): a manager reads the shadow readiness in Ukrainian and English, sends a [TEST] order
/// from the POS catalog and sees what Poster answered; the dashboard does not count the test order.
/// </summary>
public sealed class PanelGoLiveTests(Chromium chromium) : IAsyncLifetime, IClassFixture<Chromium>
{
    private const string Password = "correct-horse-battery-staple";
    private const string PosterTarget = "poster/" + PosSimulatorServer.PosterAccount;

    private readonly SqliteTestDatabase _database = new();
    private readonly PosSimulatorServer _pos = new();
    private OrderHubFactory _factory = null!;
    private string _baseUrl = "";
    private TestTenant _tenant = null!;

    public async Task InitializeAsync()
    {
        await _pos.StartAsync();
        await _database.CreateAsync();
        _factory = new OrderHubFactory(_database, new Dictionary<string, string?>
        {
            ["Dispatcher:Enabled"] = "true",
            ["Dispatcher:PollInterval"] = "00:00:00.200",
            ["Dispatcher:DrainTimeout"] = "00:00:05",
            ["Poster:BaseUrlTemplate"] = _pos.PosterBaseUrlTemplate,
            ["PosterApp:ApplicationSecret"] = PosSimulatorServer.PosterAppSecret,
            ["Pos:Resilience:AttemptTimeout"] = "00:00:10",
            ["Pos:Resilience:MinimumThroughput"] = "1000",
        });
        _baseUrl = KestrelOrderHub.Start(_factory);
        _tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).CreateAsync(_factory);
        await SeedShadowOrdersAsync();
    }

    [Fact]
    public async Task A_manager_reads_the_readiness_in_both_languages_sends_a_test_order_and_the_dashboard_does_not_count_it()
    {
        await CreateUserAsync("mykola", "manager", "uk");
        await CreateUserAsync("mike", "manager", "en");
        var page = await chromium.NewPageAsync(_baseUrl, locale: "uk-UA");
        await page.SignInAsync("mykola", Password);

        // From the point's page to its go-live page.
        await page.OpenAsync($"/panel/points/{_tenant.KyivPointId}");
        await Assertions.Expect(page.GetByTestId("pos-mode")).ToHaveAttributeAsync("data-mode", "Shadow");
        await page.FollowAsync(() => page.GetByTestId("golive-link").ClickAsync());
        await Assertions.Expect(page.GetByTestId("golive-mode")).ToHaveAttributeAsync("data-mode", "Shadow");
        await Assertions.Expect(page.GetByTestId("mode")).ToHaveTextAsync("Тіньовий");

        // Readiness: the two shadow orders, one clean; the two kinds of problem with their fixes.
        var summary = page.GetByTestId("readiness-summary");
        await Assertions.Expect(summary).ToHaveAttributeAsync("data-orders", "2");
        await Assertions.Expect(summary).ToHaveAttributeAsync("data-clean", "1");
        await Assertions.Expect(summary).ToContainTextAsync("50 %");
        await Assertions.Expect(page.GetByTestId("readiness-problem")).ToHaveCountAsync(2);
        var unknown = page.Locator("[data-testid=readiness-problem][data-kind=UnknownProduct]");
        await Assertions.Expect(unknown).ToHaveAttributeAsync("data-count", "1");
        await Assertions.Expect(unknown).ToContainTextAsync("Товари, яких немає в каталозі POS");
        await Assertions.Expect(unknown.GetByTestId("fix-link")).ToHaveAttributeAsync("href", $"/panel/points/{_tenant.KyivPointId}/mappings");
        await Assertions.Expect(page.Locator("[data-testid=readiness-problem][data-kind=PriceDifference]")).ToContainTextAsync("коштує в POS 250.00, а в замовленні 245.00");
        await PanelLayout.AssertNothingOverflowsAsync(page);

        // A test order of one pizza, through the real export path to the simulated Poster.
        await page.GetByTestId("test-order-form").Locator("input[name=items][value='101|']").CheckAsync();
        await page.GetByTestId("test-order-form").Locator("input[name=comment]").FillAsync("перевірка каси");
        await page.FollowAsync(() => page.GetByTestId("send-test-order").ClickAsync());
        await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("[TEST]-1");
        var row = page.Locator("[data-testid=test-order][data-number='[TEST]-1']");
        await WaitForAsync(page, row, "Exported");
        var received = _pos.Orders(PosterTarget).ShouldHaveSingleItem();
        ((string?)received.Body!["comment"])!.ShouldStartWith("[TEST] перевірка каси");
        await Assertions.Expect(row.GetByTestId("test-order-pos-id")).ToHaveTextAsync(received.PosOrderId);
        await Assertions.Expect(row.GetByTestId("test-order-answer")).ToContainTextAsync(received.PosOrderId);
        await Assertions.Expect(row.GetByTestId("cancel-instructions")).ToContainTextAsync("[Dots #[TEST]-1]");
        await PanelLayout.AssertNothingOverflowsAsync(page);
        await Chromium.ScreenshotAsync(page, "panel-go-live");

        // English: the same page in the other language.
        var english = await chromium.NewPageAsync(_baseUrl);
        await english.SignInAsync("mike", Password);
        await english.OpenAsync($"/panel/points/{_tenant.KyivPointId}/go-live");
        await Assertions.Expect(english.GetByTestId("mode")).ToHaveTextAsync("Shadow");
        await Assertions.Expect(english.Locator("[data-testid=readiness-problem][data-kind=UnknownProduct]")).ToContainTextAsync("Products not in the POS catalog");
        await Assertions.Expect(english.GetByTestId("readiness-summary")).ToContainTextAsync("of orders would have gone through cleanly: 1 of 2");
        await Assertions.Expect(english.Locator("[data-testid=test-order][data-number='[TEST]-1'] [data-testid=cancel-instructions]"))
            .ToContainTextAsync("at the register, reject online order [Dots #[TEST]-1]");

        // The dashboard counts the two shadow orders, not the test order.
        (await _factory.WithDbAsync(db => db.Orders.CountAsync())).ShouldBe(3);
        await english.OpenAsync("/panel");
        var bars = await english.GetByTestId("chart-orders").Locator("[data-testid=bar]").EvaluateAllAsync<int[]>("els => els.map(e => +e.dataset.count)");
        bars.Sum().ShouldBe(2);
        await english.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
        await _pos.DisposeAsync();
    }

    /// <summary>Kyiv in shadow mode with a catalog that prices the pizza at 250 and lacks the tiramisu; two orders: one with both problems, one clean.</summary>
    private async Task SeedShadowOrdersAsync()
    {
        var api = _factory.CreateApiClient();
        (await api.PutAsJsonAsync($"/api/pickup-points/{_tenant.KyivPointId}/pos-integration/mode", new { mode = "Shadow" })).EnsureSuccessStatusCode();
        (await api.PutAsJsonAsync($"/api/pickup-points/{_tenant.KyivPointId}/pos-catalog", new
        {
            products = new object[]
            {
                new { id = "101", name = "Піца Маргарита", price = 250m, modifiers = new[] { new { id = "11", name = "Додаткова моцарела", price = 35m }, new { id = "12", name = "Тонке тісто", price = 0m } } },
                new { id = "201", name = "Coca-Cola", price = 42m, variants = new[] { new { id = "2011", name = "0.5 л", price = 42m } } },
            },
            promotions = new[] { new { id = "7", name = "Друга піца -20%" } },
        })).EnsureSuccessStatusCode();

        var dots = _tenant.Sender(_factory);
        (await dots.SendFixtureAsync(Fixtures.AcceptedDelivery)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var cola = Fixtures.Json(Fixtures.AcceptedDelivery);
        cola["eventId"] = "evt_panel_golive_cola";
        var order = cola["order"]!.AsObject();
        order["id"] = Guid.NewGuid().ToString();
        order["number"] = "DT-300001";
        order["items"] = new System.Text.Json.Nodes.JsonArray(order["items"]!.AsArray().Single(i => i!["productId"]!.GetValue<string>() == "dots-prod-cola")!.DeepClone());
        order["promotions"] = new System.Text.Json.Nodes.JsonArray();
        order["total"] = 3 * 42m + 60m;
        (await dots.SendAsync(cola)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        await WaitUntilAsync(
            async () => await _factory.WithDbAsync(db => db.OrderActions.CountAsync(a => a.Action == ShadowExport.Action)) >= 2,
            "both shadow orders compared with the POS catalog");
    }

    /// <summary>Reloads until the dispatcher has delivered (it runs on its own; no fixed sleep).</summary>
    private static async Task WaitForAsync(IPage page, ILocator row, string state)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await row.GetAttributeAsync("data-state") == state)
            {
                return;
            }

            await Task.Delay(200);
            await page.RefreshAsync();
        }

        (await row.GetAttributeAsync("data-state")).ShouldBe(state);
    }

    private async Task CreateUserAsync(string login, string role, string language)
    {
        var created = await _factory.CreateApiClient().PostAsJsonAsync("/api/users", new
        {
            loginName = login, displayName = char.ToUpperInvariant(login[0]) + login[1..], role, companyIds = new[] { _tenant.CompanyId }, password = Password, language,
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }
}
