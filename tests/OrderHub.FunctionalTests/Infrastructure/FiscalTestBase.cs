using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Fiscal.Receipts;
using OrderHub.Api.Features.Orders;
using OrderHub.FunctionalTests.Intake;

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

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Fiscal:WorkerEnabled"] = "true",
        ["Fiscal:PollInterval"] = "00:00:00.100",
        ["Fiscal:StatusPollInterval"] = "00:00:00",
        // Long enough that an ordinary call on a loaded machine is not cut off as ambiguous; the timeout tests hold the answer longer.
        ["Fiscal:AttemptTimeout"] = "00:00:05",
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
        var deadline = DateTime.UtcNow.AddSeconds(20);
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
