using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Security;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Users;

public sealed class SqliteUserApiKeyTests() : UserApiKeyTests(new SqliteTestDatabase());

public sealed class PostgresUserApiKeyTests() : UserApiKeyTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerUserApiKeyTests() : UserApiKeyTests(new SqlServerTestDatabase());

/// <summary>
/// Per-user API keys through HTTP: created (shown once), used as that user with their role and companies,
/// listed without the key, revoked; and the users API's validation. Logging at Trace: no password, hash or key
/// appears in any response (but the key's one creation answer) or log line.
/// </summary>
public abstract class UserApiKeyTests(ITestDatabase database) : ProviderTestBase(database)
{
    private readonly TestTenant _a = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
    };

    [Fact]
    public async Task A_user_creates_a_key_uses_it_as_themself_lists_it_without_the_key_and_revokes_it()
    {
        await _a.CreateAsync(Factory);
        var responses = new List<string>();
        var sofia = await TestUsers.CreateAsync(Factory, "sofia", "support", _a.CompanyId);
        var maria = await TestUsers.CreateAsync(Factory, "maria", "manager", _a.CompanyId);
        var first = sofia.Client(Factory);

        // Her own second key, made with her first.
        var createdResponse = await first.PostAsJsonAsync($"/api/users/{sofia.Id}/api-keys", new { name = "reporting script" });
        var created = await createdResponse.ShouldBeAsync<JsonElement>(HttpStatusCode.Created);
        var key = created.GetProperty("key").GetString()!;
        key.ShouldStartWith("ohk_");
        key.Length.ShouldBeGreaterThan(40);
        created.GetProperty("prefix").GetString().ShouldBe(key[..12]);
        var keyId = created.GetProperty("id").GetGuid();
        var second = Factory.CreateClient();
        second.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);

        var me = await Record(responses, await second.GetAsync("/api/me")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        me.GetProperty("name").GetString().ShouldBe("sofia");
        me.GetProperty("userId").GetGuid().ShouldBe(sofia.Id);
        me.GetProperty("role").GetString().ShouldBe("support");
        me.GetProperty("companyIds").EnumerateArray().Select(c => c.GetGuid()).ShouldBe([_a.CompanyId]);
        await Record(responses, await second.PutAsJsonAsync($"/api/pickup-points/{_a.KyivPointId}", new { name = "x" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        var stored = await Factory.WithDbAsync(db => db.UserApiKeys.SingleAsync(k => k.Id == keyId));
        stored.KeyHash.ShouldBe(ApiKeyHashing.Hash(key));
        stored.KeyHash.ShouldNotContain(key);
        stored.LastUsedAt.ShouldNotBeNull();

        var list = await Record(responses, await second.GetAsync($"/api/users/{sofia.Id}/api-keys")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        list.EnumerateArray().Select(k => k.GetProperty("name").GetString()).ShouldBe(["tests", "reporting script"]);
        foreach (var item in list.EnumerateArray())
        {
            item.TryGetProperty("key", out _).ShouldBeFalse();
            item.TryGetProperty("keyHash", out _).ShouldBeFalse();
        }

        list.EnumerateArray().Last().GetProperty("lastUsedAt").ValueKind.ShouldBe(JsonValueKind.String);

        // Another user's keys: 404 for her; an admin sees and revokes anyone's.
        await Record(responses, await second.GetAsync($"/api/users/{maria.Id}/api-keys")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await Record(responses, await second.PostAsJsonAsync($"/api/users/{maria.Id}/api-keys", new { name = "sneaky" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await Record(responses, await first.PostAsJsonAsync($"/api/users/{sofia.Id}/api-keys", new { name = "reporting script" }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "name");

        var revoked = await Record(responses, await first.DeleteAsync($"/api/users/{sofia.Id}/api-keys/{keyId}")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        revoked.GetProperty("revokedAt").ValueKind.ShouldBe(JsonValueKind.String);
        await Record(responses, await second.GetAsync("/api/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await first.GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var firstKeyId = (await Factory.WithDbAsync(db => db.UserApiKeys.SingleAsync(k => k.UserId == sofia.Id && k.Name == "tests"))).Id;
        (await Factory.CreateApiClient().DeleteAsync($"/api/users/{sofia.Id}/api-keys/{firstKeyId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await first.GetAsync("/api/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        // A key that differs in one character is refused.
        var forged = Factory.CreateClient();
        forged.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key[..^1] + (key[^1] == 'A' ? 'B' : 'A'));
        await (await forged.GetAsync("/api/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        // The panel's sign-in form (a failure, then a success) logs the name, never the password.
        var panel = new PanelClient(Factory);
        (await panel.SignInAsync("maria", TestUsers.Password + "-wrong")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await panel.SignInAsync("maria", TestUsers.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        responses.Add(await panel.GetPageAsync("/panel"));
        Factory.Logs.Lines.ShouldContain(l => l.Contains("Sign-in of maria failed"));

        // Admin lists of users and the audit log carry neither hashes nor keys.
        responses.Add(await (await Factory.CreateApiClient().GetAsync("/api/users")).Content.ReadAsStringAsync());
        responses.Add(await (await Factory.CreateApiClient().GetAsync($"/api/users/{sofia.Id}")).Content.ReadAsStringAsync());
        responses.Add(await (await Factory.CreateApiClient().GetAsync("/api/audit?pageSize=200")).Content.ReadAsStringAsync());
        var hashes = await Factory.WithDbAsync(async db =>
            (await db.Users.Select(u => u.PasswordHash).ToListAsync()).Concat(await db.UserApiKeys.Select(k => k.KeyHash).ToListAsync()).ToList());
        hashes.Count.ShouldBe(5);
        string[] secrets = [TestUsers.Password, TestUsers.Password + "-wrong", key, sofia.Key, maria.Key, .. hashes];
        foreach (var secret in secrets)
        {
            responses.ShouldAllBe(r => !r.Contains(secret), secret);
            Factory.Logs.Lines.ShouldAllBe(l => !l.Contains(secret), secret);
        }

        Factory.Logs.Lines.Count.ShouldBeGreaterThan(50);
    }

    [Fact]
    public async Task The_users_API_refuses_bad_input_naming_the_field_and_stores_nothing()
    {
        await _a.CreateAsync(Factory);
        var admin = Factory.CreateApiClient();
        object Body(string login = "anna", string role = "manager", string password = "long-enough-password", Guid[]? companyIds = null, string language = "uk") =>
            new { loginName = login, displayName = "Anna", role, password, companyIds = companyIds ?? [_a.CompanyId], language };

        await (await admin.PostAsJsonAsync("/api/users", Body(password: "nine-char"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "password");
        await (await admin.PostAsJsonAsync("/api/users", Body(role: "owner"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "role");
        await (await admin.PostAsJsonAsync("/api/users", Body(login: "a b"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "loginName");
        await (await admin.PostAsJsonAsync("/api/users", Body(language: "de"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "language");
        await (await admin.PostAsJsonAsync("/api/users", Body(companyIds: [_a.CompanyId, Guid.NewGuid()]))).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "companyIds[1]");
        (await Factory.WithDbAsync(db => db.Users.CountAsync())).ShouldBe(0);
        (await Factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.EntityType == "User"))).ShouldBe(0);

        var anna = await (await admin.PostAsJsonAsync("/api/users", Body(login: "Anna"))).ShouldBeAsync<JsonElement>(HttpStatusCode.Created);
        anna.GetProperty("loginName").GetString().ShouldBe("anna");
        anna.TryGetProperty("password", out _).ShouldBeFalse();
        anna.TryGetProperty("passwordHash", out _).ShouldBeFalse();
        await (await admin.PostAsJsonAsync("/api/users", Body(login: "ANNA"))).ShouldBeProblemAsync(HttpStatusCode.Conflict, "loginName");
        var id = anna.GetProperty("id").GetGuid();
        await (await admin.PostAsJsonAsync($"/api/users/{id}/password", new { password = "short" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "password");
        await (await admin.PutAsJsonAsync($"/api/users/{id}", new { role = "boss" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "role");
        await (await admin.PostAsJsonAsync($"/api/users/{id}/api-keys", new { name = "" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "name");
        await (await admin.GetAsync($"/api/users/{Guid.NewGuid()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await Factory.WithDbAsync(db => db.Users.CountAsync())).ShouldBe(1);
    }

    private static HttpResponseMessage Record(List<string> responses, HttpResponseMessage response)
    {
        responses.Add(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        return response;
    }
}
