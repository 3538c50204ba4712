namespace OrderHub.Domain.Users;

/// <summary>A person who signs in to the panel or calls the API with their own keys.</summary>
public sealed class User
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The sign-in name, stored lowercase; unique.</summary>
    public string LoginName { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public UserRole Role { get; set; }

    /// <summary>ASP.NET Core Identity's PBKDF2 hash (<c>PasswordHasher</c>); never leaves the server.</summary>
    public string PasswordHash { get; set; } = "";

    /// <summary>Failed sign-ins since the last success or lockout.</summary>
    public int FailedSignInCount { get; set; }

    /// <summary>Sign-in is refused until this time after too many failures; null when not locked.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Changes whenever the user's sessions must end (password reset, role or company change, disable, sign-out):
    /// a panel cookie carries the stamp it was issued with and is refused once it differs.
    /// </summary>
    public string SecurityStamp { get; set; } = NewSecurityStamp();

    public static string NewSecurityStamp() => Guid.NewGuid().ToString("N");

    /// <summary>The panel's language for this user: <c>uk</c> or <c>en</c>.</summary>
    public string Language { get; set; } = "uk";

    /// <summary>Which parked orders the user sees (own, same role); null: all of them.</summary>
    public Parking.ParkedVisibility? ParkedVisibility { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? LastSignInAt { get; set; }

    /// <summary>The companies the user works with (ignored for an admin, who sees all).</summary>
    public List<UserCompany> Companies { get; set; } = [];
}

/// <summary>What a user may do: admin everything; manager their companies' settings and orders; support read, export and re-drive.</summary>
public enum UserRole
{
    Admin,
    Manager,
    Support,
}

/// <summary>A user's membership of a company.</summary>
public sealed class UserCompany
{
    public Guid UserId { get; set; }

    public Guid CompanyId { get; set; }
}

/// <summary>
/// A named API key of a user. Only the SHA-256 of the key is stored; the key is shown once, when created.
/// </summary>
public sealed class UserApiKey
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid UserId { get; set; }

    public string Name { get; set; } = "";

    /// <summary>The first characters of the key, shown in lists and used to find the row; not enough to use it.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>SHA-256 of the whole key, lowercase hex.</summary>
    public string KeyHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
