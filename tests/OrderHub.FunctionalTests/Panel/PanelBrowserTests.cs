using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.Simulators;

namespace OrderHub.FunctionalTests.Panel;

/// <summary>
/// The control panel in headless Chromium against OrderHub on a real port (SQLite), the simulated Poster on
/// its own loopback server and the dispatcher running: the two walk-throughs of issue 5, with screenshots.
/// </summary>
public sealed class PanelBrowserTests(Chromium chromium) : IAsyncLifetime, IClassFixture<Chromium>
{
    private const string Password = "correct-horse-battery-staple";

    private readonly SqliteTestDatabase _database = new();
    private readonly PosSimulatorServer _pos = new();
    private OrderHubFactory _factory = null!;
    private string _baseUrl = "";

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
    }

    [Fact]
    public async Task A_platform_manager_sets_up_a_point_with_Poster_reaches_full_coverage_and_sees_an_order_exported()
    {
        SetPosterMenu();
        await CreateUserAsync("olena", "admin", "en");
        var page = await chromium.NewPageAsync(_baseUrl);
        await page.SignInAsync("olena", Password);

        // City and company: the form redirects to the new company's page, with its signing secret shown once at the top.
        await page.OpenAsync("/panel/companies");
        var city = page.GetByTestId("new-city");
        await city.Locator("[name=name]").FillAsync("Львів");
        await city.Locator("[name=dotsCityId]").FillAsync("lviv");
        await page.FollowAsync(() => city.Locator("button").ClickAsync());
        await Expect(page.GetByTestId("notice")).ToContainTextAsync("City 'Львів' created.");
        var company = page.GetByTestId("new-company");
        await company.Locator("[name=name]").FillAsync("Panel Pizza");
        await company.Locator("[name=key]").FillAsync("panel-pizza");
        await company.Locator("[name=dotsCompanyId]").FillAsync(Fixtures.DotsCompanyId);
        var created = await page.FollowAsync(() => page.RunAndWaitForResponseAsync(() => company.Locator("button").ClickAsync(), r => r.Request.Method == "POST"));
        created.Status.ShouldBe(302);
        await Expect(page.GetByTestId("company-name")).ToHaveTextAsync("Panel Pizza");
        page.Url.ShouldNotContain("handler=");
        await Expect(page.GetByTestId("notice")).ToContainTextAsync("Company 'Panel Pizza' created.");
        var secret = (await page.GetByTestId("secret-once-value").InnerTextAsync()).Trim();
        secret.ShouldStartWith("whsec_");
        (await page.ContentAsync()).Split(secret).Length.ShouldBe(2, "the secret shows once on the page");
        // It travelled in TempData's cookie (Data Protection encrypted), which the page that showed it deleted.
        (await page.Context.CookiesAsync()).ShouldAllBe(c => !c.Value.Contains(secret) && c.Name != ".AspNetCore.Mvc.CookieTempDataProvider");
        await page.RefreshAsync();
        await Expect(page.GetByTestId("company-name")).ToHaveTextAsync("Panel Pizza");
        (await page.ContentAsync()).ShouldNotContain(secret, customMessage: "the secret is shown once");

        // A pickup point, then its POS: Poster with a write-only token, and "test connection".
        var point = page.GetByTestId("new-point");
        await point.Locator("[name=name]").FillAsync("Площа Ринок");
        await point.Locator("[name=dotsAddressId]").FillAsync(Fixtures.LvivAddressId);
        await point.Locator("[name=address]").FillAsync("пл. Ринок, 1");
        await page.FollowAsync(() => point.Locator("button").ClickAsync());
        await Expect(page.GetByTestId("notice")).ToContainTextAsync("Pickup point 'Площа Ринок' created.");
        await page.FollowAsync(() => page.GetByTestId("points").GetByRole(AriaRole.Link, new() { Name = "Площа Ринок" }).ClickAsync());
        await Expect(page.GetByTestId("pos-status")).ToContainTextAsync("No POS connected");
        var pos = page.GetByTestId("pos-form");
        await pos.Locator("[name=kind]").SelectOptionAsync("Poster");
        await pos.Locator("[name=posterAccount]").FillAsync(PosSimulatorServer.PosterAccount);
        await pos.Locator("[name=posterSpotId]").FillAsync("2");
        await pos.Locator("[name=token]").FillAsync(PosSimulatorServer.PosterToken);
        await page.FollowAsync(() => page.GetByTestId("save-pos").ClickAsync());
        await Expect(page.GetByTestId("notice")).ToContainTextAsync("POS settings saved.");
        await Expect(page.GetByTestId("has-secret")).ToHaveTextAsync("set");
        await Expect(page.GetByTestId("pos-enabled")).ToContainTextAsync("yes");
        await Expect(page.GetByTestId("auto-sync")).ToContainTextAsync("off");
        (await page.ContentAsync()).ShouldNotContain(PosSimulatorServer.PosterToken);
        await page.FollowAsync(() => page.GetByTestId("test-connection").ClickAsync());
        await Expect(page.GetByTestId("notice")).ToContainTextAsync("The connection works");
        await Expect(page.GetByTestId("last-check")).ToContainTextAsync("works");
        await Chromium.ScreenshotAsync(page, "panel-point");

        // The point's own details are a sub-page of their own; saving them comes back to it.
        await page.FollowAsync(() => page.GetByTestId("point-tabs").Locator("[data-tab=details]").ClickAsync());
        await page.GetByTestId("point-details").Locator("summary").ClickAsync();
        await page.GetByTestId("point-details").Locator("[name=address]").FillAsync("пл. Ринок, 10");
        await page.FollowAsync(() => page.GetByTestId("point-details").Locator("button[type=submit]").ClickAsync());
        await Expect(page.GetByTestId("notice")).ToContainTextAsync("Pickup point saved.");
        page.Url.ShouldEndWith("?tab=details");
        await Expect(page.GetByTestId("point-details")).ToContainTextAsync("пл. Ринок, 10");

        // Coverage: the Dots menu (an upload of its export) against the imported Poster catalog.
        await page.FollowAsync(() => page.GetByTestId("coverage-link").ClickAsync());
        await page.GetByText("Upload a Dots menu export (JSON)").ClickAsync();
        await page.GetByTestId("dots-upload").Locator("textarea").FillAsync(DotsMenu);
        await page.FollowAsync(() => page.GetByTestId("dots-upload").Locator("button").ClickAsync());
        await Expect(page.GetByTestId("notice")).ToContainTextAsync("Dots menu: 5 items (5 new, 0 changed).");
        await page.FollowAsync(() => page.GetByTestId("import-poster").ClickAsync());
        await Expect(page.GetByTestId("notice")).ToContainTextAsync("POS catalog: 6 items");
        await Expect(page.GetByTestId("coverage-percent")).ToHaveTextAsync("0 %");
        (await page.GetByTestId("missing").Locator("tbody tr").CountAsync()).ShouldBe(5);
        await Chromium.ScreenshotAsync(page, "panel-coverage");
        await page.FollowAsync(() => page.GetByTestId("accept-suggestions").ClickAsync());
        await Expect(page.GetByTestId("notice")).ToContainTextAsync("Ids stored: 5. Coverage is now 100");
        await Expect(page.GetByTestId("coverage-percent")).ToHaveTextAsync("100 %");

        // Auto-sync on (allowed now that coverage is 100 %), then Dots sends an order.
        await page.FollowAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "← Площа Ринок" }).ClickAsync());
        await page.GetByTestId("auto-sync-box").CheckAsync();
        await page.FollowAsync(() => page.GetByTestId("save-pos").ClickAsync());
        await Expect(page.GetByTestId("auto-sync")).ToContainTextAsync("on");
        using var dots = new HttpClient { BaseAddress = new Uri(_baseUrl) };
        var sent = await new DotsSender(dots, "panel-pizza", secret, _factory.Clock).SendFixtureAsync(Fixtures.AcceptedPickupCash);
        sent.StatusCode.ShouldBe(HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());

        await page.OpenAsync("/panel/orders");
        await WaitForStateAsync(page, "Exported");
        await Expect(page.GetByTestId("order-row")).ToHaveCountAsync(1);
        await Chromium.ScreenshotAsync(page, "panel-orders");
        var body = _pos.SingleBody("poster/" + PosSimulatorServer.PosterAccount);
        body.GetProperty("spot_id").GetInt64().ShouldBe(2);
        var products = body.GetProperty("products").EnumerateArray().Select(p => p.GetProperty("product_id").GetInt64()).ToList();
        products.ShouldBe([401L, 501L], ignoreOrder: true);

        await page.FollowAsync(() => page.GetByTestId("order-row").GetByRole(AriaRole.Link).ClickAsync());
        await Expect(page.GetByTestId("order-state")).ToHaveTextAsync("Exported");
        await Expect(page.GetByTestId("timeline").Locator("li[data-action='export.attempt']")).ToContainTextAsync("Delivered to the POS");
        await page.GetByTestId("timeline").Locator("li[data-action='export.attempt'] summary").ClickAsync();
        await Chromium.ScreenshotAsync(page, "panel-order-timeline");

        // The audit log: the point's new address, field by field, under the point's name, in real Cyrillic.
        await page.OpenAsync("/panel/audit?entityType=PickupPoint");
        var updated = page.GetByTestId("audit-entry").Filter(new() { HasText = "updated" }).First;
        await Expect(updated).ToContainTextAsync("Pickup point «Площа Ринок»");
        await updated.Locator("summary").ClickAsync();
        await Expect(updated.GetByTestId("audit-diff")).ToContainTextAsync("пл. Ринок, 1");
        await Expect(updated.GetByTestId("audit-diff")).ToContainTextAsync("пл. Ринок, 10");
        PanelLayout.AssertNoJsonEscapes(await page.ContentAsync(), page.Url);
        await Chromium.ScreenshotAsync(page, "panel-audit");
        await page.OpenAsync("/panel/audit?entityType=PosIntegration");
        (await page.ContentAsync()).ShouldNotContain(PosSimulatorServer.PosterToken);

        await page.OpenAsync("/panel/companies");
        await Chromium.ScreenshotAsync(page, "panel-hierarchy");
        await page.OpenAsync("/panel/users");
        await Expect(page.GetByTestId("users").Locator("tr[data-login='olena']")).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(page, "panel-users");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_support_user_follows_a_failed_order_to_the_missing_mapping_fixes_it_and_exports_it()
    {
        var tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).WithAutoSync(true)
            .WithoutMapping("dots-prod-tiramisu").CreateAsync(_factory);
        using var dots = new HttpClient { BaseAddress = new Uri(_baseUrl) };
        (await new DotsSender(dots, tenant.Key, tenant.Secret, _factory.Clock).SendFixtureAsync(Fixtures.AcceptedDelivery)).StatusCode
            .ShouldBe(HttpStatusCode.Accepted);
        await CreateUserAsync("taras", "support", "uk", tenant.CompanyId);
        var page = await chromium.NewPageAsync(_baseUrl);
        await page.SignInAsync("taras", Password);

        // Ukrainian (the user's language): the problem filter finds the order.
        await page.OpenAsync("/panel/orders?problem=MissingExternalId");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Замовлення");
        await Expect(page.GetByTestId("order-row")).ToHaveCountAsync(1);
        await page.FollowAsync(() => page.GetByTestId("order-row").GetByRole(AriaRole.Link).ClickAsync());
        await Expect(page.GetByTestId("order-state")).ToHaveTextAsync("Бракує ID");
        await Expect(page.GetByTestId("reason")).ToHaveTextAsync("Бракує зовнішнього ID");
        await Expect(page.GetByTestId("hint")).ToContainTextAsync("dots-prod-tiramisu");
        var orderUrl = page.Url;

        await page.FollowAsync(() => page.GetByTestId("fix-link").ClickAsync());
        var form = page.GetByTestId("set-mapping");
        (await form.Locator("[name=dotsId]").InputValueAsync()).ShouldBe("dots-prod-tiramisu");
        (await form.Locator("[name=kind]").InputValueAsync()).ShouldBe("Product");
        await form.Locator("[name=externalId]").FillAsync("301");
        await page.FollowAsync(() => form.Locator("button").ClickAsync());
        await Expect(page.GetByTestId("notice")).ToContainTextAsync("dots-prod-tiramisu: 301");
        await Expect(page.Locator("tr[data-dots-id='dots-prod-tiramisu']")).ToHaveAttributeAsync("data-source", "inherited");

        await page.OpenAsync(orderUrl);
        await page.FollowAsync(() => page.GetByTestId("export").ClickAsync());
        await WaitForStateAsync(page, "Exported", "order-state", "Експортовано");
        var products = _pos.SingleBody("poster/" + PosSimulatorServer.PosterAccount).GetProperty("products").EnumerateArray().Select(p => p.GetProperty("product_id").GetInt64()).ToList();
        products.ShouldContain(301L);

        // Support sees the point's POS status, never its credential fields.
        await page.OpenAsync($"/panel/points/{tenant.KyivPointId}");
        await Expect(page.GetByTestId("has-secret")).ToHaveTextAsync("задано");
        (await page.Locator("[name=token]").CountAsync()).ShouldBe(0);
        (await page.GetByTestId("pos-form").CountAsync()).ShouldBe(0);

        // The language switch keeps the page.
        await page.FollowAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "EN" }).ClickAsync());
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.GetByTestId("has-secret")).ToHaveTextAsync("set");
        await page.Context.CloseAsync();

        // A phone: the order list fits the screen's width.
        var phone = await chromium.NewPageAsync(_baseUrl, phone: true);
        await phone.SignInAsync("taras", Password);
        await phone.OpenAsync("/panel/orders");
        await Expect(phone.GetByTestId("order-row")).ToHaveCountAsync(1);
        var widths = await phone.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        widths[0].ShouldBeLessThanOrEqualTo(widths[1], "no horizontal scroll at 390 px");
        await Chromium.ScreenshotAsync(phone, "panel-orders-phone");
        await phone.Context.CloseAsync();
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
        await _pos.DisposeAsync();
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private async Task CreateUserAsync(string login, string role, string language, params Guid[] companyIds)
    {
        var created = await _factory.CreateApiClient().PostAsJsonAsync("/api/users", new
        {
            loginName = login, displayName = char.ToUpperInvariant(login[0]) + login[1..], role, companyIds, password = Password, language,
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }

    /// <summary>Reloads until the dispatcher has delivered (it runs on its own; no fixed sleep).</summary>
    private static async Task WaitForStateAsync(IPage page, string state, string testId = "order-row", string? text = null)
    {
        for (var i = 0; i < 50; i++)
        {
            var found = testId == "order-row"
                ? await page.Locator($"[data-testid=order-row][data-state={state}]").CountAsync() > 0
                : (await page.GetByTestId(testId).InnerTextAsync()).Trim() == text;
            if (found)
            {
                return;
            }

            await Task.Delay(200);
            await page.RefreshAsync();
        }

        throw new ShouldAssertException($"The order did not reach {state}: {await page.Locator("main").InnerTextAsync()}");
    }

    /// <summary>The Poster menu: the pickup sample's dishes under Poster's names, and two more.</summary>
    private void SetPosterMenu()
    {
        lock (_pos.PosterMenu)
        {
            _pos.PosterMenu.AddRange(
            [
                new SimulatedProduct { ProductId = 401, Name = "Бургер класичний", Price = 18900, DishModifiers = [new() { Id = 13, Name = "Без цибулі", Price = 0 }] },
                new SimulatedProduct { ProductId = 501, Name = "Картопля фрі", Price = 5900, Variants = [new() { Id = 5012, Name = "велика", Price = 7900 }] },
                new SimulatedProduct { ProductId = 701, Name = "Лимонад домашній", Price = 6900 },
                new SimulatedProduct { ProductId = 801, Name = "Еспресо", Price = 4500 },
            ]);
        }
    }

    /// <summary>A Dots menu export with the pickup sample's items (Dots ids), as a manager would upload it.</summary>
    private static readonly string DotsMenu = JsonSerializer.Serialize(new
    {
        products = new object[]
        {
            new { id = "dots-prod-burger-classic", name = "Бургер класичний", price = 189.00m, modifiers = new[] { new { id = "dots-mod-no-onion", name = "Без цибулі", price = 0m } } },
            new { id = "dots-prod-fries", name = "Картопля фрі", price = 59.00m, variants = new[] { new { id = "dots-var-fries-large", name = "Картопля фрі велика", price = 79.00m } } },
            new { id = "dots-prod-espresso", name = "Еспресо", price = 45.00m },
        },
    });
}
