using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Users;

namespace OrderHub.Api.Security;

/// <summary>
/// Two ways in, chosen by path: <c>/panel</c> uses the panel's cookie (and redirects to sign-in without one);
/// everything else, <c>/api</c> included, uses <c>X-Api-Key</c> only. The API does not accept the cookie: the
/// panel's pages are rendered on the server and call the same handlers in-process, so the API needs no
/// cross-site request protection.
/// </summary>
public static class AuthenticationRegistration
{
    public const string SelectorScheme = "OrderHub";
    public const string PanelScheme = "Panel";
    public const string PanelPrefix = "/panel";
    public const string SignInPath = "/panel/sign-in";

    public static IServiceCollection AddOrderHubAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection(ApiKeyOptions.SectionName))
            .Validate(o => o.ApiKeys.All(k => k.Role is null || AccessScope.Roles.Contains(k.Role.ToLowerInvariant())),
                "Auth:ApiKeys:N:Role must be admin, manager or support.")
            .ValidateOnStart();
        services.AddOptions<LockoutOptions>().Bind(configuration.GetSection(LockoutOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddScoped<PasswordSignIn>();
        services.AddSignInThrottle(configuration);

        services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "API key or panel cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Path.StartsWithSegments(PanelPrefix, StringComparison.OrdinalIgnoreCase) ? PanelScheme : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(PanelScheme, o =>
            {
                o.Cookie.Name = "orderhub.panel";
                o.Cookie.Path = PanelPrefix;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = SignInPath;
                o.LogoutPath = "/panel/sign-out";
                o.AccessDeniedPath = "/panel/denied";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = RefreshPrincipalAsync;
            });
        return services;
    }

    /// <summary>
    /// Reads the user again on every panel request (one indexed read by key, so no cache: a change applies at once):
    /// a disabled or deleted user, or a cookie issued before the user's security stamp changed (password reset,
    /// role or company change, sign-out), is signed out; otherwise the principal is refreshed.
    /// </summary>
    private static async Task RefreshPrincipalAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.UserId();
        var db = context.HttpContext.RequestServices.GetRequiredService<OrderHubDbContext>();
        var user = id is null ? null : await db.Users.AsNoTracking().Include(u => u.Companies).FirstOrDefaultAsync(u => u.Id == id, context.HttpContext.RequestAborted);
        if (user is not { Enabled: true }
            || !string.Equals(context.Principal?.FindFirstValue(UserPrincipal.SecurityStampClaim), user.SecurityStamp, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(PanelScheme);
            return;
        }

        context.ReplacePrincipal(UserPrincipal.Create(user, PanelScheme));
    }

    public static string? UserLanguage(this ClaimsPrincipal principal) => principal.FindFirstValue(UserPrincipal.LanguageClaim);
}
