using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using OrderHub.Api.Security;

namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>A database user made through the users API, with one API key made through the keys API.</summary>
public sealed record TestUser(Guid Id, string LoginName, string Password, string Key)
{
    public HttpClient Client(OrderHubFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, Key);
        return client;
    }
}

public static class TestUsers
{
    public const string Password = "correct-horse-battery-staple";

    /// <summary>Creates the user with the admin key, then an API key for them; both through HTTP.</summary>
    public static async Task<TestUser> CreateAsync(OrderHubFactory factory, string login, string role, params Guid[] companyIds)
    {
        var admin = factory.CreateApiClient();
        var created = await (await admin.PostAsJsonAsync("/api/users", new
        {
            loginName = login,
            displayName = "Test " + login,
            role,
            companyIds,
            password = Password,
        })).ShouldBeAsync<JsonElement>(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        var key = await (await admin.PostAsJsonAsync($"/api/users/{id}/api-keys", new { name = "tests" }))
            .ShouldBeAsync<JsonElement>(HttpStatusCode.Created);
        return new TestUser(id, login, Password, key.GetProperty("key").GetString()!);
    }
}

/// <summary>A browser-like client of the panel: keeps cookies, does not follow redirects, posts forms with their antiforgery token.</summary>
public sealed partial class PanelClient(OrderHubFactory factory)
{
    public HttpClient Http { get; } = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public async Task<string> GetPageAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Http.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, html);
        return html;
    }

    /// <summary>The antiforgery token of the first form on the page.</summary>
    public static string Token(string html) => TokenPattern().Match(html) is { Success: true } m
        ? WebUtility.HtmlDecode(m.Groups[1].Value)
        : throw new ShouldAssertException("No antiforgery token in the page.");

    /// <summary>Posts a form the way a browser would after loading <paramref name="pageUrl"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pageUrl, string action, Dictionary<string, string> fields, bool withToken = true)
    {
        var html = await GetPageAsync(pageUrl);
        if (withToken)
        {
            fields["__RequestVerificationToken"] = Token(html);
        }

        return await Http.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    public Task<HttpResponseMessage> SignInAsync(string login, string password) =>
        PostFormAsync("/panel/sign-in", "/panel/sign-in", new Dictionary<string, string> { ["LoginName"] = login, ["Password"] = password });

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
