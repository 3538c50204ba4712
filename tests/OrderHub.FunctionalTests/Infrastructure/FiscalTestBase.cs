using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderHub.Api.Features.Fiscal.Receipts;
using OrderHub.Api.Features.Orders;
using OrderHub.FunctionalTests.Intake;
using OrderHub.Integrations.Fiscal;
using OrderHub.Simulators;

namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>
/// OrderHub with the receipt worker on, pointed at the Checkbox and Cashalot simulators (a fresh simulator host
/// per test), polling fast so a receipt is fiscalized within a test's patience.
/// </summary>
public abstract class FiscalTestBase(ITestDatabase database) : ProviderTestBase(database)
{
    /// <summary>A register fiscal number (ФН ПРРО) the simulators accept.</summary>
    protected const string CheckboxFiscalNumber = "4000000017";

    /// <summary>A personal tax number (РНОКПП) with a valid check digit: the most common mistake.</summary>
    protected const string PersonalTaxNumber = "3012345670";

    protected PosSimulatorServer Sim { get; } = new();

    /// <summary>
    /// The attempt timeout of an ordinary test: far above any loopback call, so a call slowed by a loaded machine
    /// (two cores shared with PostgreSQL, a browser and other test runs) is never cut off and taken for an unclear
    /// answer, which would change what the test sees (a receipt "found after an unclear attempt").
    /// </summary>
    private static readonly TimeSpan OrdinaryAttemptTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The attempt timeout while the simulator holds its answers on purpose: the test waits for that timeout.</summary>
    private static readonly TimeSpan HeldAnswerAttemptTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Sets how the simulated <paramref name="provider"/> behaves. While it holds its answers (a timeout after it
    /// accepted, or after it lost the receipt), OrderHub's attempt timeout is the short one the test waits for;
    /// otherwise the generous one (the options object is the app's singleton, read at each call).
    /// </summary>
    protected async Task FiscalAsync(string provider, FiscalSimulatorSettings settings)
    {
        Factory.Services.GetRequiredService<IOptions<FiscalOptions>>().Value.AttemptTimeout =
            settings.AcceptThenTimeout || settings.DropThenTimeout ? HeldAnswerAttemptTimeout : OrdinaryAttemptTimeout;
        await Sim.FiscalAsync(provider, settings);
    }

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Fiscal:WorkerEnabled"] = "true",
        ["Fiscal:PollInterval"] = "00:00:00.100",
        ["Fiscal:StatusPollInterval"] = "00:00:00",
        ["Fiscal:AttemptTimeout"] = OrdinaryAttemptTimeout.ToString("c", CultureInfo.InvariantCulture),
        // Above 6 × the attempt timeout, as the options' validation asks.
        ["Fiscal:LeaseDuration"] = "00:04:00",
        ["Fiscal:CheckboxBaseUrl"] = Sim.CheckboxBaseUrl,
        ["Fiscal:CashalotUrl"] = Sim.CashalotUrl,
    };

    public override async Task InitializeAsync()
    {
        await Sim.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Sim.DisposeAsync();
    }

    protected HttpClient Api => _api ??= Factory.CreateApiClient();

    private HttpClient? _api;

    protected async Task CheckboxAsync(Guid? pointId, Guid? companyId = null, bool enabled = true, string pin = PosSimulatorServer.CheckboxPin,
        string licenseKey = PosSimulatorServer.CheckboxLicenseKey, string? shiftCloseAt = null)
    {
        var url = pointId is { } p ? $"/api/pickup-points/{p}/fiscal-connection" : $"/api/companies/{companyId}/fiscal-connection";
        var response = await Api.PutAsJsonAsync(url, new { name = "Каса Checkbox", provider = "Checkbox", receiptsEnabled = enabled, pin, licenseKey, defaultTaxCode = "1", shiftCloseAt });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    protected async Task CashalotAsync(Guid pointId)
    {
        var response = await Api.PutAsJsonAsync($"/api/pickup-points/{pointId}/fiscal-connection", new
        {
            name = "Каса Cashalot",
            provider = "Cashalot",
            receiptsEnabled = true,
            cashalotCertificate = Convert.ToBase64String("certificate"u8.ToArray()),
            cashalotPrivateKey = Convert.ToBase64String("private-key"u8.ToArray()),
            cashalotKeyPassword = PosSimulatorServer.CashalotKeyPassword,
            defaultTaxCode = "А",
        });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    protected async Task<JsonElement> EmployeeAsync(Guid pointId, string name, string? userName, string? fiscalNumber, bool cashier)
    {
        var response = await Api.PostAsJsonAsync($"/api/pickup-points/{pointId}/fiscal-employees",
            new { name, userName, fiscalNumber, isDefaultCashier = cashier });
        return await response.ShouldBeAsync<JsonElement>(HttpStatusCode.Created);
    }

    protected async Task<Guid> AcceptAsync(TestTenant tenant, string fixture)
    {
        var response = await tenant.Sender(Factory).SendFixtureAsync(fixture);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var dotsId = Fixtures.Json(fixture)["order"]!["id"]!.GetValue<string>();
        return await Factory.WithDbAsync(db => db.Orders.Where(o => o.DotsOrderId == dotsId).Select(o => o.Id).SingleAsync());
    }

    protected async Task<List<ReceiptDto>> ReceiptsAsync(Guid order) =>
        (await Api.GetFromJsonAsync<List<ReceiptDto>>($"/api/orders/{order}/receipts", HttpAssertions.Json))!;

    protected async Task<List<OrderActionDto>> HistoryAsync(Guid order) =>
        (await Api.GetFromJsonAsync<OrderDetailsDto>($"/api/orders/{order}", HttpAssertions.Json))!.History.ToList();

    protected async Task<ReceiptDto> WaitForReceiptAsync(Guid order, string state)
    {
        ReceiptDto? found = null;
        try
        {
            await WaitUntilAsync(async () => (found = (await ReceiptsAsync(order)).FirstOrDefault(r => r.Kind == "Sale" && r.State == state)) is not null,
                $"a sale receipt in {state}");
        }
        catch (TimeoutException timeout)
        {
            var seen = string.Join("; ", (await ReceiptsAsync(order)).Select(r => $"{r.Kind} {r.State} after {r.Attempts}: {r.Error}"));
            var history = string.Join("\n", (await HistoryAsync(order)).Select(h => $"{h.Action} {h.Outcome}: {h.Message}"));
            throw new TimeoutException($"{timeout.Message} Receipts: {seen}\nHistory:\n{history}", timeout);
        }

        return found!;
    }

    protected static async Task WaitUntilAsync(Func<Task<bool>> condition, string? what = null)
    {
        // Patience, not a pause: the loop ends as soon as the condition holds. Above the attempt timeout, so one slow
        // call on a loaded machine still ends in the outcome the test waits for.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what ?? "the condition"}.");
            }

            await Task.Delay(50);
        }
    }
}
