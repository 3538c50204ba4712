using System.Security.Claims;
using OrderHub.Domain.Users;

namespace OrderHub.Api.Security;

/// <summary>
/// The principal of a database user, the same for the panel cookie and the user's API keys:
/// <see cref="ClaimTypes.Name"/> = login name, <see cref="ClaimTypes.NameIdentifier"/> = user id,
/// <see cref="ClaimTypes.Role"/> = admin|manager|support, one <see cref="AccessScope.CompanyIdClaim"/> per company.
/// </summary>
public static class UserPrincipal
{
    public const string DisplayNameClaim = "orderhub:display-name";
    public const string LanguageClaim = "orderhub:language";
    public const string SecurityStampClaim = "orderhub:stamp";

    public static string RoleName(UserRole role) => role switch
    {
        UserRole.Admin => AccessScope.AdminRole,
        UserRole.Manager => AccessScope.ManagerRole,
        _ => AccessScope.SupportRole,
    };

    public static bool TryParseRole(string? name, out UserRole role)
    {
        role = default;
        return name is not null && Enum.TryParse(name, ignoreCase: true, out role) && Enum.IsDefined(role) && !int.TryParse(name, out _);
    }

    public static ClaimsPrincipal Create(User user, string scheme)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.Name, user.LoginName),
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Role, RoleName(user.Role)),
            new(DisplayNameClaim, user.DisplayName),
            new(LanguageClaim, user.Language),
            new(SecurityStampClaim, user.SecurityStamp),
        ];
        claims.AddRange(user.Companies.Select(c => new Claim(AccessScope.CompanyIdClaim, c.CompanyId.ToString())));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The database user's id, or null for a configured API key.</summary>
    public static Guid? UserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}
