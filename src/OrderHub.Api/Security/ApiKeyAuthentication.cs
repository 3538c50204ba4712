using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Persistence;

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

    /// <summary>
    /// <c>admin</c>, <c>manager</c> or <c>support</c>. Default: <c>admin</c> without a company list, <c>manager</c>
    /// with one (what such keys could do before roles existed). An admin key sees every company, whatever its list.
    /// </summary>
    public string? Role { get; set; }

    public string EffectiveRole => Role?.ToLowerInvariant() ?? (Companies.Count == 0 ? AccessScope.AdminRole : AccessScope.ManagerRole);
}

/// <summary>
/// Authenticates <c>X-Api-Key</c> against the configured keys (in constant time per key), then against the
/// users' own keys (<c>ohk_…</c>, found by prefix, compared by SHA-256 in constant time), as that user.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<ApiKeyOptions> keys,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    /// <summary>A key's last use is written at most this often, so reads do not become writes.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return AuthenticateResult.NoResult();
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
            return ApiKeyHashing.LooksLikeUserKey(values[0]!)
                ? await AuthenticateUserKeyAsync(values[0]!)
                : AuthenticateResult.Fail("The API key is not valid.");
        }

        List<Claim> claims = [new Claim(ClaimTypes.Name, match.Name), new Claim(ClaimTypes.Role, match.EffectiveRole)];
        claims.AddRange(match.Companies.Distinct(StringComparer.Ordinal).Select(c => new Claim(AccessScope.CompanyClaim, c)));
        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private async Task<AuthenticateResult> AuthenticateUserKeyAsync(string key)
    {
        var db = Context.RequestServices.GetRequiredService<OrderHubDbContext>();
        var prefix = key[..ApiKeyHashing.PrefixLength];
        var hash = ApiKeyHashing.Hash(key);
        var candidates = await db.UserApiKeys.AsNoTracking().Where(k => k.Prefix == prefix && k.RevokedAt == null).ToListAsync(Context.RequestAborted);
        var found = candidates.FirstOrDefault(k => ApiKeyHashing.Matches(hash, k.KeyHash));
        if (found is null)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var user = await db.Users.AsNoTracking().Include(u => u.Companies).FirstOrDefaultAsync(u => u.Id == found.UserId, Context.RequestAborted);
        if (user is not { Enabled: true })
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var now = time.GetUtcNow();
        if (found.LastUsedAt is not { } last || now - last >= LastUsedResolution)
        {
            // A direct update: usage is not a settings change and must not reach the audit log.
            await db.UserApiKeys.Where(k => k.Id == found.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), Context.RequestAborted);
        }

        return AuthenticateResult.Success(new AuthenticationTicket(UserPrincipal.Create(user, SchemeName), SchemeName));
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
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden",
                Detail = $"The role '{Context.User.FindFirstValue(ClaimTypes.Role) ?? "none"}' may not do that.",
            },
        });
    }
}

public static class ActorExtensions
{
    /// <summary>How the history names the caller: <c>user:{key name}</c>.</summary>
    public static string Actor(this ClaimsPrincipal user) => $"user:{user.Identity?.Name ?? "unknown"}";
}
