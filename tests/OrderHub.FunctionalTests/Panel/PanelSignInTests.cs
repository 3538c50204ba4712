using System.Net;
using Microsoft.EntityFrameworkCore;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;
using OrderHub.FunctionalTests.Security;

namespace OrderHub.FunctionalTests.Panel;

public sealed class SqlitePanelSignInTests() : PanelSignInTests(new SqliteTestDatabase());

public sealed class PostgresPanelSignInTests() : PanelSignInTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerPanelSignInTests() : PanelSignInTests(new SqlServerTestDatabase());

/// <summary>
/// The panel's sign-in over HTTP as a browser does it (cookies, forms with antiforgery tokens, redirects):
/// password sign-in, the home page, lockout after 5 failures and unlock, antiforgery refusal, language switch.
/// </summary>
public abstract class PanelSignInTests(ITestDatabase database) : ProviderTestBase(database)
{
    private readonly TestTenant _a = new();

    [Fact]
    public async Task A_manager_signs_in_sees_name_role_and_companies_switches_language_and_signs_out()
    {
        await _a.CreateAsync(Factory);
        await TestUsers.CreateAsync(Factory, "maria", "manager", _a.CompanyId);
        var panel = new PanelClient(Factory);

        var challenge = await panel.Http.GetAsync("/panel");
        challenge.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        challenge.Headers.Location!.OriginalString.ShouldContain("/panel/sign-in?ReturnUrl=%2Fpanel");
        var signIn = await panel.GetPageAsync("/panel/sign-in");
        signIn.ShouldContain("<html lang=\"uk\">");
        signIn.ShouldContain("Увійти");

        var signedIn = await panel.SignInAsync("Maria", TestUsers.Password);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
        signedIn.Headers.Location!.OriginalString.ShouldBe("/panel");
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("orderhub.panel=", StringComparison.Ordinal)).ToLowerInvariant();
        cookie.ShouldContain("httponly");
        cookie.ShouldContain("samesite=strict");
        cookie.ShouldContain("path=/panel");

        var home = await panel.GetPageAsync("/panel");
        home.ShouldContain("Вітаємо, Test maria");
        home.ShouldContain("data-testid=\"role\">менеджер<");
        home.ShouldContain("<li>Test Pizza</li>");
        home.ShouldContain("name=\"viewport\"");

        var switched = await panel.PostFormAsync("/panel", "/panel/language", new Dictionary<string, string> { ["lang"] = "en", ["returnUrl"] = "/panel" });
        switched.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        home = await panel.GetPageAsync("/panel");
        home.ShouldContain("<html lang=\"en\">");
        home.ShouldContain("Welcome, Test maria");
        home.ShouldContain("data-testid=\"role\">manager<");
        (await Factory.WithDbAsync(db => db.Users.Where(u => u.LoginName == "maria").Select(u => u.Language).SingleAsync())).ShouldBe("en");

        var signedOut = await panel.PostFormAsync("/panel", "/panel/sign-out", []);
        signedOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await panel.Http.GetAsync("/panel")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // The cookie is for the panel only: the API answers it with 401.
        var api = await panel.Http.GetAsync("/api/orders");
        api.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_user_out_until_an_admin_unlocks_or_the_lockout_ends()
    {
        await _a.CreateAsync(Factory);
        var sofia = await TestUsers.CreateAsync(Factory, "sofia", "support", _a.CompanyId);
        var panel = new PanelClient(Factory);

        for (var i = 1; i <= 4; i++)
        {
            var failed = await panel.SignInAsync("sofia", "wrong-password-" + i);
            failed.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await failed.Content.ReadAsStringAsync()).ShouldContain("Неправильний логін або пароль.");
        }

        var locked = await panel.SignInAsync("sofia", "wrong-password-5");
        locked.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await locked.Content.ReadAsStringAsync()).ShouldContain("Забагато невдалих спроб");
        var stillLocked = await panel.SignInAsync("sofia", TestUsers.Password);
        stillLocked.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        stillLocked.Headers.Contains("Set-Cookie").ShouldBeFalse();
        var listed = await Factory.CreateApiClient().GetStringAsync($"/api/users/{sofia.Id}");
        listed.ShouldContain("\"lockedOut\":true");
        (await Factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.EntityId == sofia.Id.ToString() && e.Action == "locked-out"))).ShouldBe(1);

        (await Factory.CreateApiClient().PostAsync($"/api/users/{sofia.Id}/unlock", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await panel.SignInAsync("sofia", TestUsers.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await panel.GetPageAsync("/panel")).ShouldContain("підтримка");

        // Locked again by a new browser; the lockout ends by itself after 15 minutes.
        var other = new PanelClient(Factory);
        for (var i = 1; i <= 5; i++)
        {
            await other.SignInAsync("sofia", "wrong-again-" + i);
        }

        (await other.SignInAsync("sofia", TestUsers.Password)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        Factory.Clock.Advance(TimeSpan.FromMinutes(16));
        (await other.SignInAsync("sofia", TestUsers.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // An unknown name fails the same way and locks nothing.
        (await other.SignInAsync("nobody", TestUsers.Password)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_form_posted_without_its_antiforgery_token_is_refused_and_signs_nobody_in()
    {
        await _a.CreateAsync(Factory);
        await TestUsers.CreateAsync(Factory, "maria", "manager", _a.CompanyId);
        var panel = new PanelClient(Factory);

        var forged = await panel.PostFormAsync("/panel/sign-in", "/panel/sign-in",
            new Dictionary<string, string> { ["LoginName"] = "maria", ["Password"] = TestUsers.Password }, withToken: false);
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        forged.Headers.TryGetValues("Set-Cookie", out var cookies).ShouldBeFalse(string.Join(";", cookies ?? []));
        var wrongToken = await panel.Http.PostAsync("/panel/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["LoginName"] = "maria", ["Password"] = TestUsers.Password, ["__RequestVerificationToken"] = "forged-token",
        }));
        wrongToken.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Factory.WithDbAsync(db => db.Users.Where(u => u.LoginName == "maria").Select(u => u.LastSignInAt).SingleAsync())).ShouldBeNull();

        // Signed in, a sign-out or language post without the token is refused too.
        (await panel.SignInAsync("maria", TestUsers.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await panel.PostFormAsync("/panel", "/panel/sign-out", [], withToken: false)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await panel.PostFormAsync("/panel", "/panel/language", new Dictionary<string, string> { ["lang"] = "en" }, withToken: false))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await panel.GetPageAsync("/panel")).ShouldContain("Вітаємо");
    }

    [Fact]
    public async Task Every_panel_page_but_sign_in_redirects_to_sign_in_without_the_cookie_and_ignores_an_API_key()
    {
        var pages = EndpointInventory.All(Factory.Services).Where(e => e.Pattern.StartsWith("/panel", StringComparison.Ordinal)).ToList();
        pages.Select(p => p.Pattern).ShouldContain("/panel");
        pages.Select(p => p.Pattern).ShouldContain("/panel/sign-in");
        foreach (var page in pages.Where(p => p.Pattern is not "/panel/sign-in" and not "/panel/language"))
        {
            var client = new PanelClient(Factory).Http;
            client.DefaultRequestHeaders.Add("X-Api-Key", OrderHubFactory.ApiKey);
            var response = await client.GetAsync(page.Url);
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect, page.ToString());
            response.Headers.Location!.OriginalString.ShouldStartWith("http://localhost/panel/sign-in?ReturnUrl=", customMessage: page.ToString());
        }
    }
}
