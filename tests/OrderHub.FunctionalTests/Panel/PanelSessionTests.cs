using System.Net;
using System.Net.Http.Json;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Panel;

public sealed class SqlitePanelSessionTests() : PanelSessionTests(new SqliteTestDatabase());

public sealed class PostgresPanelSessionTests() : PanelSessionTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerPanelSessionTests() : PanelSessionTests(new SqlServerTestDatabase());

/// <summary>A panel cookie ends with the user's security stamp: password reset, rights changed, disable, sign-out.</summary>
public abstract class PanelSessionTests(ITestDatabase database) : ProviderTestBase(database)
{
    private readonly TestTenant _a = new();
    private readonly TestTenant _b = new TestTenant().WithDotsCompanyId("dots-company-b");

    [Theory]
    [InlineData("password-reset")]
    [InlineData("role-changed")]
    [InlineData("companies-changed")]
    [InlineData("disabled")]
    [InlineData("sign-out-everywhere")]
    public async Task A_change_to_the_user_ends_the_session_opened_before_it_at_once(string change)
    {
        await _a.CreateAsync(Factory);
        await _b.CreateAsync(Factory);
        var maria = await TestUsers.CreateAsync(Factory, "maria", "manager", _a.CompanyId);
        var panel = new PanelClient(Factory);
        (await panel.SignInAsync("maria", TestUsers.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await panel.GetPageAsync("/panel")).ShouldContain("Test maria");

        var admin = Factory.CreateApiClient();
        var answer = change switch
        {
            "password-reset" => await admin.PostAsJsonAsync($"/api/users/{maria.Id}/password", new { password = "another-long-password" }),
            "role-changed" => await admin.PutAsJsonAsync($"/api/users/{maria.Id}", new { role = "support" }),
            "companies-changed" => await admin.PutAsJsonAsync($"/api/users/{maria.Id}", new { companyIds = new[] { _b.CompanyId } }),
            "disabled" => await admin.PutAsJsonAsync($"/api/users/{maria.Id}", new { enabled = false }),
            _ => await admin.PostAsync($"/api/users/{maria.Id}/sign-out-everywhere", null),
        };
        answer.StatusCode.ShouldBe(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());

        var after = await panel.Http.GetAsync("/panel");
        after.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        after.Headers.Location!.OriginalString.ShouldContain("/panel/sign-in");
    }

    [Fact]
    public async Task A_change_of_display_name_or_language_keeps_the_session()
    {
        await _a.CreateAsync(Factory);
        var maria = await TestUsers.CreateAsync(Factory, "maria", "manager", _a.CompanyId);
        var panel = new PanelClient(Factory);
        (await panel.SignInAsync("maria", TestUsers.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await Factory.CreateApiClient().PutAsJsonAsync($"/api/users/{maria.Id}", new { displayName = "Maria K", language = "en" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        (await panel.GetPageAsync("/panel")).ShouldContain("Maria K");
    }

    [Fact]
    public async Task A_copy_of_the_cookie_stops_working_when_its_owner_signs_out()
    {
        await _a.CreateAsync(Factory);
        await TestUsers.CreateAsync(Factory, "maria", "manager", _a.CompanyId);
        var panel = new PanelClient(Factory);
        var signedIn = await panel.SignInAsync("maria", TestUsers.Password);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("orderhub.panel=", StringComparison.Ordinal)).Split(';')[0];
        var thief = Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        thief.DefaultRequestHeaders.Add("Cookie", cookie);
        (await thief.GetAsync("/panel")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await panel.PostFormAsync("/panel", "/panel/sign-out", [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var stolen = await thief.GetAsync("/panel");
        stolen.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        stolen.Headers.Location!.OriginalString.ShouldContain("/panel/sign-in");
    }
}
