using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Security;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Security;

public sealed class SqliteCompanyScopeTests() : CompanyScopeTests(new SqliteTestDatabase());

public sealed class PostgresCompanyScopeTests() : CompanyScopeTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerCompanyScopeTests() : CompanyScopeTests(new SqlServerTestDatabase());

/// <summary>
/// A key scoped to one company (<c>Auth:ApiKeys:N:Companies</c>) sees and changes only that company's data;
/// another company's resources answer 404 as if they did not exist, and admin calls answer 403.
/// </summary>
public abstract class CompanyScopeTests(ITestDatabase database) : ProviderTestBase(database)
{
    private const string KeyA = "scoped-to-company-a-0123456789";
    private const string KeyB = "scoped-to-company-b-0123456789";

    private readonly TestTenant _a = new TestTenant().WithAutoSync(false);
    private readonly TestTenant _b = new TestTenant().WithDotsCompanyId("dots-company-b").WithAutoSync(false);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:ApiKeys:1:Name"] = "company-a",
        ["Auth:ApiKeys:1:Key"] = KeyA,
        ["Auth:ApiKeys:1:Companies:0"] = _a.Key,
        ["Auth:ApiKeys:2:Name"] = "company-b",
        ["Auth:ApiKeys:2:Key"] = KeyB,
        ["Auth:ApiKeys:2:Companies:0"] = _b.Key,
        ["Auth:ApiKeys:2:Companies:1"] = "a-company-that-does-not-exist",
    };

    [Fact]
    public async Task A_key_of_company_B_cannot_list_read_export_or_change_anything_of_company_A()
    {
        var (orderId, unroutedId) = await ArrangeAsync();
        var b = Client(KeyB);
        var cityId = await Factory.WithDbAsync(db => db.Companies.Where(c => c.Id == _a.CompanyId).Select(c => c.CityId).SingleAsync());
        var before = await SnapshotAsync();

        var orders = await (await b.GetAsync("/api/orders")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        orders.GetProperty("totalCount").GetInt32().ShouldBe(0);
        (await (await b.GetAsync($"/api/orders?companyId={_a.CompanyId}")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK))
            .GetProperty("totalCount").GetInt32().ShouldBe(0);
        (await (await b.GetAsync("/api/unrouted")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK)).GetArrayLength().ShouldBe(0);
        var companies = await (await b.GetAsync("/api/companies")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        companies.EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ShouldBe([_b.CompanyId]);

        var hidden = new (HttpMethod Method, string Url, object? Body)[]
        {
            (HttpMethod.Get, $"/api/orders/{orderId}", null),
            (HttpMethod.Get, $"/api/orders/{orderId}/payload", null),
            (HttpMethod.Post, $"/api/orders/{orderId}/export", new { force = true, reason = "steal" }),
            (HttpMethod.Post, "/api/orders/redrive-failed", new { pickupPointId = _a.KyivPointId }),
            (HttpMethod.Post, $"/api/unrouted/{unroutedId}/replay", null),
            (HttpMethod.Get, $"/api/companies/{_a.CompanyId}", null),
            (HttpMethod.Put, $"/api/companies/{_a.CompanyId}", new { cityId, dotsCompanyId = "hijacked", name = "Hijacked" }),
            (HttpMethod.Post, $"/api/companies/{_a.CompanyId}/signing-secret/rotate", null),
            (HttpMethod.Put, $"/api/companies/{_a.CompanyId}/signing-secret", new { signingSecret = Integrations.Webhooks.StandardWebhookSignature.GenerateSecret() }),
            (HttpMethod.Get, $"/api/companies/{_a.CompanyId}/pickup-points", null),
            (HttpMethod.Post, $"/api/companies/{_a.CompanyId}/pickup-points", new { dotsAddressId = "planted", name = "Planted" }),
            (HttpMethod.Get, $"/api/pickup-points/{_a.KyivPointId}", null),
            (HttpMethod.Put, $"/api/pickup-points/{_a.KyivPointId}", new { name = "Hijacked" }),
            (HttpMethod.Get, $"/api/pickup-points/{_a.KyivPointId}/pos-integration", null),
            (HttpMethod.Put, $"/api/pickup-points/{_a.KyivPointId}/pos-integration", new { kind = "Webhook", webhookUrl = "https://evil.example.com/" }),
            (HttpMethod.Delete, $"/api/pickup-points/{_a.KyivPointId}/pos-integration", null),
            (HttpMethod.Get, $"/api/companies/{_a.CompanyId}/external-ids", null),
            (HttpMethod.Put, $"/api/companies/{_a.CompanyId}/external-ids", new { items = new[] { new { kind = "Product", dotsId = "x", externalId = "1" } } }),
            (HttpMethod.Delete, $"/api/companies/{_a.CompanyId}/external-ids", new { items = new[] { new { kind = "Product", dotsId = "dots-prod-cola" } } }),
            (HttpMethod.Get, $"/api/pickup-points/{_a.KyivPointId}/external-ids", null),
            (HttpMethod.Put, $"/api/pickup-points/{_a.KyivPointId}/external-ids", new { items = new[] { new { kind = "Product", dotsId = "x", externalId = "1" } } }),
            (HttpMethod.Delete, $"/api/pickup-points/{_a.KyivPointId}/external-ids", new { items = new[] { new { kind = "Product", dotsId = "x" } } }),
            (HttpMethod.Get, $"/api/pickup-points/{_a.KyivPointId}/external-ids/effective", null),
            (HttpMethod.Post, $"/api/pickup-points/{_a.KyivPointId}/pos-integration/test", null),
            (HttpMethod.Get, $"/api/pickup-points/{_a.KyivPointId}/pos-catalog", null),
            (HttpMethod.Put, $"/api/pickup-points/{_a.KyivPointId}/pos-catalog", new { products = new[] { new { id = "1", name = "Planted" } } }),
            (HttpMethod.Post, $"/api/pickup-points/{_a.KyivPointId}/pos-catalog/refresh", null),
            (HttpMethod.Put, $"/api/pickup-points/{_a.KyivPointId}/pos-catalog/csv", "kind,id,name\nProduct,1,Planted\n"),
            (HttpMethod.Get, $"/api/pickup-points/{_a.KyivPointId}/coverage", null),
            (HttpMethod.Post, $"/api/pickup-points/{_a.KyivPointId}/coverage/accept", new { items = new[] { new { kind = "Product", dotsId = "x", externalId = "1" } } }),
            (HttpMethod.Get, $"/api/pickup-points/{_a.KyivPointId}/drift", null),
            (HttpMethod.Get, $"/api/companies/{_a.CompanyId}/dots-menu", null),
            (HttpMethod.Put, $"/api/companies/{_a.CompanyId}/dots-menu", new { products = new[] { new { id = "x", name = "Planted" } } }),
            (HttpMethod.Post, $"/api/companies/{_a.CompanyId}/dots-menu/from-orders", null),
        };
        foreach (var (method, url, body) in hidden)
        {
            var problem = await (await b.SendAsync(Request(method, url, body))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
            problem.GetRawText().ShouldNotContain("Test Pizza", customMessage: $"{method} {url}");
        }

        var admin = new (HttpMethod Method, string Url, object? Body)[]
        {
            (HttpMethod.Post, "/api/companies", new { cityId, dotsCompanyId = "new-co", key = "new-co", name = "New" }),
            (HttpMethod.Post, "/api/cities", new { dotsCityId = "new-city", name = "New" }),
            (HttpMethod.Put, $"/api/cities/{cityId}", new { dotsCityId = "renamed", name = "Renamed" }),
        };
        foreach (var (method, url, body) in admin)
        {
            await (await b.SendAsync(Request(method, url, body))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
            await (await Client(KeyA).SendAsync(Request(method, url, body))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        }

        (await SnapshotAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_key_of_company_A_works_on_company_A()
    {
        var (orderId, unroutedId) = await ArrangeAsync();
        var a = Client(KeyA);

        var orders = await (await a.GetAsync("/api/orders")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        orders.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ShouldBe([orderId]);
        (await a.GetAsync($"/api/orders/{orderId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await a.GetAsync($"/api/orders/{orderId}/payload")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await a.PostAsync($"/api/orders/{orderId}/export", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await (await a.PostAsJsonAsync("/api/orders/redrive-failed", new { pickupPointId = _a.KyivPointId }))
            .ShouldBeAsync<JsonElement>(HttpStatusCode.OK)).GetProperty("requeued").GetInt32().ShouldBe(0);
        (await (await a.GetAsync("/api/unrouted")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK))
            .EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ShouldBe([unroutedId]);
        (await (await a.GetAsync("/api/companies")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK))
            .EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ShouldBe([_a.CompanyId]);
        (await a.GetAsync($"/api/companies/{_a.CompanyId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await a.GetAsync($"/api/companies/{_a.CompanyId}/pickup-points")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await a.PutAsJsonAsync($"/api/pickup-points/{_a.KyivPointId}", new { name = "Хрещатик 2" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await a.GetAsync($"/api/pickup-points/{_a.KyivPointId}/pos-integration")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await a.GetAsync($"/api/companies/{_a.CompanyId}/external-ids")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await a.GetAsync($"/api/pickup-points/{_a.KyivPointId}/external-ids/effective")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await a.PutAsJsonAsync($"/api/pickup-points/{_a.KyivPointId}/external-ids",
            new { items = new[] { new { kind = "Product", dotsId = "dots-prod-cola", externalId = "999" } } })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await a.PostAsync($"/api/companies/{_a.CompanyId}/signing-secret/rotate", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The admin key (no company list) still sees both companies.
        (await (await Factory.CreateApiClient().GetAsync("/api/companies")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK)).GetArrayLength().ShouldBe(2);
        var history = await Factory.WithDbAsync(db => db.OrderActions.Where(x => x.OrderId == orderId).Select(x => x.Actor).ToListAsync());
        history.ShouldContain("user:company-a");
    }

    private async Task<(Guid OrderId, Guid UnroutedId)> ArrangeAsync()
    {
        await _a.CreateAsync(Factory);
        await _b.CreateAsync(Factory);
        var sender = _a.Sender(Factory);
        (await sender.SendFixtureAsync(Fixtures.AcceptedPickupCash)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var unrouted = Fixtures.Json(Fixtures.AcceptedDelivery);
        unrouted["eventId"] = "evt-unrouted-1";
        unrouted["order"]!["companyAddressId"] = "not-configured-yet";
        unrouted["order"]!["id"] = Guid.NewGuid().ToString();
        (await sender.SendAsync(unrouted)).StatusCode.ShouldBe(HttpStatusCode.Accepted); // stored; processed as unrouted
        var orderId = await Factory.WithDbAsync(db => db.Orders.Select(o => o.Id).SingleAsync());
        var unroutedId = await Factory.WithDbAsync(db => db.InboundEvents.Where(e => e.WebhookId == "evt-unrouted-1").Select(e => e.Id).SingleAsync());
        return (orderId, unroutedId);
    }

    /// <summary>Everything a hostile key could have changed, as one comparable string.</summary>
    private Task<string> SnapshotAsync() => Factory.WithDbAsync(async db => JsonSerializer.Serialize(new
    {
        companies = await db.Companies.OrderBy(c => c.Key).Select(c => new { c.Key, c.Name, c.DotsCompanyId, c.SigningSecretProtected, c.CityId }).ToListAsync(),
        cities = await db.Cities.OrderBy(c => c.DotsCityId).Select(c => new { c.DotsCityId, c.Name }).ToListAsync(),
        points = await db.PickupPoints.OrderBy(p => p.Id).Select(p => new { p.Id, p.Name, p.DotsAddressId }).ToListAsync(),
        integrations = await db.PosIntegrations.OrderBy(i => i.Id).Select(i => new { i.Id, i.WebhookUrl, i.Enabled }).ToListAsync(),
        ids = await db.ExternalIds.CountAsync(),
        orders = await db.Orders.Select(o => new { o.Id, o.ExportState }).ToListAsync(),
        actions = await db.OrderActions.CountAsync(),
        queue = await db.ExportQueue.CountAsync(),
        inbound = await db.InboundEvents.CountAsync(),
        catalog = await db.PosCatalogItems.CountAsync(),
        dotsMenu = await db.DotsMenuItems.CountAsync(),
        checks = await db.PosIntegrations.CountAsync(i => i.LastCheckAt != null),
    }));

    private HttpClient Client(string key)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        return client;
    }

    private static HttpRequestMessage Request(HttpMethod method, string url, object? body) =>
        new(method, url)
        {
            Content = body switch
            {
                null => null,
                string csv => new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"),
                _ => JsonContent.Create(body),
            },
        };
}
