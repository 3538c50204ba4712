using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Orders;
using OrderHub.Domain.Orders;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.FunctionalTests.Tenancy;

/// <summary>
/// A company's default POS integration: points on the company's Poster account give only their spot ids, a point
/// with its own webhook POS overrides it, the point's GET says which field is inherited, secrets never leave.
/// </summary>
public abstract class PosIntegrationDefaultsTests(ITestDatabase database) : ProviderTestBase(database)
{
    private const string PosterTarget = "poster/" + PosSimulatorServer.PosterAccount;

    protected PosSimulatorServer Pos { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Dispatcher:Enabled"] = "true",
        ["Dispatcher:PollInterval"] = "00:00:00.200",
        ["Poster:BaseUrlTemplate"] = Pos.PosterBaseUrlTemplate,
        ["Pos:Resilience:AttemptTimeout"] = "00:00:10",
    };

    public override async Task InitializeAsync()
    {
        await Pos.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Pos.DisposeAsync();
    }

    [Fact]
    public async Task Points_on_the_company_Poster_account_give_only_their_spot_and_a_point_with_its_own_webhook_overrides_it()
    {
        var tenant = await new TestTenant().WithoutIntegration().CreateAsync(Factory);
        var api = Factory.CreateApiClient();

        // A point cannot lean on a company default that does not exist yet.
        var early = await api.PutAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-integration",
            new { kind = "Poster", useCompanyDefaults = true, posterSpotId = 1 });
        early.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await early.Content.ReadAsStringAsync()).ShouldContain("useCompanyDefaults");

        var saved = await (await api.PutAsJsonAsync($"/api/companies/{tenant.CompanyId}/pos-integration", new
        {
            kind = "Poster", posterAccount = PosSimulatorServer.PosterAccount, token = PosSimulatorServer.PosterToken,
        })).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        saved.GetProperty("hasSecret").GetBoolean().ShouldBeTrue();
        saved.ToString().ShouldNotContain(PosSimulatorServer.PosterToken);

        foreach (var (point, spot) in new[] { (tenant.KyivPointId, 1L), (tenant.LvivPointId, 2L) })
        {
            var put = await api.PutAsJsonAsync($"/api/pickup-points/{point}/pos-integration", new
            {
                kind = "Poster", inheritCompanyCredentials = true, posterSpotId = spot,
                autoSyncOnAcceptance = true, autoSyncOverrideReason = "functional test",
            });
            (await put.Content.ReadAsStringAsync()).ShouldNotContain(PosSimulatorServer.PosterToken);
            put.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var kyiv = await GetRawAsync(api, $"/api/pickup-points/{tenant.KyivPointId}/pos-integration");
        kyiv.ShouldNotContain(PosSimulatorServer.PosterToken);
        var effective = JsonSerializer.Deserialize<JsonElement>(kyiv);
        effective.GetProperty("posterAccount").GetString().ShouldBe(PosSimulatorServer.PosterAccount);
        effective.GetProperty("posterSpotId").GetInt64().ShouldBe(1);
        effective.GetProperty("hasSecret").GetBoolean().ShouldBeTrue();
        effective.GetProperty("inheritCompanyCredentials").GetBoolean().ShouldBeTrue();
        effective.GetProperty("useCompanyDefaults").GetBoolean().ShouldBeTrue("the deprecated name still answers for one version");
        var sources = effective.GetProperty("sources");
        sources.GetProperty("posterAccount").GetString().ShouldBe("company");
        sources.GetProperty("secret").GetString().ShouldBe("company");
        sources.GetProperty("posterSpotId").GetString().ShouldBe("point");
        sources.GetProperty("kind").GetString().ShouldBe("point");

        // An order at each point reaches the Poster simulator (which checks the token) with that point's spot.
        var kyivOrder = await AcceptAsync(tenant, Order(Fixtures.KyivAddressId));
        var lvivOrder = await AcceptAsync(tenant, Order(Fixtures.LvivAddressId));
        await WaitForStateAsync(kyivOrder, ExportState.Exported);
        await WaitForStateAsync(lvivOrder, ExportState.Exported);
        Pos.Orders(PosterTarget).Select(o => o.Body!["spot_id"]!.GetValue<long>()).Order().ShouldBe([1L, 2L]);

        // Lviv gets its own webhook POS: it overrides the company default entirely.
        (await api.PutAsJsonAsync($"/api/pickup-points/{tenant.LvivPointId}/pos-integration", new
        {
            kind = "Webhook", webhookUrl = Pos.WebhookPosUrl, secret = Pos.WebhookSecret, autoSyncOnAcceptance = true,
            autoSyncOverrideReason = "no Dots menu in this test: coverage is unknown",
        })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var lviv = await GetRawAsync(api, $"/api/pickup-points/{tenant.LvivPointId}/pos-integration");
        lviv.ShouldNotContain(Pos.WebhookSecret);
        var own = JsonSerializer.Deserialize<JsonElement>(lviv);
        own.GetProperty("kind").GetString().ShouldBe("Webhook");
        own.GetProperty("sources").EnumerateObject().ShouldAllBe(p => p.Value.GetString() == "point");

        var webhookOrder = await AcceptAsync(tenant, Order(Fixtures.LvivAddressId));
        await WaitForStateAsync(webhookOrder, ExportState.Exported);
        Pos.Orders("pos/orders").Count.ShouldBe(1);
        Pos.Orders(PosterTarget).Count.ShouldBe(2);

        // The company default itself: readable without its token, and gone for points without their own.
        var company = await GetRawAsync(api, $"/api/companies/{tenant.CompanyId}/pos-integration");
        company.ShouldNotContain(PosSimulatorServer.PosterToken);
        company.ShouldContain("\"hasSecret\":true");
        var audit = await Factory.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "CompanyPosIntegration").ToListAsync());
        audit.ShouldNotBeEmpty();
        JsonSerializer.Serialize(audit).ShouldNotContain(PosSimulatorServer.PosterToken);
    }

    [Fact]
    public async Task A_point_without_an_integration_uses_the_company_default_and_a_support_key_cannot_change_it()
    {
        var tenant = await new TestTenant().WithoutIntegration().WithoutLvivPoint().CreateAsync(Factory);
        var api = Factory.CreateApiClient();
        (await api.GetAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-integration")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await api.PutAsJsonAsync($"/api/companies/{tenant.CompanyId}/pos-integration", new { kind = "Webhook", webhookUrl = "ftp://x" }))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await api.PutAsJsonAsync($"/api/companies/{tenant.CompanyId}/pos-integration", new
        {
            kind = "Webhook", webhookUrl = Pos.WebhookPosUrl, secret = Pos.WebhookSecret, enabled = false,
        })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var inherited = JsonSerializer.Deserialize<JsonElement>(await GetRawAsync(api, $"/api/pickup-points/{tenant.KyivPointId}/pos-integration"));
        inherited.GetProperty("hasOwnIntegration").GetBoolean().ShouldBeFalse();
        inherited.GetProperty("webhookUrl").GetString().ShouldBe(Pos.WebhookPosUrl);
        inherited.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        inherited.GetProperty("sources").EnumerateObject().ShouldAllBe(p => p.Value.GetString() == "company");

        var support = await TestUsers.CreateAsync(Factory, "posdefaults-support", "support", tenant.CompanyId);
        var supportClient = support.Client(Factory);
        (await supportClient.GetAsync($"/api/companies/{tenant.CompanyId}/pos-integration")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await supportClient.PutAsJsonAsync($"/api/companies/{tenant.CompanyId}/pos-integration", new
        {
            kind = "Webhook", webhookUrl = "http://127.0.0.1:9/evil", enabled = true,
        })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await supportClient.DeleteAsync($"/api/companies/{tenant.CompanyId}/pos-integration")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Still the manager's disabled default: an accepted order waits instead of going out.
        var order = await AcceptAsync(tenant, Order(Fixtures.KyivAddressId));
        var state = await Factory.WithDbAsync(db => db.Orders.AsNoTracking().Where(o => o.Id == order).Select(o => o.ExportState).SingleAsync());
        state.ShouldBe(ExportState.AwaitingExport);

        (await api.DeleteAsync($"/api/companies/{tenant.CompanyId}/pos-integration")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await api.GetAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-integration")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_company_default_auto_sync_is_gated_on_coverage_and_its_webhook_POS_reports_status_with_the_company_secret()
    {
        var tenant = await new TestTenant().WithoutIntegration().WithoutMapping("dots-prod-tiramisu").CreateAsync(Factory);
        var api = Factory.CreateApiClient();

        // Tiramisu (seen in an order, built into the Dots menu) is a known Dots item with no external id: coverage at both inheriting points is below 100 %.
        var unmapped = await AcceptAsync(tenant, Order(Fixtures.KyivAddressId));
        await WaitForStateAsync(unmapped, ExportState.NeedsMapping);
        (await api.PostAsync($"/api/companies/{tenant.CompanyId}/dots-menu/from-orders", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var webhookDefault = new
        {
            kind = "Webhook", webhookUrl = Pos.WebhookPosUrl, secret = Pos.WebhookSecret, autoSyncOnAcceptance = true,
        };
        var refused = await api.PutAsJsonAsync($"/api/companies/{tenant.CompanyId}/pos-integration", webhookDefault);
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.GetProperty("points").GetArrayLength().ShouldBe(2);
        (await api.GetAsync($"/api/companies/{tenant.CompanyId}/pos-integration")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var saved = await (await api.PutAsJsonAsync($"/api/companies/{tenant.CompanyId}/pos-integration",
            new { webhookDefault.kind, webhookDefault.webhookUrl, webhookDefault.secret, autoSyncOnAcceptance = true, autoSyncOverrideReason = "tiramisu is off the menu" }))
            .ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        saved.GetProperty("autoSyncOnAcceptance").GetBoolean().ShouldBeTrue();
        var overrides = await Factory.WithDbAsync(db => db.OrderActions.AsNoTracking()
            .Where(a => a.CompanyId == tenant.CompanyId && a.Action == "pos.auto_sync_override").Select(a => a.Message).ToListAsync());
        overrides.ShouldHaveSingleItem().ShouldContain("tiramisu is off the menu");

        // Lviv has no integration of its own: the fully mapped pickup order goes to the company's webhook POS at once.
        var body = Fixtures.Json(Fixtures.AcceptedPickupCash);
        var order = await AcceptAsync(tenant, body);
        await WaitForStateAsync(order, ExportState.Exported);
        var received = Pos.Orders("pos/orders").ShouldHaveSingleItem();

        var integrationId = saved.GetProperty("id").GetGuid();
        var forged = await SignedPostAsync($"/webhooks/pos/{integrationId}", new { orderId = order, status = "rejected" }, StandardWebhookSignature.GenerateSecret());
        forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var report = await SignedPostAsync($"/webhooks/pos/{integrationId}", new { orderId = order, status = "accepted", posOrderId = received.PosOrderId }, Pos.WebhookSecret);
        report.StatusCode.ShouldBe(HttpStatusCode.OK, await report.Content.ReadAsStringAsync());
        var status = await Factory.WithDbAsync(db => db.Orders.AsNoTracking().Where(o => o.Id == order).Select(o => o.PosStatus).SingleAsync());
        status.ShouldBe("accepted");
    }

    [Fact]
    public async Task A_manager_sets_the_company_default_in_the_panel_and_the_point_page_marks_inherited_and_own_values()
    {
        var tenant = await new TestTenant().WithoutIntegration().WithoutLvivPoint().CreateAsync(Factory);
        await TestUsers.CreateAsync(Factory, "posdefaults-manager", "manager", tenant.CompanyId);
        var panel = new PanelClient(Factory);
        await panel.SignInAsync("posdefaults-manager", TestUsers.Password);

        var companyPage = $"/panel/companies/{tenant.CompanyId}?tab=pos";
        (await panel.GetPageAsync(companyPage)).ShouldContain("data-testid=\"company-pos-status\"");
        var saved = await FollowAsync(panel, await panel.PostFormAsync(companyPage, companyPage + "&handler=Pos", new Dictionary<string, string>
        {
            ["kind"] = "Poster", ["posterAccount"] = PosSimulatorServer.PosterAccount, ["token"] = PosSimulatorServer.PosterToken,
            ["webhookUrl"] = "", ["secret"] = "", ["enabled"] = "true", ["autoSyncOnAcceptance"] = "false", ["autoSyncOverrideReason"] = "",
        }));
        saved.ShouldContain("data-testid=\"company-pos-kind\">Poster");
        saved.ShouldNotContain(PosSimulatorServer.PosterToken);

        var pointPage = $"/panel/points/{tenant.KyivPointId}";
        var point = await FollowAsync(panel, await panel.PostFormAsync(pointPage, pointPage + "?handler=Pos", new Dictionary<string, string>
        {
            ["kind"] = "Poster", ["posterAccount"] = "", ["posterSpotId"] = "1", ["token"] = "", ["webhookUrl"] = "", ["secret"] = "",
            ["inheritCompanyCredentials"] = "true", ["enabled"] = "true", ["autoSyncOnAcceptance"] = "false", ["autoSyncOverrideReason"] = "",
        }));
        point.ShouldContain("data-testid=\"source-posterAccount\" data-source=\"company\"");
        point.ShouldContain("data-testid=\"source-secret\" data-source=\"company\"");
        point.ShouldContain("data-testid=\"source-posterSpotId\" data-source=\"point\"");
        point.ShouldContain("успадковано від компанії");
        point.ShouldNotContain(PosSimulatorServer.PosterToken);

        var own = await Factory.WithDbAsync(db => db.PosIntegrations.AsNoTracking().SingleAsync(i => i.PickupPointId == tenant.KyivPointId));
        own.UseCompanyDefaults.ShouldBeTrue();
        own.PosterAccount.ShouldBeNull();
        own.SecretProtected.ShouldBeNull();
        own.PosterSpotId.ShouldBe(1);
    }

    private static async Task<string> FollowAsync(PanelClient panel, HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return await panel.GetPageAsync(response.Headers.Location!.OriginalString);
    }

    private async Task<HttpResponseMessage> SignedPostAsync(string path, object body, string secret)
    {
        var json = JsonSerializer.Serialize(body);
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var timestamp = Factory.Clock.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(StandardWebhookSignature.IdHeader, id);
        request.Headers.Add(StandardWebhookSignature.TimestampHeader, timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(StandardWebhookSignature.SignatureHeader, StandardWebhookSignature.Sign(secret, id, timestamp, System.Text.Encoding.UTF8.GetBytes(json)));
        return await Factory.CreateClient().SendAsync(request);
    }

    private static JsonObject Order(string addressId)
    {
        var body = Fixtures.Json(Fixtures.AcceptedDelivery);
        body["eventId"] = "evt_" + Guid.NewGuid().ToString("N");
        var order = body["order"]!.AsObject();
        order["id"] = Guid.NewGuid().ToString();
        order["number"] = "DT-" + Random.Shared.Next(100000, 999999);
        order["companyAddressId"] = addressId;
        return body;
    }

    private static async Task<string> GetRawAsync(HttpClient api, string url)
    {
        var response = await api.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return text;
    }

    private async Task<Guid> AcceptAsync(TestTenant tenant, JsonObject body)
    {
        var receipt = await (await tenant.Sender(Factory).SendAsync(body)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        return receipt.OrderId!.Value;
    }

    private async Task WaitForStateAsync(Guid order, ExportState state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await Factory.WithDbAsync(db => db.Orders.AnyAsync(o => o.Id == order && o.ExportState == state)))
        {
            if (DateTime.UtcNow > deadline)
            {
                var actual = await Factory.WithDbAsync(db => db.Orders.AsNoTracking().Where(o => o.Id == order).Select(o => o.ExportState).SingleAsync());
                throw new TimeoutException($"Order {order} is {actual}, not {state}.");
            }

            await Task.Delay(50);
        }
    }
}

public sealed class SqlitePosIntegrationDefaultsTests() : PosIntegrationDefaultsTests(new SqliteTestDatabase());

public sealed class PostgresPosIntegrationDefaultsTests() : PosIntegrationDefaultsTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerPosIntegrationDefaultsTests() : PosIntegrationDefaultsTests(new SqlServerTestDatabase());
