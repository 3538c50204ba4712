using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Security;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Users;

public sealed class SqliteRoleMatrixTests() : RoleMatrixTests(new SqliteTestDatabase());

public sealed class PostgresRoleMatrixTests() : RoleMatrixTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerRoleMatrixTests() : RoleMatrixTests(new SqlServerTestDatabase());

/// <summary>
/// The roles over the API, with database users and their own API keys: support reads, exports, re-drives and
/// fixes mappings but changes no settings or credentials (403); a manager changes their company and sees nothing
/// of another (404); only an admin manages users.
/// </summary>
public abstract class RoleMatrixTests(ITestDatabase database) : ProviderTestBase(database)
{
    private const string SupportConfigKey = "configured-support-key-0123456789";

    private readonly TestTenant _a = new TestTenant().WithAutoSync(false);
    private readonly TestTenant _b = new TestTenant().WithDotsCompanyId("dots-company-b").WithAutoSync(false);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:ApiKeys:1:Name"] = "support-of-a",
        ["Auth:ApiKeys:1:Key"] = SupportConfigKey,
        ["Auth:ApiKeys:1:Companies:0"] = _a.Key,
        ["Auth:ApiKeys:1:Role"] = "support",
    };

    [Fact]
    public async Task Support_reads_exports_redrives_and_fixes_mappings_but_cannot_change_settings_or_credentials()
    {
        var (orderId, unroutedId) = await ArrangeAsync();
        var support = await TestUsers.CreateAsync(Factory, "sofia", "support", _a.CompanyId);
        var cityId = await CityOfAsync(_a.CompanyId);

        foreach (var client in new[] { support.Client(Factory), ConfigClient(SupportConfigKey) })
        {
            var before = await SnapshotAsync();
            var forbidden = new (HttpMethod Method, string Url, object? Body)[]
            {
                (HttpMethod.Put, $"/api/companies/{_a.CompanyId}", new { cityId, dotsCompanyId = "changed", name = "Changed" }),
                (HttpMethod.Post, $"/api/companies/{_a.CompanyId}/signing-secret/rotate", null),
                (HttpMethod.Post, $"/api/companies/{_a.CompanyId}/pickup-points", new { dotsAddressId = "new-point", name = "New" }),
                (HttpMethod.Put, $"/api/pickup-points/{_a.KyivPointId}", new { name = "Renamed" }),
                (HttpMethod.Put, $"/api/pickup-points/{_a.KyivPointId}/pos-integration",
                    new { kind = "Poster", posterAccount = "stolen", posterSpotId = 1, token = "support-must-not-set-this-token" }),
                (HttpMethod.Delete, $"/api/pickup-points/{_a.KyivPointId}/pos-integration", null),
                (HttpMethod.Post, "/api/companies", new { cityId, dotsCompanyId = "new-co", key = "new-co", name = "New" }),
                (HttpMethod.Post, "/api/cities", new { dotsCityId = "new-city", name = "New" }),
                (HttpMethod.Get, "/api/users", null),
                (HttpMethod.Post, "/api/users", new { loginName = "intruder", displayName = "I", role = "admin", password = "long-enough-password" }),
            };
            foreach (var (method, url, body) in forbidden)
            {
                var problem = await (await client.SendAsync(Request(method, url, body))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
                (problem.GetProperty("detail").GetString() ?? "").ShouldContain("support", customMessage: $"{method} {url}");
            }

            (await SnapshotAsync()).ShouldBe(before);

            var orders = await (await client.GetAsync("/api/orders")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
            orders.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ShouldBe([orderId]);
            (await client.GetAsync($"/api/orders/{orderId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await client.GetAsync($"/api/companies/{_a.CompanyId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            var integration = await (await client.GetAsync($"/api/pickup-points/{_a.KyivPointId}/pos-integration")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
            integration.GetProperty("hasSecret").GetBoolean().ShouldBeTrue();
            (await client.GetAsync($"/api/pickup-points/{_a.KyivPointId}/external-ids/effective")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await client.GetAsync("/api/audit")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await (await client.PostAsJsonAsync("/api/orders/redrive-failed", new { pickupPointId = _a.KyivPointId }))
                .ShouldBeAsync<JsonElement>(HttpStatusCode.OK)).GetProperty("requeued").GetInt32().ShouldBe(0);
            await (await client.PostAsync($"/api/unrouted/{unroutedId}/replay", null)).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);

            // Nothing of company B, as if it did not exist.
            await (await client.GetAsync($"/api/companies/{_b.CompanyId}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
            await (await client.PutAsJsonAsync($"/api/pickup-points/{_b.KyivPointId}/external-ids",
                new { items = new[] { new { kind = "Product", dotsId = "x", externalId = "1" } } })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        // Support fixes a mapping (the support walk-through of issue 5) and exports the order.
        (await support.Client(Factory).PutAsJsonAsync($"/api/pickup-points/{_a.KyivPointId}/external-ids",
            new { items = new[] { new { kind = "Product", dotsId = "dots-prod-cola", externalId = "777" } } })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await support.Client(Factory).PostAsync($"/api/orders/{orderId}/export", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var state = await Factory.WithDbAsync(db => db.Orders.Where(o => o.Id == orderId).Select(o => o.ExportState.ToString()).SingleAsync());
        state.ShouldBe("Queued");
        var actors = await Factory.WithDbAsync(db => db.OrderActions.Where(x => x.OrderId == orderId).Select(x => x.Actor).ToListAsync());
        actors.ShouldContain("user:sofia");
    }

    [Fact]
    public async Task A_manager_changes_their_company_and_gets_404_for_everything_of_another()
    {
        var (orderA, _) = await ArrangeAsync();
        var manager = await TestUsers.CreateAsync(Factory, "maria", "manager", _b.CompanyId);
        var client = manager.Client(Factory);
        var cityId = await CityOfAsync(_b.CompanyId);
        var cityA = await CityOfAsync(_a.CompanyId);

        (await client.PutAsJsonAsync($"/api/companies/{_b.CompanyId}", new { cityId, dotsCompanyId = "dots-company-b", name = "Maria's Pizza" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.PostAsync($"/api/companies/{_b.CompanyId}/signing-secret/rotate", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.PostAsJsonAsync($"/api/companies/{_b.CompanyId}/pickup-points", new { dotsAddressId = "new-point", name = "New" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await client.PutAsJsonAsync($"/api/pickup-points/{_b.KyivPointId}/pos-integration",
            new { kind = "Poster", posterAccount = "maria", posterSpotId = 1, token = "manager-sets-this-token" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Factory.WithDbAsync(db => db.Companies.Where(c => c.Id == _b.CompanyId).Select(c => c.Name).SingleAsync())).ShouldBe("Maria's Pizza");

        var before = await SnapshotAsync();
        var hidden = new (HttpMethod Method, string Url, object? Body)[]
        {
            (HttpMethod.Get, $"/api/orders/{orderA}", null),
            (HttpMethod.Post, $"/api/orders/{orderA}/export", null),
            (HttpMethod.Post, "/api/orders/redrive-failed", new { pickupPointId = _a.KyivPointId }),
            (HttpMethod.Get, $"/api/companies/{_a.CompanyId}", null),
            (HttpMethod.Put, $"/api/companies/{_a.CompanyId}", new { cityId = cityA, dotsCompanyId = "hijacked", name = "Hijacked" }),
            (HttpMethod.Post, $"/api/companies/{_a.CompanyId}/signing-secret/rotate", null),
            (HttpMethod.Post, $"/api/companies/{_a.CompanyId}/pickup-points", new { dotsAddressId = "planted", name = "Planted" }),
            (HttpMethod.Put, $"/api/pickup-points/{_a.KyivPointId}", new { name = "Hijacked" }),
            (HttpMethod.Get, $"/api/pickup-points/{_a.KyivPointId}/pos-integration", null),
            (HttpMethod.Put, $"/api/pickup-points/{_a.KyivPointId}/pos-integration", new { kind = "Webhook", webhookUrl = "https://evil.example.com/" }),
            (HttpMethod.Delete, $"/api/pickup-points/{_a.KyivPointId}/pos-integration", null),
            (HttpMethod.Put, $"/api/companies/{_a.CompanyId}/external-ids", new { items = new[] { new { kind = "Product", dotsId = "x", externalId = "1" } } }),
            (HttpMethod.Get, $"/api/pickup-points/{_a.KyivPointId}/external-ids/effective", null),
        };
        foreach (var (method, url, body) in hidden)
        {
            var problem = await (await client.SendAsync(Request(method, url, body))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
            problem.GetRawText().ShouldNotContain("Test Pizza", customMessage: $"{method} {url}");
        }

        (await (await client.GetAsync("/api/orders")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK)).GetProperty("totalCount").GetInt32().ShouldBe(0);
        (await (await client.GetAsync("/api/companies")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK))
            .EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ShouldBe([_b.CompanyId]);
        foreach (var (method, url, body) in new (HttpMethod, string, object?)[]
                 {
                     (HttpMethod.Post, "/api/companies", new { cityId, dotsCompanyId = "new-co", key = "new-co", name = "New" }),
                     (HttpMethod.Post, "/api/cities", new { dotsCityId = "new-city", name = "New" }),
                     (HttpMethod.Post, "/api/users", new { loginName = "intruder", displayName = "I", role = "admin", password = "long-enough-password" }),
                 })
        {
            await (await client.SendAsync(Request(method, url, body))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        }

        (await SnapshotAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Only_an_admin_manages_users_a_manager_lists_those_of_their_companies_and_changes_apply_at_once()
    {
        await ArrangeAsync();
        var managerA = await TestUsers.CreateAsync(Factory, "maria", "manager", _a.CompanyId);
        var supportA = await TestUsers.CreateAsync(Factory, "sofia", "support", _a.CompanyId);
        var managerB = await TestUsers.CreateAsync(Factory, "bohdan", "manager", _b.CompanyId);
        var admin = Factory.CreateApiClient();

        var listed = await (await managerA.Client(Factory).GetAsync("/api/users")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        listed.EnumerateArray().Select(u => u.GetProperty("loginName").GetString()).ShouldBe(["maria", "sofia"]);
        listed.GetRawText().ShouldNotContain("passwordHash", Case.Insensitive);
        await (await managerA.Client(Factory).GetAsync($"/api/users/{managerB.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await managerA.Client(Factory).PutAsJsonAsync($"/api/users/{supportA.Id}", new { role = "admin" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await managerA.Client(Factory).PostAsync($"/api/users/{supportA.Id}/unlock", null)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await supportA.Client(Factory).GetAsync($"/api/users/{supportA.Id}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        // Promoted to manager: the same key may change settings on its next request.
        await (await supportA.Client(Factory).PutAsJsonAsync($"/api/pickup-points/{_a.KyivPointId}", new { name = "Renamed" }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var promoted = await (await admin.PutAsJsonAsync($"/api/users/{supportA.Id}", new { role = "manager" })).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        promoted.GetProperty("role").GetString().ShouldBe("manager");
        promoted.GetProperty("companyIds").EnumerateArray().Select(c => c.GetGuid()).ShouldBe([_a.CompanyId]);
        (await supportA.Client(Factory).PutAsJsonAsync($"/api/pickup-points/{_a.KyivPointId}", new { name = "Renamed" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Moved to company B: A is gone for them at once.
        (await admin.PutAsJsonAsync($"/api/users/{supportA.Id}", new { companyIds = new[] { _b.CompanyId } })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await supportA.Client(Factory).GetAsync($"/api/companies/{_a.CompanyId}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await supportA.Client(Factory).GetAsync($"/api/companies/{_b.CompanyId}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Disabled: their keys stop working.
        (await admin.PutAsJsonAsync($"/api/users/{supportA.Id}", new { enabled = false })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await supportA.Client(Factory).GetAsync("/api/orders")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        // The only enabled admin user cannot be demoted or disabled.
        var root = await TestUsers.CreateAsync(Factory, "root", "admin");
        await (await root.Client(Factory).PutAsJsonAsync($"/api/users/{root.Id}", new { role = "manager" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PutAsJsonAsync($"/api/users/{root.Id}", new { enabled = false })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await (await root.Client(Factory).GetAsync("/api/users")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK)).GetArrayLength().ShouldBe(4);
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

    private Task<Guid> CityOfAsync(Guid companyId) =>
        Factory.WithDbAsync(db => db.Companies.Where(c => c.Id == companyId).Select(c => c.CityId).SingleAsync());

    /// <summary>Every setting a refused caller could have changed, as one comparable string.</summary>
    private Task<string> SnapshotAsync() => Factory.WithDbAsync(async db => JsonSerializer.Serialize(new
    {
        companies = await db.Companies.OrderBy(c => c.Key).Select(c => new { c.Key, c.Name, c.DotsCompanyId, c.SigningSecretProtected }).ToListAsync(),
        cities = await db.Cities.CountAsync(),
        points = await db.PickupPoints.OrderBy(p => p.Id).Select(p => new { p.Id, p.Name }).ToListAsync(),
        integrations = await db.PosIntegrations.OrderBy(i => i.Id).Select(i => new { i.Id, i.Kind, i.WebhookUrl, i.PosterAccount, i.SecretProtected }).ToListAsync(),
        ids = await db.ExternalIds.OrderBy(i => i.Id).Select(i => new { i.Id, i.ExternalId }).ToListAsync(),
        users = await db.Users.CountAsync(),
        orders = await db.Orders.Select(o => new { o.Id, o.ExportState }).ToListAsync(),
    }));

    private HttpClient ConfigClient(string key)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        return client;
    }

    private static HttpRequestMessage Request(HttpMethod method, string url, object? body) =>
        new(method, url) { Content = body is null ? null : JsonContent.Create(body) };
}
