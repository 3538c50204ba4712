using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.History;
using OrderHub.Domain.Inbound;
using OrderHub.Domain.Orders;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.Simulators;

namespace OrderHub.FunctionalTests.Panel;

/// <summary>
/// Every message a person reads, in their language, in headless Chromium (SQLite, OrderHub on a real port, the
/// simulated Poster and Checkbox): the scenarios support meets (a delivered order whose status changed in Dots
/// afterwards, an export Poster refused, an order missing an external id, a receipt Checkbox refused, an event for
/// an unknown pickup point) are driven through the Dots webhook and the workers; then a Ukrainian panel user reads
/// the order pages, the orders list, the dashboard, the unrouted list and the coverage page, at a laptop and a
/// phone width, and finds none of the English sentences OrderHub stored for them, no raw message key and no JSON escape.
/// </summary>
public sealed class PanelLanguageTests(Chromium chromium) : IAsyncLifetime, IClassFixture<Chromium>
{
    private const string Password = "correct-horse-battery-staple";

    /// <summary>A message key shown as is (<c>reason.PosRejected</c>, <c>hint.poster.product</c>, <c>fiscal.notIssued</c>).</summary>
    private static readonly Regex RawKey = new(@"\b(reason|reasonHelp|action|term|hint|export|fiscal|poster|webhook|dots|order|event|pos|problem|parking|mapping|cancel|history)\.[A-Za-z]+(\.[A-Za-z]+)*\b");

    private readonly SqliteTestDatabase _database = new();
    private readonly PosSimulatorServer _sim = new();
    private OrderHubFactory _factory = null!;
    private string _baseUrl = "";
    private TestTenant _tenant = null!;
    private Guid _drifted;
    private Guid _refused;
    private Guid _unmapped;

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
            ["Fiscal:WorkerEnabled"] = "true",
            ["Fiscal:PollInterval"] = "00:00:00.100",
            ["Fiscal:StatusPollInterval"] = "00:00:00",
            ["Fiscal:AttemptTimeout"] = "00:00:05",
            ["Fiscal:CheckboxBaseUrl"] = _sim.CheckboxBaseUrl,
            ["Fiscal:CashalotUrl"] = _sim.CashalotUrl,
        });
        _baseUrl = KestrelOrderHub.Start(_factory);
        _tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).WithAutoSync(true)
            .WithoutMapping("dots-prod-tiramisu").CreateAsync(_factory);
        await SeedAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_Ukrainian_reader_sees_no_English_sentence_no_raw_key_and_no_JSON_escape_for_the_seeded_scenarios(bool phone)
    {
        var login = phone ? "olena-phone" : "olena";
        var created = await _factory.CreateApiClient().PostAsJsonAsync("/api/users", new
        {
            loginName = login, displayName = "Олена", role = "manager", companyIds = new[] { _tenant.CompanyId }, password = Password, language = "uk",
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var page = await chromium.NewPageAsync(_baseUrl, phone);
        await page.SignInAsync(login, Password);

        var english = await EnglishSentencesAsync();
        english.Count.ShouldBeGreaterThan(10);
        var pages = new[]
        {
            $"/panel/orders/{_drifted}", $"/panel/orders/{_refused}", $"/panel/orders/{_unmapped}",
            "/panel/orders", $"/panel/orders?problem={FailureReason.PosProductNotFound}", "/panel", "/panel/unrouted",
            $"/panel/points/{_tenant.KyivPointId}/coverage",
        };
        foreach (var path in pages)
        {
            await page.OpenAsync(path);
            var text = await page.Locator("body").InnerTextAsync();
            english.Where(sentence => text.Contains(sentence, StringComparison.Ordinal)).ShouldBeEmpty($"English on {path}");
            // Dots' own event names (order.accepted) are the contract's identifiers, shown as such.
            RawKey.Matches(text).Select(m => m.Value).Where(k => !k.StartsWith("order.", StringComparison.Ordinal) || k is "order.problem" or "order.hint" or "order.title")
                .ShouldBeEmpty($"raw keys on {path}");
            (await page.ContentAsync()).ShouldNotContain("\\u04", customMessage: path);
        }

        // The scenarios are there, in Ukrainian: this test would see their English.
        await page.OpenAsync($"/panel/orders/{_refused}");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Poster не знає товару із замовлення (помилка 41).");
        await Assertions.Expect(page.GetByTestId("hint")).ToContainTextAsync("у зовнішніх ID точки видачі");
        await page.OpenAsync($"/panel/orders/{_drifted}");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Статус змінився після експорту: POS не оновлено");
        await page.OpenAsync($"/panel/orders/{_unmapped}");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Немає зовнішнього ID для товару «");
        await Assertions.Expect(page.GetByTestId("receipt-error")).ToContainTextAsync("Checkbox не прийняв PIN-код касира");
        await Assertions.Expect(page.GetByTestId("receipt-hint")).ToContainTextAsync("Перевірте дані підключення");
        await page.OpenAsync("/panel/unrouted");
        await Assertions.Expect(page.GetByTestId("unrouted")).ToContainTextAsync("якої не налаштовано в компанії «Test Pizza»");

        // The same rows read in English when the reader switches the panel to English.
        await page.OpenAsync($"/panel/orders/{_refused}?lang=en");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Poster does not know a product in the order (error 41).");
        await page.Context.CloseAsync();
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
        await _sim.DisposeAsync();
    }

    /// <summary>The English OrderHub stored for the company's rows and receipts, where the Ukrainian text differs.</summary>
    private async Task<List<string>> EnglishSentencesAsync() => await _factory.WithDbAsync(async db =>
    {
        var rows = await db.OrderActions.AsNoTracking().Where(a => a.CompanyId == _tenant.CompanyId).ToListAsync();
        var receipts = await db.FiscalReceipts.AsNoTracking().Where(r => r.CompanyId == _tenant.CompanyId).ToListAsync();
        var sentences = rows.Where(r => MessageCatalog.Render(r.MessageKey, r.MessageArgs, "", MessageCatalog.Ukrainian) != r.Message).Select(r => r.Message)
            .Concat(rows.Where(r => r.FixHint is not null && MessageCatalog.Render(r.FixHintKey, r.FixHintArgs, "", MessageCatalog.Ukrainian) != r.FixHint).Select(r => r.FixHint!))
            .Concat(receipts.Where(r => r.Error is not null).Select(r => r.Error!))
            .Concat(receipts.Where(r => r.FixHint is not null).Select(r => r.FixHint!));
        return sentences.Distinct().ToList();
    });

    /// <summary>
    /// At Lviv: a pickup order delivered to Poster whose status then changes in Dots (drift), and one Poster refuses
    /// with error 41. At Kyiv: the paid delivery lacks Tiramisu's id and its receipt is refused by Checkbox (wrong
    /// PIN). And an order for an address no point has.
    /// </summary>
    private async Task SeedAsync()
    {
        var api = _factory.CreateApiClient();
        (await api.PutAsJsonAsync($"/api/pickup-points/{_tenant.KyivPointId}/fiscal-connection", new
        {
            name = "Каса Checkbox", provider = "Checkbox", receiptsEnabled = true, pin = "9999", licenseKey = PosSimulatorServer.CheckboxLicenseKey, defaultTaxCode = "1",
        })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.PostAsJsonAsync($"/api/pickup-points/{_tenant.KyivPointId}/fiscal-employees", new
        {
            name = "Олена", userName = OrderHubFactory.ApiKeyName, fiscalNumber = "4000000017", isDefaultCashier = true,
        })).StatusCode.ShouldBe(HttpStatusCode.Created);

        var dots = _tenant.Sender(_factory);
        _drifted = await AcceptPickupAsync(dots, "LT-1");
        await WaitAsync(db => db.Orders.AnyAsync(o => o.Id == _drifted && o.ExportState == ExportState.Exported), "the first pickup order exported");
        var status = Fixtures.Json(Fixtures.StatusChanged);
        status["eventId"] = "evt_lang_status";
        var drifted = await _factory.WithDbAsync(db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == _drifted));
        status["order"]!["id"] = drifted.DotsOrderId;
        status["order"]!["number"] = drifted.Number;
        status["order"]!["companyAddressId"] = Fixtures.LvivAddressId;
        (await dots.SendAsync(status)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await WaitAsync(db => db.OrderActions.AnyAsync(a => a.OrderId == _drifted && a.Reason == FailureReason.StatusChangedAfterExport), "the drift row");

        await _sim.FaultsAsync(new FaultSettings { PosterErrorCode = 41 });
        _refused = await AcceptPickupAsync(dots, "LT-2");
        await WaitAsync(db => db.Orders.AnyAsync(o => o.Id == _refused && o.ExportState == ExportState.Failed), "the refused export");

        (await dots.SendFixtureAsync(Fixtures.AcceptedDelivery)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        _unmapped = await _factory.WithDbAsync(db => db.Orders.Where(o => o.DotsOrderId == Fixtures.DeliveryOrderId).Select(o => o.Id).SingleAsync());
        await WaitAsync(db => db.FiscalReceipts.AnyAsync(r => r.OrderId == _unmapped && r.State == FiscalReceiptState.Error), "the refused receipt");

        var unrouted = Fixtures.Json(Fixtures.AcceptedPickupCash);
        unrouted["eventId"] = "evt_lang_unrouted";
        unrouted["order"]!["id"] = Guid.NewGuid().ToString();
        unrouted["order"]!["companyAddressId"] = "address-nobody-has";
        (await dots.SendAsync(unrouted)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await WaitAsync(db => db.InboundEvents.AnyAsync(e => e.CompanyId == _tenant.CompanyId && e.State == InboundEventState.Unrouted), "the unrouted event");
    }

    private async Task<Guid> AcceptPickupAsync(DotsSender dots, string number)
    {
        var body = Fixtures.Json(Fixtures.AcceptedPickupCash);
        var dotsId = Guid.NewGuid().ToString();
        body["eventId"] = "evt_lang_" + number;
        body["order"]!["id"] = dotsId;
        body["order"]!["number"] = number;
        (await dots.SendAsync(body)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        return await WaitAsync(async db => await db.Orders.Where(o => o.DotsOrderId == dotsId).Select(o => (Guid?)o.Id).SingleOrDefaultAsync(), "order " + number);
    }

    private async Task WaitAsync(Func<OrderHubDbContext, Task<bool>> condition, string what) =>
        await WaitAsync(async db => await condition(db) ? (Guid?)Guid.Empty : null, what);

    private async Task<Guid> WaitAsync(Func<OrderHubDbContext, Task<Guid?>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await _factory.WithDbAsync(condition) is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                var history = await _factory.WithDbAsync(db => db.OrderActions.AsNoTracking().Where(a => a.CompanyId == _tenant.CompanyId)
                    .OrderBy(a => a.Id).Select(a => a.Action + ": " + a.Message).ToListAsync());
                throw new TimeoutException($"Timed out waiting for {what}. History:\n{string.Join("\n", history)}");
            }

            await Task.Delay(50);
        }
    }
}
