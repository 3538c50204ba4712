using System.Net.Http.Json;
using System.Text.Json;

namespace OrderHub.Benchmarks.Hosting;

/// <summary>
/// Configures the tenant the delivery sample names through the HTTP configuration API, as an operator would:
/// city, company (its signing secret is shown once), the Kyiv pickup point, a webhook POS integration pointing at
/// the simulator, and every sample item mapped as a company default.
/// </summary>
public sealed class BenchTenant(HttpClient api)
{
    private HttpClient _api = api;

    public const string DotsCompanyId = "b3c1f0a2-7d4e-4c8b-a9f1-2e5d6c7b8a90";
    public const string KyivAddressId = "a7e2d9c4-1b3f-4e6a-8d5c-9f0b1a2c3d4e";
    public const string Key = "bench-pizza";

    private static readonly (string Kind, string DotsId, string ExternalId)[] SampleIds =
    [
        ("Product", "dots-prod-pizza-margherita", "101"),
        ("Product", "dots-prod-cola", "201"),
        ("Variant", "dots-var-cola-05", "2011"),
        ("Product", "dots-prod-tiramisu", "301"),
        ("Product", "dots-prod-burger-classic", "401"),
        ("Product", "dots-prod-fries", "501"),
        ("Variant", "dots-var-fries-large", "5012"),
        ("Modifier", "dots-mod-extra-mozzarella", "11"),
        ("Modifier", "dots-mod-thin-crust", "12"),
        ("Modifier", "dots-mod-no-onion", "13"),
        ("Promotion", "dots-promo-2nd-pizza-20", "7"),
    ];

    private string _webhookUrl = "";
    private string _webhookSecret = "";

    public string SigningSecret { get; private set; } = "";

    public Guid KyivPointId { get; private set; }

    public async Task CreateAsync(string webhookPosUrl, string webhookPosSecret)
    {
        _webhookUrl = webhookPosUrl;
        _webhookSecret = webhookPosSecret;
        var city = await SendAsync(HttpMethod.Post, "/api/cities", new { dotsCityId = "kyiv", name = "Київ" });
        var company = await SendAsync(HttpMethod.Post, "/api/companies",
            new { cityId = city.GetProperty("id").GetGuid(), dotsCompanyId = DotsCompanyId, key = Key, name = "Bench Pizza" });
        SigningSecret = company.GetProperty("signingSecret").GetString()!;
        var companyId = company.GetProperty("id").GetGuid();
        var point = await SendAsync(HttpMethod.Post, $"/api/companies/{companyId}/pickup-points",
            new { dotsAddressId = KyivAddressId, name = "Хрещатик", address = "вул. Хрещатик, 1" });
        KyivPointId = point.GetProperty("id").GetGuid();
        await SendAsync(HttpMethod.Put, $"/api/companies/{companyId}/external-ids",
            new { items = SampleIds.Select(s => new { kind = s.Kind, dotsId = s.DotsId, externalId = s.ExternalId }) });
        await SetAutoSyncAsync(false);
    }

    /// <summary>Talk to another OrderHub host on the same database from now on.</summary>
    public void UseApi(HttpClient client) => _api = client;

    /// <summary>Off: accepted orders wait for an operator (intake only). On: they are queued for the POS at once.</summary>
    public Task SetAutoSyncAsync(bool on) => SendAsync(HttpMethod.Put, $"/api/pickup-points/{KyivPointId}/pos-integration",
        new
        {
            kind = "Webhook", webhookUrl = _webhookUrl, secret = _webhookSecret, enabled = true, autoSyncOnAcceptance = on,
            // The bench tenant has no Dots menu (coverage unknown), and the simulated POS takes every item.
            autoSyncOverrideReason = on ? "benchmark: no Dots menu, the simulated POS takes every item" : null,
        });

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object body)
    {
        using var response = await _api.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
