using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OrderHub.Api.Features.Reconciliation;
using OrderHub.Domain.Orders;
using OrderHub.FunctionalTests.Infrastructure;

namespace OrderHub.FunctionalTests.Reconciliation;

/// <summary>
/// The reconciliation pages in headless Chromium (SQLite, OrderHub on a real port, the simulated Poster): a
/// Ukrainian manager opens the point's reconciliations from its page, reads a run's findings linked to their
/// orders, sends the missing order again in one press, and reads the same pages in English.
/// </summary>
public sealed class ReconciliationPanelTests : IAsyncLifetime, IClassFixture<Chromium>
{
    private readonly Chromium chromium;

    public ReconciliationPanelTests(Chromium chromium)
    {
        this.chromium = chromium;
        _sim = new PosSimulatorServer { Clock = () => _factory.Clock };
    }

    private const string Password = "correct-horse-battery-staple";

    private readonly SqliteTestDatabase _database = new();
    private readonly PosSimulatorServer _sim;
    private OrderHubFactory _factory = null!;
    private string _baseUrl = "";

    public async Task InitializeAsync()
    {
        await _sim.StartAsync();
        await _database.CreateAsync();
        _factory = new OrderHubFactory(_database, new Dictionary<string, string?>
        {
            ["Dispatcher:Enabled"] = "true",
            ["Dispatcher:PollInterval"] = "00:00:00.200",
            ["Dispatcher:DrainTimeout"] = "00:00:05",
            ["Poster:BaseUrlTemplate"] = _sim.PosterBaseUrlTemplate,
            ["Pos:Resilience:AttemptTimeout"] = "00:00:05",
            ["Pos:Resilience:MinimumThroughput"] = "1000",
            ["Reconciliation:Enabled"] = "false",
        });
        _baseUrl = KestrelOrderHub.Start(_factory);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task A_manager_reads_a_run_s_findings_in_Ukrainian_and_English_and_sends_a_missing_order_again_in_one_press()
    {
        var tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).WithoutLvivPoint().CreateAsync(_factory);
        var kept = await AcceptAsync(tenant, "P-1");
        var lost = await AcceptAsync(tenant, "P-2");
        await WaitAsync(db => db.Orders.CountAsync(o => (o.Id == kept || o.Id == lost) && o.ExportState == ExportState.Exported).ContinueWith(t => t.Result == 2), "both exported");
        var posterId = _sim.Orders("poster/" + PosSimulatorServer.PosterAccount).Single(o => o.Marker == "[Dots #P-2]").PosOrderId;
        (await _sim.Control.DeleteAsync($"control/poster/{PosSimulatorServer.PosterAccount}/orders/{posterId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        // The day of the orders in the point's time zone, whenever the suite runs.
        var acceptedAt = await _factory.WithDbAsync(db => db.Orders.Where(o => o.Id == lost).Select(o => o.AcceptedAt).SingleAsync());
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(acceptedAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv")).DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var api = _factory.CreateApiClient();
        var ran = await api.PostAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/reconciliations", new { day });
        ran.StatusCode.ShouldBe(HttpStatusCode.Created, await ran.Content.ReadAsStringAsync());
        var run = (await ran.Content.ReadFromJsonAsync<ReconciliationRunDto>(HttpAssertions.Json))!;
        (run.Expected, run.Missing).ShouldBe((2, 1));

        var created = await api.PostAsJsonAsync("/api/users", new
        {
            loginName = "oksana", displayName = "Оксана", role = "manager", companyIds = new[] { tenant.CompanyId }, password = Password, language = "uk",
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var page = await chromium.NewPageAsync(_baseUrl);
        await page.SignInAsync("oksana", Password);

        // From the point's page to its reconciliations, in Ukrainian.
        await page.OpenAsync($"/panel/points/{tenant.KyivPointId}");
        await page.FollowAsync(() => page.GetByTestId("reconciliation-link").ClickAsync());
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Звірка з касою");
        var row = page.GetByTestId("runs").Locator($"tr[data-day='{day}']");
        await Assertions.Expect(row).ToContainTextAsync("готово");
        await Assertions.Expect(row).ToContainTextAsync("вручну");
        await page.FollowAsync(() => row.Locator("a").ClickAsync());

        var missing = page.GetByTestId("findings").Locator("tr[data-kind='Missing']");
        await Assertions.Expect(missing).ToContainTextAsync("#P-2");
        await Assertions.Expect(missing).ToContainTextAsync("немає на касі");
        await Assertions.Expect(missing).ToContainTextAsync("Експортовано");
        (await missing.Locator("a").GetAttributeAsync("href")).ShouldBe($"/panel/orders/{lost}");
        await Assertions.Expect(page.GetByTestId("expected")).ToHaveTextAsync("2");
        await Assertions.Expect(page.GetByTestId("at-pos")).ToHaveTextAsync("1");

        // One press sends it again; the button gives way to who sent it.
        await page.FollowAsync(() => missing.GetByTestId("redrive").ClickAsync());
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Замовлення #P-2 знову поставлено в чергу на касу.");
        await Assertions.Expect(page.GetByTestId("findings").Locator("tr[data-kind='Missing']").GetByTestId("redriven")).ToContainTextAsync("Надіслано знову user:oksana");
        await Assertions.Expect(page.GetByTestId("findings").Locator("tr[data-kind='Missing']").GetByTestId("redrive")).ToHaveCountAsync(0);
        await WaitAsync(db => db.Orders.AnyAsync(o => o.Id == lost && o.ExportState == ExportState.Exported && o.PosOrderId != posterId), "the re-driven order exported");
        _sim.Orders("poster/" + PosSimulatorServer.PosterAccount).Count(o => o.Marker == "[Dots #P-2/2]").ShouldBe(1);

        // The same pages in English.
        await page.OpenAsync($"/panel/points/{tenant.KyivPointId}/reconciliations/{run.Id}?lang=en");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Reconciliation with the register");
        await Assertions.Expect(page.GetByTestId("findings").Locator("tr[data-kind='Missing']")).ToContainTextAsync("missing at the register");
        await Assertions.Expect(page.GetByTestId("findings").Locator("tr[data-kind='Missing']").GetByTestId("redriven")).ToContainTextAsync("Sent again by user:oksana");

        // At a phone's width the list and the run with its findings fit the screen.
        var phone = await chromium.NewPageAsync(_baseUrl, phone: true);
        await phone.SignInAsync("oksana", Password);
        foreach (var screen in new[] { $"/panel/points/{tenant.KyivPointId}/reconciliations", $"/panel/points/{tenant.KyivPointId}/reconciliations/{run.Id}" })
        {
            (await phone.OpenAsync(screen)).Status.ShouldBe(200, screen);
            await OrderHub.FunctionalTests.Panel.PanelLayout.AssertNothingOverflowsAsync(phone);
        }

        await phone.Context.CloseAsync();

        await page.OpenAsync($"/panel/points/{tenant.KyivPointId}/reconciliations?lang=en");
        await Assertions.Expect(page.GetByTestId("runs").Locator($"tr[data-day='{day}']")).ToContainTextAsync("by hand");
        await Assertions.Expect(page.GetByTestId("run-form")).ToContainTextAsync("Reconcile");

        // A clean run reads as such: reconciled again from the form, both orders are at the register.
        await page.GetByTestId("run-form").Locator("input[name=day]").FillAsync(day);
        await page.FollowAsync(() => page.GetByTestId("run-form").Locator("button").ClickAsync());
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/reconciliations/{run.Id}([?#]|$)"), new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByTestId("clean")).ToHaveTextAsync("Усі 2 замовлення на касі.");
        await page.OpenAsync($"/panel/points/{tenant.KyivPointId}/reconciliations/{run.Id}?lang=en");
        await Assertions.Expect(page.GetByTestId("clean")).ToHaveTextAsync("All 2 orders at the register.");
        await page.Context.CloseAsync();
    }

    private async Task<Guid> AcceptAsync(TestTenant tenant, string number)
    {
        var body = Fixtures.Json(Fixtures.AcceptedDelivery);
        var dotsId = Guid.NewGuid().ToString();
        body["eventId"] = "evt_recon_" + number;
        body["order"]!["id"] = dotsId;
        body["order"]!["number"] = number;
        // Accepted now (the fixture's day is in the past): the simulated Poster stamps its orders with the real time.
        body["occurredAt"] = _factory.Clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        (await tenant.Sender(_factory).SendAsync(body)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        Guid id = default;
        await WaitAsync(async db => (id = await db.Orders.Where(o => o.DotsOrderId == dotsId).Select(o => o.Id).FirstOrDefaultAsync()) != default, "order " + number);
        return id;
    }

    private Task WaitAsync(Func<OrderHub.Api.Persistence.OrderHubDbContext, Task<bool>> condition, string what) =>
        Eventually.WaitUntilAsync(() => _factory.WithDbAsync(condition), what);
}
