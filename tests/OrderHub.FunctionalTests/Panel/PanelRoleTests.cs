using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Panel;

public sealed class SqlitePanelRoleTests() : PanelRoleTests(new SqliteTestDatabase());

public sealed class PostgresPanelRoleTests() : PanelRoleTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerPanelRoleTests() : PanelRoleTests(new SqlServerTestDatabase());

/// <summary>
/// The panel's screens enforce the API's roles and company scope: support staff get no credential fields and a
/// forged credentials form is refused with nothing stored; another company's pages answer 404.
/// </summary>
public abstract class PanelRoleTests(ITestDatabase database) : ProviderTestBase(database)
{
    private readonly TestTenant _a = new();
    private readonly TestTenant _b = new TestTenant().WithDotsCompanyId("other-dots-company");

    [Fact]
    public async Task A_support_user_sees_no_credential_fields_and_a_posted_credentials_form_is_refused()
    {
        await _a.CreateAsync(Factory);
        await TestUsers.CreateAsync(Factory, "sofia", "support", _a.CompanyId);
        await TestUsers.CreateAsync(Factory, "mykola", "manager", _a.CompanyId);
        await _b.CreateAsync(Factory);
        await TestUsers.CreateAsync(Factory, "bohdan", "manager", _b.CompanyId);
        var before = await StoredSecretAsync(_a.KyivPointId);
        var auditBefore = await CountAsync(db => db.AuditEntries.Where(e => e.EntityType == "PosIntegration"));
        var panel = new PanelClient(Factory);
        (await panel.SignInAsync("sofia", TestUsers.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var url = $"/panel/points/{_a.KyivPointId}";
        var html = await panel.GetPageAsync(url);
        html.ShouldContain("data-testid=\"has-secret\"");
        html.ShouldNotContain("name=\"token\"");
        html.ShouldNotContain("name=\"secret\"");
        html.ShouldNotContain("data-testid=\"pos-form\"");
        // Instead of a form support cannot use: read-only, and who can fix it (this company's manager, not another's).
        html.ShouldContain("data-testid=\"pos-readonly\"");
        var who = html[html.IndexOf("data-testid=\"who-can-fix\"", StringComparison.Ordinal)..];
        who[..who.IndexOf("</ul>", StringComparison.Ordinal)].ShouldSatisfyAllConditions(
            w => w.ShouldContain("Test mykola <span class=\"muted\">(менеджер)</span>"),
            w => w.ShouldNotContain("bohdan"));

        var refused = await panel.PostFormAsync(url, url + "?handler=Pos", new Dictionary<string, string>
        {
            ["kind"] = "Webhook", ["webhookUrl"] = "http://127.0.0.1:9/evil", ["secret"] = "whsec_" + Convert.ToBase64String(new byte[32]),
            ["enabled"] = "true", ["autoSyncOnAcceptance"] = "true",
        });
        refused.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        refused.Headers.Location!.OriginalString.ShouldContain("/panel/denied");
        (await StoredSecretAsync(_a.KyivPointId)).ShouldBe(before);
        var integration = await Factory.WithDbAsync(db => db.PosIntegrations.AsNoTracking().SingleAsync(i => i.PickupPointId == _a.KyivPointId));
        integration.WebhookUrl.ShouldBe("http://127.0.0.1:9/pos");
        (await CountAsync(db => db.AuditEntries.Where(e => e.EntityType == "PosIntegration"))).ShouldBe(auditBefore);

        // Support may fix mappings (issue 5's walk-through), through the same screen and API handler.
        var mappings = $"/panel/points/{_a.KyivPointId}/mappings";
        var saved = await panel.PostFormAsync(mappings, mappings + "?handler=Set", new Dictionary<string, string>
        {
            ["kind"] = "Product", ["dotsId"] = "dots-prod-new", ["externalId"] = "909", ["target"] = "point",
        });
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Factory.WithDbAsync(db => db.ExternalIds.AsNoTracking().SingleAsync(m => m.DotsId == "dots-prod-new"))).PickupPointId.ShouldBe(_a.KyivPointId);
    }

    [Fact]
    public async Task A_manager_pastes_the_secret_Dots_issued_which_is_validated_never_shown_and_support_has_no_form_for_it()
    {
        await _a.CreateAsync(Factory);
        await TestUsers.CreateAsync(Factory, "marta", "manager", _a.CompanyId);
        await TestUsers.CreateAsync(Factory, "sofia", "support", _a.CompanyId);
        var panel = new PanelClient(Factory);
        await panel.SignInAsync("marta", TestUsers.Password);
        var url = $"/panel/companies/{_a.CompanyId}";
        var stored = await Factory.WithDbAsync(db => db.Companies.AsNoTracking().Where(c => c.Id == _a.CompanyId).Select(c => c.SigningSecretProtected).SingleAsync());

        var refused = await panel.PostFormAsync(url, url + "?handler=SigningSecret", new Dictionary<string, string> { ["signingSecret"] = "whsec_short" });
        refused.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        refused.Headers.Location!.OriginalString.ShouldNotContain("handler=");
        (await panel.GetPageAsync(refused.Headers.Location.OriginalString)).ShouldContain("SigningSecret: Має бути whsec_"); // in the panel's language
        (await Factory.WithDbAsync(db => db.Companies.AsNoTracking().Where(c => c.Id == _a.CompanyId).Select(c => c.SigningSecretProtected).SingleAsync())).ShouldBe(stored);

        var issued = Integrations.Webhooks.StandardWebhookSignature.GenerateSecret();
        var saved = await panel.PostFormAsync(url, url + "?handler=SigningSecret", new Dictionary<string, string> { ["signingSecret"] = issued });
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await panel.GetPageAsync(saved.Headers.Location!.OriginalString);
        page.ShouldContain("Секрет підпису збережено.");
        page.ShouldNotContain(issued);
        (await _a.Sender(Factory).SendRawAsync(Fixtures.Read(Fixtures.AcceptedDelivery), "wh-issued-in-panel", signingSecret: issued)).StatusCode
            .ShouldBe(HttpStatusCode.Accepted);

        var support = new PanelClient(Factory);
        await support.SignInAsync("sofia", TestUsers.Password);
        (await support.GetPageAsync(url)).ShouldNotContain("data-testid=\"signing-secret-form\"");
        var denied = await support.PostFormAsync(url, url + "?handler=SigningSecret", new Dictionary<string, string> { ["signingSecret"] = Integrations.Webhooks.StandardWebhookSignature.GenerateSecret() });
        denied.Headers.Location!.OriginalString.ShouldContain("/panel/denied");
    }

    [Fact]
    public async Task A_manager_of_company_A_gets_404_for_company_B_pages_and_never_sees_its_orders()
    {
        await _a.CreateAsync(Factory);
        await _b.CreateAsync(Factory);
        var sample = Fixtures.Json(Fixtures.AcceptedPickupCash);
        sample["order"]!["companyId"] = "other-dots-company";
        var sent = await _b.Sender(Factory).SendAsync(sample);
        var bOrderId = (await sent.ShouldBeProcessedAsync(HttpStatusCode.Accepted)).OrderId!.Value;
        await TestUsers.CreateAsync(Factory, "andrii", "manager", _a.CompanyId);
        var panel = new PanelClient(Factory);
        (await panel.SignInAsync("andrii", TestUsers.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await panel.GetPageAsync($"/panel/companies/{_a.CompanyId}")).ShouldContain("data-testid=\"new-point\"");
        foreach (var url in new[]
                 {
                     $"/panel/companies/{_b.CompanyId}", $"/panel/points/{_b.KyivPointId}", $"/panel/points/{_b.LvivPointId}/coverage",
                     $"/panel/points/{_b.KyivPointId}/mappings", $"/panel/orders/{bOrderId}",
                 })
        {
            (await panel.Http.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound, url);
        }

        var companies = await panel.GetPageAsync("/panel/companies");
        companies.ShouldContain(_a.CompanyId.ToString());
        companies.ShouldNotContain(_b.CompanyId.ToString());
        var orders = await panel.GetPageAsync($"/panel/orders?point={_b.LvivPointId}");
        orders.ShouldNotContain(bOrderId.ToString());

        // A forged form for B's point changes nothing: the handler answers 404 as the API does.
        var b = $"/panel/points/{_b.KyivPointId}";
        var token = PanelClient.Token(await panel.GetPageAsync($"/panel/points/{_a.KyivPointId}"));
        var forged = await panel.Http.PostAsync(b + "?handler=Point", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["name"] = "Hijacked", ["useCompanyExternalIds"] = "true",
        }));
        forged.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Factory.WithDbAsync(db => db.PickupPoints.AsNoTracking().SingleAsync(p => p.Id == _b.KyivPointId))).Name.ShouldBe("Хрещатик");

        // And the users screen is an admin's.
        var users = await panel.Http.GetAsync("/panel/users");
        users.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        users.Headers.Location!.OriginalString.ShouldContain("/panel/denied");
    }

    private Task<string?> StoredSecretAsync(Guid pointId) =>
        Factory.WithDbAsync(db => db.PosIntegrations.AsNoTracking().Where(i => i.PickupPointId == pointId).Select(i => i.SecretProtected).SingleAsync());
}
