using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OrderHub.FunctionalTests.Infrastructure;

namespace OrderHub.FunctionalTests.Panel;

/// <summary>
/// The panel's forms and layout in headless Chromium, as admin, manager and support at 1366 px and 390 px, in
/// Ukrainian and in English: no element leaves its card on any screen, no raw JSON escape (<c>\u04..</c>,
/// <c>\u0022</c>) shows, the company and the pickup point are split into sub-pages of about two screens, only the
/// chosen provider's fields show, the cashier table keeps its controls in a column of their own, "Повторити" stays
/// one word, and every form a role is shown is answered with a redirect to a GET (post/redirect/get, no
/// <c>?handler=</c> left in the address), a secret OrderHub generates shown once after it.
/// </summary>
public abstract class PanelLayoutTestBase(Chromium chromium) : IAsyncLifetime, IClassFixture<Chromium>
{
    protected Chromium Chromium => chromium;

    protected const string Password = "correct-horse-battery-staple";

    protected const long KyivChat = -4100;

    protected readonly SqliteTestDatabase _database = new();
    protected readonly TelegramSimulatorServer _telegram = new();
    protected OrderHubFactory _factory = null!;
    protected string _baseUrl = "";
    protected TestTenant _tenant = null!;
    protected Guid _orderId;

    public async Task InitializeAsync()
    {
        await _database.CreateAsync();
        await _telegram.StartAsync();
        // The company's fiscal connection points at a closed loopback port: "check connection" fails at once. The
        // Telegram simulator, so the company has a bot and a registered chat, with their forms.
        _factory = new OrderHubFactory(_database, new Dictionary<string, string?>
        {
            ["Fiscal:CheckboxBaseUrl"] = "http://127.0.0.1:9/api/v1/",
            ["Telegram:Enabled"] = "true",
            ["Telegram:ApiBaseUrl"] = _telegram.ApiBaseUrl,
            ["Telegram:PublicBaseUrl"] = "https://orderhub.example",
            ["Telegram:PollTimeout"] = "00:00:01",
            ["Telegram:PollErrorDelay"] = "00:00:00.200",
        });
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
        // A default fiscal connection, so the fiscal sub-pages show their longest form (facts, form, check).
        (await api.PutAsJsonAsync($"/api/companies/{_tenant.CompanyId}/fiscal-connection", new
        {
            name = "Каса Checkbox", provider = "Checkbox", receiptsEnabled = true, pin = PosSimulatorServer.CheckboxPin,
            licenseKey = PosSimulatorServer.CheckboxLicenseKey, defaultTaxCode = "1",
        })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.PutAsJsonAsync($"/api/companies/{_tenant.CompanyId}/telegram-bot", new { token = TelegramSimulatorServer.BotToken, enabled = true }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var code = await (await api.PostAsJsonAsync($"/api/companies/{_tenant.CompanyId}/telegram-chat-codes", new { pickupPointId = _tenant.KyivPointId }))
            .Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        await _telegram.SayAsync(KyivChat, code.GetProperty("command").GetString()!);
        await _telegram.WaitForMessageAsync(KyivChat, m => m.Text.StartsWith('✅'), "the welcome");
        foreach (var (name, user) in new[] { ("Олена Коваленко", "olena"), ("Тарас Шевчук", "taras") })
        {
            (await api.PostAsJsonAsync($"/api/pickup-points/{_tenant.KyivPointId}/fiscal-employees",
                new { name, userName = user, fiscalNumber = "4000000017", isDefaultCashier = user == "olena" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        }
    }

    protected static async Task<string> PostAsync(IPage page, string action, string body, bool signingOut = false)
    {
        var response = await page.APIRequest.PostAsync(action, new()
        {
            DataString = body,
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded" },
            MaxRedirects = 0,
        });
        var location = response.Headers.GetValueOrDefault("location");
        response.Status.ShouldBeOneOf([302, 303], $"{action} answered {response.Status}, not a redirect");
        location.ShouldNotBeNull(action);
        location.ShouldNotContain("handler=", Case.Insensitive, action);
        location.ShouldNotContain("/panel/denied", Case.Insensitive, $"{action}: a form the role is shown but may not use");
        if (!signingOut)
        {
            var target = await page.APIRequest.GetAsync(new Uri(new Uri(action), location).ToString(), new() { MaxRedirects = 0 });
            target.Status.ShouldBe(200, $"{action} → {location}");
        }

        return location;
    }

    /// <summary>
    /// The form's POST is answered with 302/303, and the page it lands on (a new document, parsed) has no handler in its
    /// address.
    /// </summary>
    protected static async Task ExpectRedirectAsync(IPage page, Func<Task> act)
    {
        // Not WaitForLoadStateAsync: when the POST's answer arrives the browser may still be on the form's page, long since
        // loaded, and Playwright .NET can miss the event it waits for; FollowAsync waits for the new document (see PanelNavigation).
        var response = await page.FollowAsync(() => page.RunAndWaitForResponseAsync(act, r => r.Request.Method == "POST" && r.Request.IsNavigationRequest));
        response.Status.ShouldBeOneOf(302, 303);
        page.Url.ShouldNotContain("handler=");
    }

    protected static async Task AssertInsideAsync(ILocator container, ILocator element)
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
        await _telegram.DisposeAsync();
    }
}

/// <summary>Every screen as admin, manager and support at 1366 px and 390 px (see <see cref="PanelLayoutTestBase"/>).</summary>
public sealed class PanelLayoutTests(Chromium chromium) : PanelLayoutTestBase(chromium)
{
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
        var page = await Chromium.NewPageAsync(_baseUrl, phone);
        if (!phone)
        {
            await page.SetViewportSizeAsync(1366, 900);
        }

        await page.SignInAsync(login, Password);
        var manages = role != "support";
        var company = $"/panel/companies/{_tenant.CompanyId}";
        var point = $"/panel/points/{_tenant.KyivPointId}";
        var screens = new[]
        {
            "/panel", "/panel/orders?from=2026-01-01T00:00&to=2030-01-01T00:00", "/panel/unrouted", "/panel/inbox", "/panel/companies", "/panel/audit",
            company, company + "?tab=ids", company + "?tab=pos", company + "?tab=fiscal", company + "?tab=telegram",
            point, point + "?tab=fiscal", point + "?tab=employees", point + "?tab=details",
            point + "/coverage", point + "/mappings", point + "/parked", $"/panel/orders/{_orderId}",
            point + "/reconciliations", // Daily reconciliation.
        };
        foreach (var language in new[] { "uk", "en" })
        {
            if (language == "en")
            {
                await ExpectRedirectAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "EN" }).ClickAsync());
            }

            var heights = new List<string>();
            foreach (var screen in screens)
            {
                (await page.OpenAsync(screen)).Status.ShouldBe(200, screen);
                await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
                await PanelLayout.AssertNothingOverflowsAsync(page);
                PanelLayout.AssertNoJsonEscapes(await page.ContentAsync(), screen);
                var size = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollHeight, window.innerHeight]");
                var (height, viewport) = (size[0], size[1]);
                heights.Add($"{language} {screen}: {height / (double)viewport:0.0}");
                if (screen.StartsWith(company, StringComparison.Ordinal) || screen == point || screen.StartsWith(point + "?", StringComparison.Ordinal))
                {
                    // A company or point sub-page: about two screens at most (the phone's cards stack, so a little more there).
                    (height / (double)viewport).ShouldBeLessThanOrEqualTo(phone ? 3.0 : 2.0, string.Join("; ", heights));
                }
            }
        }

        await ExpectRedirectAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "UK" }).ClickAsync());

        // The filter's date inputs stay inside the filter card.
        await page.OpenAsync("/panel/orders?from=2026-01-01T00:00&to=2030-01-01T00:00");
        await AssertInsideAsync(page.GetByTestId("order-filters"), page.Locator("[name=from]"));
        await AssertInsideAsync(page.GetByTestId("order-filters"), page.Locator("[name=to]"));

        // "Повторити" keeps to one line.
        await page.OpenAsync("/panel/unrouted");
        var replay = (await page.GetByTestId("replay").BoundingBoxAsync())!;
        replay.Height.ShouldBeLessThan(48, "one line, not a letter per line");
        replay.Width.ShouldBeGreaterThan(replay.Height);

        // The cashier table: edit/delete in a column of their own, never under "Попередження".
        await page.OpenAsync(point + "?tab=employees");
        await Assertions.Expect(page.GetByTestId("employee")).ToHaveCountAsync(2);
        (await page.Locator("[data-testid=employee] td[data-label='Попередження'] details").CountAsync()).ShouldBe(0);
        (await page.Locator("[data-testid=employee-actions] details").CountAsync()).ShouldBe(manages ? 2 : 0);

        if (manages)
        {
            // Only the chosen provider's fields: Webhook (the point's POS) hides Poster's, and back.
            await page.OpenAsync(point);
            var form = page.GetByTestId("pos-form");
            await Assertions.Expect(form.Locator("fieldset[data-provider=Webhook]")).ToBeVisibleAsync();
            await Assertions.Expect(form.Locator("fieldset[data-provider=Poster]")).ToBeHiddenAsync();
            await form.Locator("[name=kind]").SelectOptionAsync("Poster");
            await Assertions.Expect(form.Locator("fieldset[data-provider=Poster]")).ToBeVisibleAsync();
            await Assertions.Expect(form.Locator("fieldset[data-provider=Webhook]")).ToBeHiddenAsync();
            await form.Locator("[name=kind]").SelectOptionAsync("Webhook");
            await ExpectRedirectAsync(page, () => page.GetByTestId("save-pos").ClickAsync());
            await Assertions.Expect(page.GetByTestId("notice")).ToBeVisibleAsync();
            await page.RefreshAsync();
            (await page.GetByTestId("notice").CountAsync()).ShouldBe(0, "the result is shown once");

            await page.OpenAsync(company + "?tab=fiscal");
            var fiscal = page.Locator("form:has([name=provider])");
            await fiscal.Locator("[name=provider]").SelectOptionAsync("Cashalot");
            await Assertions.Expect(fiscal.Locator("fieldset[data-provider=Checkbox]")).ToBeHiddenAsync();
            await Assertions.Expect(fiscal.Locator("fieldset[data-provider=Cashalot]")).ToBeVisibleAsync();
        }
        else
        {
            await page.OpenAsync(point);
            await Assertions.Expect(page.GetByTestId("pos-readonly")).ToBeVisibleAsync();
        }

        // Actions every role has: test the POS connection, replay an unrouted event, switch the language.
        await page.OpenAsync(point);
        await ExpectRedirectAsync(page, () => page.GetByTestId("test-connection").ClickAsync());
        await page.OpenAsync("/panel/unrouted");
        await ExpectRedirectAsync(page, () => page.GetByTestId("replay").ClickAsync());
        await page.OpenAsync("/panel");
        (await page.GetByTestId("attention-parked").GetAttributeAsync("data-count")).ShouldBe("1");
        await page.FollowAsync(() => page.GetByTestId("attention-parked").ClickAsync());
        await Assertions.Expect(page.GetByTestId("parked-event")).ToHaveCountAsync(1);
        await ExpectRedirectAsync(page, () => page.GetByTestId("retry-event").ClickAsync());
        await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("Подію повернуто в обробку.");
        await Assertions.Expect(page.GetByTestId("parked-event")).ToHaveCountAsync(0);
        await ExpectRedirectAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "EN" }).ClickAsync());
        await page.Context.CloseAsync();
    }
}

/// <summary>
/// Every form a role is shown, and a generated secret shown once (see <see cref="PanelLayoutTestBase"/>): a class of
/// their own so they run beside the screens' cases.
/// </summary>
public sealed class PanelFormRedirectTests(Chromium chromium) : PanelLayoutTestBase(chromium)
{
    public static TheoryData<string> Roles => new() { "admin", "manager", "support" };

    /// <summary>
    /// Every POST form on every screen the role reaches, sent as the browser would send it (its fields as they stand,
    /// the first submit button): each is answered with a redirect to a plain GET (no <c>?handler=</c>) that the role may
    /// see (not /panel/denied: a form shown to a role is one it can use), and that GET answers 200. Refused inputs
    /// (a required field left empty) redirect too, with the refusal shown once.
    /// </summary>
    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Every_form_a_role_is_shown_is_answered_with_a_redirect_to_a_page_it_may_see(string role)
    {
        var login = role + "-forms";
        var created = await _factory.CreateApiClient().PostAsJsonAsync("/api/users", new
        {
            loginName = login, displayName = login, role, companyIds = role == "admin" ? Array.Empty<Guid>() : [_tenant.CompanyId], password = Password, language = "uk",
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var page = await Chromium.NewPageAsync(_baseUrl);
        await page.SignInAsync(login, Password);

        var company = $"/panel/companies/{_tenant.CompanyId}";
        var point = $"/panel/points/{_tenant.KyivPointId}";
        var screens = new[]
        {
            "/panel", "/panel/orders", "/panel/unrouted", "/panel/inbox", "/panel/companies", "/panel/users", "/panel/audit",
            company, company + "?tab=ids", company + "?tab=pos", company + "?tab=fiscal", company + "?tab=telegram",
            point, point + "?tab=fiscal", point + "?tab=employees", point + "?tab=details",
            point + "/coverage", point + "/mappings", point + "/parked", $"/panel/orders/{_orderId}",
            point + "/reconciliations", // Daily reconciliation.
        };
        var posted = new HashSet<string>(StringComparer.Ordinal);
        var handlers = new SortedSet<string>(StringComparer.Ordinal);
        var answers = new List<string>();
        foreach (var screen in screens)
        {
            var shown = await page.OpenAsync(screen);
            if (shown.Status != 200 || page.Url.Contains("/panel/denied", StringComparison.Ordinal))
            {
                continue; // a screen this role does not have (the users screen is an admin's)
            }

            // Each form as the browser would send it (one a person can send: with a submit button; support's read-only
            // chat settings have none); the layout's language and sign-out forms are sent once, below.
            var forms = await page.EvaluateAsync<string[][]>("""
                () => [...document.querySelectorAll('form')]
                  .filter(f => f.method === 'post' && !/\/panel\/(language|sign-out)/.test(f.action))
                  .filter(f => f.querySelector('button[type=submit], button:not([type]), input[type=submit]'))
                  .map(f => [f.action, new URLSearchParams(new FormData(f, f.querySelector('button[type=submit], button:not([type])'))).toString()])
                """);
            foreach (var form in forms)
            {
                var (action, body) = (form[0], form[1]);
                if (!posted.Add(action + "\n" + body))
                {
                    continue;
                }

                var answer = await PostAsync(page, action, body);
                answers.Add($"{screen} → {action}: {answer}");
                handlers.Add(new Uri(action).AbsolutePath.Split('/')[2] + ":" + System.Web.HttpUtility.ParseQueryString(new Uri(action).Query)["handler"]);
            }
        }

        // The layout's forms: the language switch, then signing out.
        var language = await page.EvaluateAsync<string[]>("""
            () => { const f = document.querySelector('form[action="/panel/language"]'); return [f.action, new URLSearchParams(new FormData(f, f.querySelector('button'))).toString()]; }
            """);
        answers.Add("language: " + await PostAsync(page, language[0], language[1]));
        var signOut = await page.EvaluateAsync<string[]>("""
            () => { const f = document.querySelector('form[action="/panel/sign-out"]'); return [f.action, new URLSearchParams(new FormData(f)).toString()]; }
            """);
        answers.Add("sign-out: " + await PostAsync(page, signOut[0], signOut[1], signingOut: true));

        // The forms each role has are the ones walked (so the walk cannot pass by finding nothing).
        string[] everyone = ["orders:Export", "points:Test", "points:FiscalCheck", "points:Upload", "points:DotsFromOrders", "points:Set", "companies:FiscalCheck", "unrouted:Replay", "inbox:Retry"];
        string[] managers = [.. everyone, "points:Pos", "points:Point", "points:Employee", "points:EmployeeDelete", "points:FiscalSave", "companies:Pos", "companies:Bot", "companies:ChatCode", "companies:Chat", "companies:ChatDelete", "companies:SigningSecret", "companies:FiscalSave"];
        string[] expected = role switch
        {
            "admin" => [.. managers, "companies:City", "companies:Company", "users:Create", "users:Update", "users:Password"],
            "manager" => managers,
            _ => everyone,
        };
        expected.ShouldBeSubsetOf(handlers, string.Join("\n", answers));
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// A webhook POS saved without a secret: OrderHub generates one and shows it once, at the top of the point's POS
    /// sub-page the form redirects to; a reload shows it no more, and no cookie is left holding it.
    /// </summary>
    [Fact]
    public async Task A_generated_webhook_secret_is_shown_once_after_the_redirect()
    {
        var created = await _factory.CreateApiClient().PostAsJsonAsync("/api/users", new
        {
            loginName = "manager-secret", displayName = "Менеджер", role = "manager", companyIds = new[] { _tenant.CompanyId }, password = Password, language = "uk",
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var page = await Chromium.NewPageAsync(_baseUrl);
        await page.SetViewportSizeAsync(1366, 900);
        await page.SignInAsync("manager-secret", Password);

        // A new point (the company page's form redirects back to it), then its POS: a webhook POS, no secret typed.
        await page.OpenAsync($"/panel/companies/{_tenant.CompanyId}");
        var newPoint = page.GetByTestId("new-point");
        await newPoint.Locator("[name=name]").FillAsync("Поділ");
        await newPoint.Locator("[name=dotsAddressId]").FillAsync("address-podil");
        await ExpectRedirectAsync(page, () => newPoint.Locator("button").ClickAsync());
        await page.FollowAsync(() => page.GetByTestId("points").GetByRole(AriaRole.Link, new() { Name = "Поділ" }).ClickAsync());
        var pos = page.GetByTestId("pos-form");
        await pos.Locator("[name=kind]").SelectOptionAsync("Webhook");
        await pos.Locator("[name=webhookUrl]").FillAsync("http://127.0.0.1:9/pos");
        var shown = page.WaitForResponseAsync(r => r.Request.Method == "GET" && r.Request.ResourceType == "document");
        await ExpectRedirectAsync(page, () => page.GetByTestId("save-pos").ClickAsync());
        ((await (await shown).HeaderValueAsync("cache-control")) ?? "").ShouldContain("no-store", customMessage: "a page showing a secret is never cached");

        await Assertions.Expect(page.GetByTestId("notice")).ToHaveTextAsync("Налаштування POS збережено.");
        var secret = (await page.GetByTestId("secret-once-value").InnerTextAsync()).Trim();
        secret.ShouldStartWith("whsec_");
        await Assertions.Expect(page.GetByTestId("pos-kind")).ToContainTextAsync("Webhook");
        (await page.Context.CookiesAsync()).ShouldAllBe(c => !c.Value.Contains(secret) && c.Name != ".AspNetCore.Mvc.CookieTempDataProvider");
        var reloaded = await page.RefreshAsync();
        reloaded.Status.ShouldBe(200);
        await Assertions.Expect(page.GetByTestId("has-secret")).ToContainTextAsync("задано");
        (await page.ContentAsync()).ShouldNotContain(secret);
        (await page.GetByTestId("secret-once").CountAsync()).ShouldBe(0);
        await page.Context.CloseAsync();
    }

    /// <summary>Posts a form's fields with the context's cookies and returns where it redirected, after checking that page.</summary>
}
