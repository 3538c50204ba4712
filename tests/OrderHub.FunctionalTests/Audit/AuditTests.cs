using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Audit;

public sealed class SqliteAuditTests() : AuditTests(new SqliteTestDatabase());

public sealed class PostgresAuditTests() : AuditTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerAuditTests() : AuditTests(new SqlServerTestDatabase());

/// <summary>
/// Every settings and mapping change made through the API leaves an audit entry in the same commit: who,
/// when, what, before and after, secrets masked; <c>GET /api/audit</c> filters, pages and is scoped by company.
/// </summary>
public abstract class AuditTests(ITestDatabase database) : ProviderTestBase(database)
{
    private const string PosterToken = "861052:poster-token-that-must-never-be-audited";
    private readonly TestTenant _a = new();
    private readonly TestTenant _b = new TestTenant().WithDotsCompanyId("dots-company-b");

    [Fact]
    public async Task Settings_and_mapping_changes_are_audited_with_before_and_after_and_secrets_masked()
    {
        await _a.CreateAsync(Factory);
        await _b.CreateAsync(Factory);
        var admin = Factory.CreateApiClient();
        var cityId = await Factory.WithDbAsync(db => db.Companies.Where(c => c.Id == _a.CompanyId).Select(c => c.CityId).SingleAsync());
        const string actor = "user:tests";

        (await admin.PutAsJsonAsync($"/api/companies/{_a.CompanyId}", new { cityId, dotsCompanyId = Fixtures.DotsCompanyId, name = "Renamed Pizza" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var rotated = await (await admin.PostAsync($"/api/companies/{_a.CompanyId}/signing-secret/rotate", null)).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        var newSigningSecret = rotated.GetProperty("signingSecret").GetString()!;
        (await admin.PutAsJsonAsync($"/api/pickup-points/{_a.KyivPointId}/pos-integration",
            new { kind = "Poster", posterAccount = "pizza", posterSpotId = 1, token = PosterToken, autoSyncOnAcceptance = true })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PutAsJsonAsync($"/api/pickup-points/{_a.KyivPointId}/pos-integration",
            new { kind = "Poster", posterAccount = "pizza", posterSpotId = 2, autoSyncOnAcceptance = false })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var countBefore = await Factory.WithDbAsync(db => db.AuditEntries.CountAsync());
        await (await admin.PutAsJsonAsync($"/api/pickup-points/{_a.KyivPointId}/pos-integration", new { kind = "Poster", posterSpotId = -1 }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await Factory.WithDbAsync(db => db.AuditEntries.CountAsync())).ShouldBe(countBefore);
        (await admin.PutAsJsonAsync($"/api/companies/{_a.CompanyId}/external-ids", new
        {
            items = new[]
            {
                new { kind = "Product", dotsId = "dots-new-1", externalId = "9001" },
                new { kind = "Product", dotsId = "dots-new-2", externalId = "9002" },
                new { kind = "Product", dotsId = "dots-prod-cola", externalId = "2222" },
            },
        })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/companies/{_a.CompanyId}/external-ids")
        {
            Content = JsonContent.Create(new { items = new[] { new { kind = "Product", dotsId = "dots-new-1" } } }),
        })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var entries = await AuditAsync(admin, $"companyId={_a.CompanyId}&actor={actor}");
        entries.Select(e => (e.GetProperty("entityType").GetString(), e.GetProperty("action").GetString())).Reverse().ShouldBe(
        [
            ("Company", "updated"), ("Company", "updated"), ("PosIntegration", "updated"), ("PosIntegration", "updated"),
            ("ExternalIds", "changed"), ("ExternalIds", "deleted"),
        ]);
        entries.ShouldAllBe(e => e.GetProperty("companyId").GetGuid() == _a.CompanyId);

        var renamed = entries[^1];
        renamed.GetProperty("entityId").GetString().ShouldBe(_a.CompanyId.ToString());
        renamed.GetProperty("before").GetProperty("name").GetString().ShouldBe("Test Pizza");
        renamed.GetProperty("after").GetProperty("name").GetString().ShouldBe("Renamed Pizza");
        renamed.GetProperty("after").GetProperty("signingSecret").GetString().ShouldBe("***");

        var rotation = entries[^2];
        rotation.GetProperty("before").GetProperty("signingSecret").GetString().ShouldBe("***");
        rotation.GetProperty("after").GetProperty("signingSecret").GetString().ShouldBe("secret changed");

        var credentials = entries[^3];
        credentials.GetProperty("entityId").GetString().ShouldBe(_a.KyivPointId.ToString());
        credentials.GetProperty("before").GetProperty("kind").GetString().ShouldBe("Webhook");
        credentials.GetProperty("after").GetProperty("kind").GetString().ShouldBe("Poster");
        credentials.GetProperty("after").GetProperty("secret").GetString().ShouldBe("secret changed");
        credentials.GetProperty("after").GetProperty("autoSyncOnAcceptance").GetBoolean().ShouldBeTrue();
        var kept = entries[^4];
        kept.GetProperty("before").GetProperty("posterSpotId").GetInt64().ShouldBe(1);
        kept.GetProperty("after").GetProperty("posterSpotId").GetInt64().ShouldBe(2);
        kept.GetProperty("after").GetProperty("secret").GetString().ShouldBe("***");

        var bulk = entries[^5];
        bulk.GetProperty("entityId").GetString().ShouldBe(_a.CompanyId.ToString());
        bulk.GetProperty("before").EnumerateArray().Select(i => i.GetProperty("externalId").GetString()).ShouldBe(["201"]);
        bulk.GetProperty("after").EnumerateArray().Select(i => i.GetProperty("externalId").GetString()).Order().ShouldBe(["2222", "9001", "9002"]);
        var deleted = entries[^6];
        deleted.GetProperty("before").EnumerateArray().Single().GetProperty("dotsId").GetString().ShouldBe("dots-new-1");
        deleted.GetProperty("after").GetArrayLength().ShouldBe(0);

        // Filters and paging.
        (await AuditAsync(admin, $"entityType=PosIntegration&actor={actor}")).Length.ShouldBe(2);
        var page = await (await admin.GetAsync($"/api/audit?companyId={_a.CompanyId}&actor={actor}&pageSize=2&page=2")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        page.GetProperty("totalCount").GetInt32().ShouldBe(6);
        page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ShouldBe(entries.Skip(2).Take(2).Select(e => e.GetProperty("id").GetGuid()));
        (await AuditAsync(admin, $"companyId={_a.CompanyId}&from={Uri.EscapeDataString(Factory.Clock.GetUtcNow().AddMinutes(1).ToString("O"))}")).ShouldBeEmpty();

        // No secret anywhere in the audit table.
        var stored = await Factory.WithDbAsync(db => db.AuditEntries.Select(e => (e.Before ?? "") + (e.After ?? "")).ToListAsync());
        var protectedValues = await Factory.WithDbAsync(async db =>
            (await db.Companies.Select(c => c.SigningSecretProtected).ToListAsync()).Concat(await db.PosIntegrations.Select(i => i.SecretProtected!).ToListAsync()).ToList());
        foreach (var secret in protectedValues.Append(PosterToken).Append(newSigningSecret).Append(_a.Secret))
        {
            stored.ShouldAllBe(json => !json.Contains(secret));
        }
    }

    [Fact]
    public async Task The_panel_audit_log_names_the_thing_and_shows_a_field_by_field_diff_with_secrets_hidden_and_real_Cyrillic()
    {
        await _a.CreateAsync(Factory);
        var admin = Factory.CreateApiClient();
        var cityId = await Factory.WithDbAsync(db => db.Companies.Where(c => c.Id == _a.CompanyId).Select(c => c.CityId).SingleAsync());
        (await admin.PutAsJsonAsync($"/api/companies/{_a.CompanyId}", new { cityId, dotsCompanyId = Fixtures.DotsCompanyId, name = "Піца «Центр»" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PutAsJsonAsync($"/api/pickup-points/{_a.KyivPointId}/pos-integration",
            new { kind = "Poster", posterAccount = "pizza", posterSpotId = 1, token = PosterToken, autoSyncOnAcceptance = false })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await TestUsers.CreateAsync(Factory, "olha", "admin");
        var panel = new PanelClient(Factory);
        await panel.SignInAsync("olha", TestUsers.Password);

        var html = await panel.GetPageAsync("/panel/audit");

        html.ShouldContain("Компанія «Піца «Центр»»");
        html.ShouldContain("data-testid=\"audit-diff\"");
        html.ShouldContain("<td data-label=\"Поле\">name</td>");
        html.ShouldContain("змінено (не показується)");
        // A point's POS integration is keyed by the point: it reads under the point's name, not its id.
        html.ShouldContain("«Хрещатик»");
        html.ShouldNotContain($"<span class=\"muted\">{_a.KyivPointId}</span>");
        (await AuditAsync(admin, "entityType=PosIntegration")).First().GetProperty("subjectName").GetString().ShouldBe("Хрещатик");
        html.ShouldNotContain(PosterToken);
        html.ShouldNotContain("\\u04");
        html.ShouldNotContain("\\u0022");
        html.ShouldNotContain("entity.");
        html.ShouldNotContain("auditAction.");
    }

    [Fact]
    public async Task Users_and_keys_are_audited_and_a_manager_sees_only_their_companies_entries()
    {
        await _a.CreateAsync(Factory);
        await _b.CreateAsync(Factory);
        var maria = await TestUsers.CreateAsync(Factory, "maria", "manager", _a.CompanyId);
        var bohdan = await TestUsers.CreateAsync(Factory, "bohdan", "manager", _b.CompanyId);
        (await maria.Client(Factory).PutAsJsonAsync($"/api/pickup-points/{_a.KyivPointId}", new { name = "Хрещатик, 22" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bohdan.Client(Factory).PutAsJsonAsync($"/api/pickup-points/{_b.KyivPointId}", new { name = "Bohdan's point" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Factory.CreateApiClient().PostAsJsonAsync($"/api/users/{maria.Id}/password", new { password = "another-long-password" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var admin = Factory.CreateApiClient();
        var userEntries = await AuditAsync(admin, $"entityType=User&entityId={maria.Id}");
        userEntries.Select(e => e.GetProperty("action").GetString()).ShouldBe(["password-reset", "created"]);
        userEntries[1].GetProperty("after").GetProperty("role").GetString().ShouldBe("manager");
        userEntries[1].GetProperty("after").GetProperty("companyIds").EnumerateArray().Single().GetGuid().ShouldBe(_a.CompanyId);
        userEntries[0].GetProperty("after").GetProperty("password").GetString().ShouldBe("secret changed");
        var keyEntry = (await AuditAsync(admin, "entityType=ApiKey")).First(e => e.GetProperty("after").GetProperty("userId").GetGuid() == maria.Id);
        keyEntry.GetProperty("action").GetString().ShouldBe("created");
        keyEntry.GetProperty("after").GetProperty("keyHash").GetString().ShouldBe("***");
        keyEntry.GetRawText().ShouldNotContain(maria.Key);

        var byMaria = (await AuditAsync(admin, "actor=user:maria")).Single();
        byMaria.GetProperty("actorUserId").GetGuid().ShouldBe(maria.Id);
        byMaria.GetProperty("after").GetProperty("name").GetString().ShouldBe("Хрещатик, 22");

        var seenByMaria = await AuditAsync(maria.Client(Factory), "");
        seenByMaria.ShouldNotBeEmpty();
        seenByMaria.ShouldAllBe(e => e.GetProperty("companyId").ValueKind == JsonValueKind.String);
        seenByMaria.Select(e => e.GetProperty("companyId").GetGuid()).Distinct().ShouldBe([_a.CompanyId]);
        (await AuditAsync(maria.Client(Factory), $"companyId={_b.CompanyId}")).ShouldBeEmpty();
        (await AuditAsync(bohdan.Client(Factory), "actor=user:maria")).ShouldBeEmpty();
    }

    private static async Task<JsonElement[]> AuditAsync(HttpClient client, string query)
    {
        var page = await (await client.GetAsync($"/api/audit?pageSize=200&{query}")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        return page.GetProperty("items").EnumerateArray().ToArray();
    }
}
