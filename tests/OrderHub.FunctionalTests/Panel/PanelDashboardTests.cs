using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OrderHub.Domain.History;
using OrderHub.Domain.Inbound;
using OrderHub.Domain.Orders;
using OrderHub.FunctionalTests.Infrastructure;

namespace OrderHub.FunctionalTests.Panel;

/// <summary>
/// The dashboard at /panel in headless Chromium (SQLite, OrderHub on a real port): orders arrive through the Dots
/// webhook, some are then moved to the states a day of work leaves behind (exported a few hours ago, failed,
/// stuck in the queue, waiting for a manual export), and each role at a laptop and a phone width sees counts
/// that match the database, charts with a data point for the seeded orders, and nothing wider than its card.
/// </summary>
public sealed class PanelDashboardTests(Chromium chromium) : IAsyncLifetime, IClassFixture<Chromium>
{
    private const string Password = "correct-horse-battery-staple";

    private readonly SqliteTestDatabase _database = new();
    private OrderHubFactory _factory = null!;
    private string _baseUrl = "";
    private TestTenant _tenant = null!;

    public async Task InitializeAsync()
    {
        await _database.CreateAsync();
        _factory = new OrderHubFactory(_database, new Dictionary<string, string?> { ["Panel:WaitingAfter"] = "00:15:00" });
        _baseUrl = KestrelOrderHub.Start(_factory);
        _tenant = await new TestTenant().WithAutoSync(false).WithoutMapping("dots-prod-tiramisu").CreateAsync(_factory);
        await SeedAsync();
    }

    public static TheoryData<string, bool> RolesAndWidths => new()
    {
        { "admin", false }, { "admin", true },
        { "manager", false }, { "manager", true },
        { "support", false }, { "support", true },
    };

    [Theory]
    [MemberData(nameof(RolesAndWidths))]
    public async Task Each_role_sees_the_attention_counts_of_the_database_charts_with_the_seeded_orders_and_nothing_overflows(string role, bool phone)
    {
        var login = role + (phone ? "-phone" : "-laptop");
        await CreateUserAsync(login, role, "uk", role == "admin" ? [] : [_tenant.CompanyId]);
        var page = await chromium.NewPageAsync(_baseUrl, phone);
        if (!phone)
        {
            await page.SetViewportSizeAsync(1366, 900);
        }

        await page.SignInAsync(login, Password);
        await page.OpenAsync("/panel");
        await Assertions.Expect(page.GetByTestId("attention")).ToContainTextAsync("Потребує уваги зараз");

        // The counts are what the database holds now (and what the seeding made of it).
        var now = _factory.Clock.GetUtcNow();
        var waitingBefore = now.AddMinutes(-15);
        var expected = await _factory.WithDbAsync(async db => new Dictionary<string, int>
        {
            ["attention-failed"] = await db.Orders.CountAsync(o => o.CompanyId == _tenant.CompanyId && o.ExportState == ExportState.Failed),
            ["attention-needs-mapping"] = await db.Orders.CountAsync(o => o.CompanyId == _tenant.CompanyId && o.ExportState == ExportState.NeedsMapping),
            ["attention-awaiting"] = await db.Orders.CountAsync(o => o.CompanyId == _tenant.CompanyId && o.ExportState == ExportState.AwaitingExport && o.ReceivedAt < waitingBefore),
            ["attention-queued"] = await db.Orders.CountAsync(o => o.CompanyId == _tenant.CompanyId && o.ExportState == ExportState.Queued && o.ReceivedAt < waitingBefore),
            ["attention-unrouted"] = await db.InboundEvents.CountAsync(e => e.CompanyId == _tenant.CompanyId && e.State == InboundEventState.Unrouted),
        });
        expected.ShouldBe(new Dictionary<string, int>
        {
            ["attention-failed"] = 1, ["attention-needs-mapping"] = 1, ["attention-awaiting"] = 1, ["attention-queued"] = 1, ["attention-unrouted"] = 1,
        });
        foreach (var (testId, count) in expected)
        {
            (await page.GetByTestId(testId).GetAttributeAsync("data-count")).ShouldBe(count.ToString(), testId);
            (await page.GetByTestId(testId).Locator("strong").InnerTextAsync()).ShouldBe(count.ToString(), testId);
        }

        // The health of both points, with the register's state and coverage.
        await Assertions.Expect(page.GetByTestId("point-health")).ToHaveCountAsync(2);

        // Orders per hour: one bar segment per seeded hour and state, together every order of the last 24 h.
        var total = await _factory.WithDbAsync(db => db.Orders.CountAsync(o => o.CompanyId == _tenant.CompanyId));
        var bars = page.GetByTestId("chart-orders").Locator("[data-testid=bar]");
        var counts = await bars.EvaluateAllAsync<int[]>("els => els.map(e => +e.dataset.count)");
        counts.Sum().ShouldBe(total);
        (await page.GetByTestId("chart-orders").Locator("[data-testid=bar][data-state=Exported]").CountAsync()).ShouldBe(2, "two hours had exported orders");
        (await page.GetByTestId("chart-orders").Locator("[data-testid=bar][data-state=Failed]").CountAsync()).ShouldBe(1);

        // Latency: a p50 and a p95 point for each hour with exported orders (3 s and 8 s after the 202).
        (await page.GetByTestId("chart-latency").Locator("[data-series=p50]").CountAsync()).ShouldBe(2);
        (await page.GetByTestId("chart-latency").Locator("[data-series=p95]").CountAsync()).ShouldBe(2);
        // Distinct shapes, so an hour whose p50 equals its p95 (one order) shows both: a dot inside a diamond, drawn after it.
        var latency = page.GetByTestId("chart-latency");
        (await latency.Locator("[data-series=p50] circle").CountAsync()).ShouldBe(2);
        (await latency.Locator("[data-series=p95] path").CountAsync()).ShouldBe(2);
        (await latency.Locator("[data-series=p50] circle").EvaluateAllAsync<bool[]>("els => els.map(e => e.getBoundingClientRect().width > 0)")).ShouldAllBe(v => v);
        (await latency.Locator("[data-series=p95] path").EvaluateAllAsync<bool[]>("els => els.map(e => e.getBoundingClientRect().width > 0)")).ShouldAllBe(v => v);
        (await latency.Locator("[data-series]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.series)")).ShouldBe(["p95", "p95", "p50", "p50"]);
        (await page.GetByTestId("chart-latency").Locator("[data-series=p95] title").EvaluateAllAsync<string[]>("els => els.map(e => e.textContent)")).ShouldContain(t => t.EndsWith("p95: 8 с", StringComparison.Ordinal));

        // Failures by reason: the failed export and the missing id.
        var reasons = await page.GetByTestId("reason").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.reason + '=' + e.dataset.count)");
        reasons.ShouldBe(["MissingExternalId=1", "PosUnreachable=1"], ignoreOrder: true);

        await PanelLayout.AssertNothingOverflowsAsync(page);
        PanelLayout.AssertNoJsonEscapes(await page.ContentAsync(), page.Url);
        if (role == "admin")
        {
            await Chromium.ScreenshotAsync(page, phone ? "panel-dashboard-phone" : "panel-dashboard");
        }


        // The week: the same orders, in hourly buckets over 7 days.
        await page.FollowAsync(() => page.GetByTestId("range-7d").ClickAsync());
        (await page.GetByTestId("chart-orders").Locator("[data-testid=bar]").EvaluateAllAsync<int[]>("els => els.map(e => +e.dataset.count)")).Sum().ShouldBe(total);
        await PanelLayout.AssertNothingOverflowsAsync(page);

        // Each number is the list behind it.
        await page.OpenAsync("/panel");
        await page.FollowAsync(() => page.GetByTestId("attention-awaiting").ClickAsync());
        await Assertions.Expect(page.GetByTestId("order-row")).ToHaveCountAsync(1);
        await page.OpenAsync("/panel");
        await page.FollowAsync(() => page.GetByTestId("attention-failed").ClickAsync());
        await Assertions.Expect(page.GetByTestId("order-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("order-row")).ToHaveAttributeAsync("data-state", "Failed");
        await page.OpenAsync("/panel");
        await page.FollowAsync(() => page.GetByTestId("chart-orders").Locator("[data-testid=bar][data-state=Failed]").ClickAsync());
        await Assertions.Expect(page.GetByTestId("order-row")).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>
    /// Six pickup orders at Lviv (auto-sync off, so they wait for a manual export), one delivery at Kyiv that lacks
    /// an id, and one for an address no point has; then two exported (3 s and 8 s after the 202, 3 and 5 hours ago),
    /// one failed, one stuck in the queue for 2 hours, one waiting for an export for an hour, one just received.
    /// </summary>
    private async Task SeedAsync()
    {
        var dots = _tenant.Sender(_factory);
        for (var i = 0; i < 6; i++)
        {
            var body = Fixtures.Json(Fixtures.AcceptedPickupCash);
            body["eventId"] = $"evt_dash_{i}";
            body["order"]!["id"] = Guid.NewGuid().ToString();
            body["order"]!["number"] = $"DT-9{i}";
            (await dots.SendAsync(body)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        (await dots.SendFixtureAsync(Fixtures.AcceptedDelivery)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var unrouted = Fixtures.Json(Fixtures.AcceptedPickupCash);
        unrouted["eventId"] = "evt_dash_unrouted";
        unrouted["order"]!["id"] = Guid.NewGuid().ToString();
        unrouted["order"]!["companyAddressId"] = "address-nobody-has";
        (await dots.SendAsync(unrouted)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var now = _factory.Clock.GetUtcNow();
        await _factory.WithDbAsync(async db =>
        {
            var waiting = await db.Orders.Where(o => o.CompanyId == _tenant.CompanyId && o.ExportState == ExportState.AwaitingExport)
                .OrderBy(o => o.Number).ToListAsync();
            waiting.Count.ShouldBe(6);
            Exported(waiting[0], now.AddHours(-3), TimeSpan.FromSeconds(3));
            Exported(waiting[1], now.AddHours(-5), TimeSpan.FromSeconds(8));
            waiting[2].MarkQueued();
            waiting[2].MarkFailed(FailureReason.PosUnreachable);
            waiting[2].ReceivedAt = now.AddHours(-5);
            waiting[3].MarkQueued();
            waiting[3].ReceivedAt = now.AddHours(-2);
            waiting[4].ReceivedAt = now.AddHours(-1);
            waiting[5].ReceivedAt = now.AddMinutes(-2);
            await db.SaveChangesAsync();
            return 0;
        });
    }

    private static void Exported(Order order, DateTimeOffset receivedAt, TimeSpan latency)
    {
        order.MarkQueued();
        order.MarkExported();
        order.ReceivedAt = receivedAt;
        order.ExportedAt = receivedAt + latency;
    }

    private async Task CreateUserAsync(string login, string role, string language, Guid[] companyIds)
    {
        var created = await _factory.CreateApiClient().PostAsJsonAsync("/api/users", new
        {
            loginName = login, displayName = char.ToUpperInvariant(login[0]) + login[1..], role, companyIds, password = Password, language,
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }
}

/// <summary>Layout checks shared by the panel's browser tests.</summary>
public static class PanelLayout
{
    /// <summary>Every visible element inside a card lies within the card, and the page does not scroll sideways.</summary>
    public static async Task AssertNothingOverflowsAsync(IPage page)
    {
        var overflowing = await page.EvaluateAsync<string[]>("""
            () => {
              const out = [];
              for (const card of document.querySelectorAll('.card')) {
                const box = card.getBoundingClientRect();
                for (const el of card.querySelectorAll('*')) {
                  const r = el.getBoundingClientRect();
                  if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
                  if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY' && !el.closest('summary')) continue;
                  if (r.left < box.left - 1 || r.right > box.right + 1)
                    out.push(`${el.tagName.toLowerCase()}${el.dataset.testid ? '[' + el.dataset.testid + ']' : ''} "${(el.textContent || '').trim().slice(0, 30)}" ${Math.round(r.left)}..${Math.round(r.right)} outside ${Math.round(box.left)}..${Math.round(box.right)}`);
                }
              }
              if (document.documentElement.scrollWidth > window.innerWidth) out.push(`page ${document.documentElement.scrollWidth} wider than ${window.innerWidth}`);
              return out;
            }
            """);
        overflowing.ShouldBeEmpty(page.Url);
    }

    /// <summary>No JSON escape of a Cyrillic letter or a quote (<c>\u0422</c>, <c>\u0022</c>, <c>\u002B</c>) in a page's HTML: people read real text.</summary>
    public static void AssertNoJsonEscapes(string html, string screen) =>
        System.Text.RegularExpressions.Regex.Matches(html, @"\\u0[0-4][0-9a-fA-F]{2}").Select(m => html.Substring(Math.Max(0, m.Index - 40), Math.Min(80, html.Length - Math.Max(0, m.Index - 40))))
            .ShouldBeEmpty(screen);
}
