using OrderHub.Api.Security;
using OrderHub.Domain.Users;

namespace OrderHub.Api.Features.Users;

/// <summary>A user as the API shows it: never the password or its hash.</summary>
public sealed record UserDto(
    Guid Id,
    string LoginName,
    string DisplayName,
    string Role,
    IReadOnlyList<Guid> CompanyIds,
    bool Enabled,
    string Language,
    bool LockedOut,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSignInAt,
    string ParkedVisibility = "All")
{
    public static UserDto From(User user, DateTimeOffset now) => new(
        user.Id, user.LoginName, user.DisplayName, UserPrincipal.RoleName(user.Role),
        user.Companies.Select(c => c.CompanyId).OrderBy(c => c).ToList(), user.Enabled, user.Language,
        user.LockedUntil > now, user.LockedUntil > now ? user.LockedUntil : null, user.CreatedAt, user.LastSignInAt,
        (user.ParkedVisibility ?? Domain.Parking.ParkedVisibility.All).ToString());

    /// <summary>What the audit log keeps of a user: the settings, not the counters.</summary>
    public static object AuditView(User user) => new
    {
        user.LoginName,
        user.DisplayName,
        Role = UserPrincipal.RoleName(user.Role),
        CompanyIds = user.Companies.Select(c => c.CompanyId).OrderBy(c => c).ToList(),
        user.Enabled,
        user.Language,
        user.LockedUntil,
        user.ParkedVisibility,
    };
}

/// <summary>An API key in a list: its name and prefix, never the key or its hash.</summary>
public sealed record ApiKeyDto(Guid Id, Guid UserId, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>A new API key: <see cref="Key"/> is shown this once and never again.</summary>
public sealed record CreatedApiKeyDto(Guid Id, Guid UserId, string Name, string Prefix, DateTimeOffset CreatedAt, string Key);

/// <summary>Who the caller is, as the API sees them.</summary>
public sealed record CurrentUserDto(string Name, Guid? UserId, string Role, IReadOnlyList<Guid>? CompanyIds);
