using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Auditing;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Users;

namespace OrderHub.Api.Security;

public sealed class LockoutOptions
{
    public const string SectionName = "Auth:Lockout";

    /// <summary>Failed sign-ins in a row that lock the user out.</summary>
    [Range(1, 100)]
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a lockout lasts (an admin can end it sooner: <c>POST /api/users/{id}/unlock</c>).</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}

public enum SignInOutcomeKind
{
    Succeeded,

    /// <summary>Unknown name, wrong password or a disabled user: the caller is not told which.</summary>
    Failed,
    LockedOut,
}

public sealed record SignInOutcome(SignInOutcomeKind Kind, User? User = null, DateTimeOffset? LockedUntil = null);

/// <summary>
/// Checks a login name and password with ASP.NET Core Identity's hasher, counts failures and locks the user out
/// after <see cref="LockoutOptions.MaxFailedAttempts"/> of them. The failure counter is incremented in SQL, so
/// concurrent guesses cannot slip past the limit.
/// </summary>
public sealed partial class PasswordSignIn(
    OrderHubDbContext db, IPasswordHasher<User> hasher, TimeProvider time, IOptions<LockoutOptions> options, AuditTrail audit,
    ILogger<PasswordSignIn> logger)
{
    private static string? _dummyHash;

    public async Task<SignInOutcome> SignInAsync(string loginName, string password, CancellationToken cancellationToken)
    {
        var login = loginName.Trim().ToLowerInvariant();
        var now = time.GetUtcNow();
        var user = login.Length is > 0 and <= 64
            ? await db.Users.Include(u => u.Companies).FirstOrDefaultAsync(u => u.LoginName == login, cancellationToken)
            : null;
        if (user is null)
        {
            // The same work as a real check, so the answer's timing does not tell which names exist.
            _dummyHash ??= hasher.HashPassword(new User(), "not-a-password-of-anyone");
            hasher.VerifyHashedPassword(new User(), _dummyHash, password);
            LogFailed(logger, login.Length <= 64 ? login : login[..64]);
            return new SignInOutcome(SignInOutcomeKind.Failed);
        }

        if (user.LockedUntil > now)
        {
            LogLockedOut(logger, user.LoginName);
            return new SignInOutcome(SignInOutcomeKind.LockedOut, LockedUntil: user.LockedUntil);
        }

        var verified = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verified is PasswordVerificationResult.Failed)
        {
            return await FailAsync(user, now, cancellationToken);
        }

        if (!user.Enabled)
        {
            LogFailed(logger, user.LoginName);
            return new SignInOutcome(SignInOutcomeKind.Failed);
        }

        if (verified is PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
        }

        user.FailedSignInCount = 0;
        user.LockedUntil = null;
        user.LastSignInAt = now;
        await db.SaveChangesAsync(cancellationToken);
        LogSignedIn(logger, user.LoginName);
        return new SignInOutcome(SignInOutcomeKind.Succeeded, user);
    }

    private async Task<SignInOutcome> FailAsync(User user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Users.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignInCount, u => u.FailedSignInCount + 1), cancellationToken);
        var failures = await db.Users.AsNoTracking().Where(u => u.Id == user.Id).Select(u => u.FailedSignInCount).FirstAsync(cancellationToken);
        if (failures < options.Value.MaxFailedAttempts)
        {
            LogFailed(logger, user.LoginName);
            return new SignInOutcome(SignInOutcomeKind.Failed);
        }

        var until = now + options.Value.Duration;
        var locked = await db.Users.Where(u => u.Id == user.Id && u.FailedSignInCount >= options.Value.MaxFailedAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignInCount, 0).SetProperty(u => u.LockedUntil, until), cancellationToken);
        if (locked > 0)
        {
            db.ChangeTracker.Clear();
            audit.Record(db, "User", user.Id.ToString(), null, "locked-out", null,
                new { user.LoginName, LockedUntil = until, FailedAttempts = failures }, actor: "sign-in");
            await db.SaveChangesAsync(cancellationToken);
        }

        LogLockingOut(logger, user.LoginName, failures, until);
        return new SignInOutcome(SignInOutcomeKind.LockedOut, LockedUntil: until);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in of {LoginName} succeeded")]
    private static partial void LogSignedIn(ILogger logger, string loginName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in of {LoginName} failed")]
    private static partial void LogFailed(ILogger logger, string loginName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in of {LoginName} refused: locked out")]
    private static partial void LogLockedOut(ILogger logger, string loginName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{LoginName} locked out after {Failures} failed sign-ins, until {LockedUntil}")]
    private static partial void LogLockingOut(ILogger logger, string loginName, int failures, DateTimeOffset lockedUntil);
}
