using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OrderHub.FunctionalTests.Infrastructure;

namespace OrderHub.FunctionalTests.Panel;

/// <summary>
/// The panel's forms and layout in headless Chromium, as admin, manager and support at 1366 px and 390 px: no
/// element leaves its card on any screen, the company is split into sub-pages of about two screens, only the chosen
/// provider's fields show, the cashier table keeps its controls in a column of their own, "Повторити" stays one
/// word, and each action is answered with a redirect (post/redirect/get, no <c>?handler=</c> left in the address).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PanelLayoutTests(Chromium chromium) : IAsyncLifetime
{
    private const string Password = "correct-horse-battery-staple";

    private readonly SqliteTestDatabase _database = new();
    private OrderHubFactory _factory = null!;
    private string _baseUrl = "";
    private TestTenant _tenant = null!;
    private Guid _orderId;

    public async Task InitializeAsync()
    {
        await _database.CreateAsync();
        _factory = new OrderHubFactory(_database);
        _baseUrl = KestrelOrderHub.Start(_factory);
        _tenant = await new TestTenant().WithAutoSync(false).WithoutMapping("dots-prod-tiramisu").CreateAsync(_factory);
        var dots = _tenant.Sender(_factory);
        _orderId = (await (await dots.SendFixtureAsync(Fixtures.AcceptedDelivery)).ShouldBeProcessedAsync(HttpStatusCode.Accepted)).OrderId!.Value;
        var unrouted = Fixtures.Json(Fixtures.AcceptedPickupCash);
        unrouted["eventId"] = "evt_layout_unrouted";
        unrouted["order"]!["companyAddressId"] = "address-nobody-has";
        (await dots.SendAsync(unrouted)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        // The delivery's inbox event as if its processing had kept failing: parked, waiting for "process again".
        await _factory.WithDbAsync(async db =>
        {
            var parked = await db.InboxEvents.SingleAsync(e => e.OrderId == _orderId);
            // A parked event keeps its body (only a processed one hands it to its inbound event), so "process again" can apply it.
            var raw = await db.Orders.Where(o => o.Id == _orderId).Select(o => o.RawPayload).SingleAsync();
            parked.Body = System.Text.Encoding.UTF8.GetBytes(raw);
            parked.State = Domain.Inbound.InboxEventState.Parked;
            parked.ParkedReason = Domain.History.FailureReason.EventProcessingFailed;
            parked.LastError = "TimeoutException: the database did not answer in time";
            return await db.SaveChangesAsync();
        });
        var api = _factory.CreateApiClient();
        foreach (var (name, user) in new[] { ("Олена Коваленко", "olena"), ("Тарас Шевчук", "taras") })
        {
            (await api.PostAsJsonAsync($"/api/pickup-points/{_tenant.KyivPointId}/fiscal-employees",
                new { name, userName = user, fiscalNumber = "4000000017", isDefaultCashier = user == "olena" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        }
    }

    public static TheoryData<string, bool> RolesAndWidths => new()
    {
        { "admin", false }, { "admin", true },
        { "manager", false }, { "manager", true },
        { "support", false }, { "support", true },
    };

    [Theory]
    [MemberData(nameof(RolesAndWidths))]
    public async Task Every_screen_fits_its_cards_the_company_is_split_forms_fit_the_task_and_actions_redirect(string role, bool phone)
    {
        var login = role + (phone ? "-phone" : "-laptop");
        var created = await _factory.CreateApiClient().PostAsJsonAsync("/api/users", new
        {
            loginName = login, displayName = login, role, companyIds = role == "admin" ? Array.Empty<Guid>() : [_tenant.CompanyId], password = Password, language = "uk",
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var page = await chromium.NewPageAsync(_baseUrl, phone);
        if (!phone)
        {
            await page.SetViewportSizeAsync(1366, 900);
        }

        await page.GotoAsync("/panel/sign-in");
        await page.Locator("#login").FillAsync(login);
        await page.Locator("#password").FillAsync(Password);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByTestId("current-user")).ToBeVisibleAsync();
        var manages = role != "support";
        var company = $"/panel/companies/{_tenant.CompanyId}";
        var point = $"/panel/points/{_tenant.KyivPointId}";
        var screens = new[]
        {
            "/panel", "/panel/orders?from=2026-01-01T00:00&to=2030-01-01T00:00", "/panel/unrouted", "/panel/inbox", "/panel/companies", "/panel/audit",
            company, company + "?tab=ids", company + "?tab=pos", company + "?tab=fiscal", company + "?tab=telegram",
            point, point + "/coverage", point + "/mappings", point + "/parked", $"/panel/orders/{_orderId}",
        };
        var heights = new List<string>();
        foreach (var screen in screens)
        {
            (await page.GotoAsync(screen))!.Status.ShouldBe(200, screen);
            await PanelLayout.AssertNothingOverflowsAsync(page);
            var size = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollHeight, window.innerHeight]");
            var (height, viewport) = (size[0], size[1]);
            heights.Add($"{screen}: {height / (double)viewport:0.0}");
            if (screen.StartsWith(company, StringComparison.Ordinal))
            {
                // A company sub-page: about two screens at most (the phone's cards stack, so a little more there).
                (height / (double)viewport).ShouldBeLessThanOrEqualTo(phone ? 3.0 : 2.0, string.Join("; ", heights));
            }
        }

        // The filter's date inputs stay inside the filter card.
        await page.GotoAsync("/panel/orders?from=2026-01-01T00:00&to=2030-01-01T00:00");
        await AssertInsideAsync(page.GetByTestId("order-filters"), page.Locator("[name=from]"));
        await AssertInsideAsync(page.GetByTestId("order-filters"), page.Locator("[name=to]"));

        // "Повторити" keeps to one line.
        await page.GotoAsync("/panel/unrouted");
        var replay = (await page.GetByTestId("replay").BoundingBoxAsync())!;
        replay.Height.ShouldBeLessThan(48, "one line, not a letter per line");
        replay.Width.ShouldBeGreaterThan(replay.Height);

        // The cashier table: edit/delete in a column of their own, never under "Попередження".
        await page.GotoAsync(point);
        await Assertions.Expect(page.GetByTestId("employee")).ToHaveCountAsync(2);
        (await page.Locator("[data-testid=employee] td[data-label='Попередження'] details").CountAsync()).ShouldBe(0);
        (await page.Locator("[data-testid=employee-actions] details").CountAsync()).ShouldBe(manages ? 2 : 0);

        if (manages)
        {
            // Only the chosen provider's fields: Webhook (the point's POS) hides Poster's, and back.
            var form = page.GetByTestId("pos-form");
            await Assertions.Expect(form.Locator("fieldset[data-provider=Webhook]")).ToBeVisibleAsync();
            await Assertions.Expect(form.Locator("fieldset[data-provider=Poster]")).ToBeHiddenAsync();
            await form.Locator("[name=kind]").SelectOptionAsync("Poster");
            await Assertions.Expect(form.Locator("fieldset[data-provider=Poster]")).ToBeVisibleAsync();
            await Assertions.Expect(form.Locator("fieldset[data-provider=Webhook]")).ToBeHiddenAsync();
            await form.Locator("[name=kind]").SelectOptionAsync("Webhook");
            await ExpectRedirectAsync(page, () => page.GetByTestId("save-pos").ClickAsync());
            await Assertions.Expect(page.GetByTestId("notice")).ToBeVisibleAsync();
            await page.ReloadAsync();
            (await page.GetByTestId("notice").CountAsync()).ShouldBe(0, "the result is shown once");

            await page.GotoAsync(company + "?tab=fiscal");
            var fiscal = page.Locator("form:has([name=provider])");
            await fiscal.Locator("[name=provider]").SelectOptionAsync("Cashalot");
            await Assertions.Expect(fiscal.Locator("fieldset[data-provider=Checkbox]")).ToBeHiddenAsync();
            await Assertions.Expect(fiscal.Locator("fieldset[data-provider=Cashalot]")).ToBeVisibleAsync();
        }
        else
        {
            await Assertions.Expect(page.GetByTestId("pos-readonly")).ToBeVisibleAsync();
        }

        // Actions every role has: test the POS connection, replay an unrouted event, switch the language.
        await page.GotoAsync(point);
        await ExpectRedirectAsync(page, () => page.GetByTestId("test-connection").ClickAsync());
        await page.GotoAsync("/panel/unrouted");
        await ExpectRedirectAsync(page, () => page.GetByTestId("replay").ClickAsync());
        await page.GotoAsync("/panel");
        (await page.GetByTestId("attention-parked").GetAttributeAsync("data-count")).ShouldBe("1");
        await page.GetByTestId("attention-parked").ClickAsync();
        await Assertions.Expect(page.GetByTestId("parked-event")).ToHaveCountAsync(1);
        await ExpectRedirectAsync(page, () => page.GetByTestId("retry-event").ClickAsync());
        await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("Подію повернуто в обробку.");
        await Assertions.Expect(page.GetByTestId("parked-event")).ToHaveCountAsync(0);
        await ExpectRedirectAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "EN" }).ClickAsync());
        await page.Context.CloseAsync();
    }

    /// <summary>The form's POST is answered with 302/303, and the page it lands on has no handler in its address.</summary>
    private static async Task ExpectRedirectAsync(IPage page, Func<Task> act)
    {
        var response = await page.RunAndWaitForResponseAsync(act, r => r.Request.Method == "POST");
        response.Status.ShouldBeOneOf(302, 303);
        await page.WaitForLoadStateAsync(LoadState.Load);
        page.Url.ShouldNotContain("handler=");
    }

    private static async Task AssertInsideAsync(ILocator container, ILocator element)
    {
        var outer = (await container.BoundingBoxAsync())!;
        var inner = (await element.BoundingBoxAsync())!;
        inner.X.ShouldBeGreaterThanOrEqualTo(outer.X - 1);
        (inner.X + inner.Width).ShouldBeLessThanOrEqualTo(outer.X + outer.Width + 1);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }
}
