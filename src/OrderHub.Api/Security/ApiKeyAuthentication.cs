using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace OrderHub.Api.Security;

public sealed class ApiKeyOptions
{
    public const string SectionName = "Auth";

    /// <summary>Keys that may call <c>/api</c>, each with a name that the history shows as the actor.</summary>
    public List<ApiKeyEntry> ApiKeys { get; set; } = [];
}

public sealed class ApiKeyEntry
{
    public string Name { get; set; } = "";

    /// <summary>The key itself: from the environment or a secret store, never from a committed file.</summary>
    public string Key { get; set; } = "";

    /// <summary>
    /// The company keys (webhook keys, e.g. <c>demo-pizza</c>) this API key may see and change. Empty: every
    /// company, and the admin calls (creating companies, changing cities).
    /// </summary>
    public List<string> Companies { get; set; } = [];
}

/// <summary>Authenticates <c>X-Api-Key</c> against the configured keys, in constant time per key.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<ApiKeyOptions> keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(values[0]!));
        ApiKeyEntry? match = null;
        foreach (var entry in keys.CurrentValue.ApiKeys.Where(k => k.Key.Length >= 16))
        {
            // Hashing both sides gives equal lengths, so FixedTimeEquals leaks neither content nor length.
            if (CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(entry.Key))))
            {
                match = entry;
            }
        }

        if (match is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        List<Claim> claims = [new Claim(ClaimTypes.Name, match.Name)];
        if (match.Companies.Count == 0)
        {
            claims.Add(new Claim(ClaimTypes.Role, AccessScope.AdminRole));
        }
        else
        {
            claims.AddRange(match.Companies.Distinct(StringComparer.Ordinal).Select(c => new Claim(AccessScope.CompanyClaim, c)));
        }

        var identity = new ClaimsIdentity(claims, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "API key required",
                Detail = $"Send a valid API key in the {HeaderName} header.",
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = StatusCodes.Status403Forbidden, Title = "Forbidden", Detail = "This key may not do that." },
        });
    }
}

public static class ActorExtensions
{
    /// <summary>How the history names the caller: <c>user:{key name}</c>.</summary>
    public static string Actor(this ClaimsPrincipal user) => $"user:{user.Identity?.Name ?? "unknown"}";
}
