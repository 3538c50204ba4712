using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Infrastructure;
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
/// after <see cref="LockoutOptions.MaxFailedAttempts"/> of them. Counting, locking and signing in are each one
/// conditional update, so concurrent guesses cannot slip past the limit nor undo a lock.
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
            LogFailed(logger, LogValue.Safe(login));
            return new SignInOutcome(SignInOutcomeKind.Failed);
        }

        // The password is checked before the lock, so a locked user's answer costs the same as anyone's; the lock
        // itself is decided by the conditional updates below, never by the value read above.
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

        // Succeeds only if no lock is in force at the moment of the update: a lock another request set after the
        // user was read above wins, and is never erased.
        var newHash = verified is PasswordVerificationResult.SuccessRehashNeeded ? hasher.HashPassword(user, password) : user.PasswordHash;
        var signedIn = await db.Users
            .Where(u => u.Id == user.Id && (u.LockedUntil == null || u.LockedUntil <= now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(u => u.FailedSignInCount, 0)
                .SetProperty(u => u.LockedUntil, (DateTimeOffset?)null)
                .SetProperty(u => u.LastSignInAt, now)
                .SetProperty(u => u.PasswordHash, newHash), cancellationToken);
        if (signedIn == 0)
        {
            return await LockedOutAsync(user, cancellationToken);
        }

        user.FailedSignInCount = 0;
        user.LockedUntil = null;
        user.LastSignInAt = now;
        user.PasswordHash = newHash;
        LogSignedIn(logger, user.LoginName);
        return new SignInOutcome(SignInOutcomeKind.Succeeded, user);
    }

    /// <summary>
    /// Counts a failure in one conditional update and, on every <see cref="LockoutOptions.MaxFailedAttempts"/>th
    /// failure, locks in the same statement. A failure against a user locked at that moment is not counted. The
    /// counter is not reset by a lock (so failures in flight are never counted twice), only by a success or an
    /// unlock; the modulo gives a user whose lock expired the same number of tries again.
    /// </summary>
    private async Task<SignInOutcome> FailAsync(User user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxFailedAttempts;
        var until = now + options.Value.Duration;
        var counted = await db.Users
            .Where(u => u.Id == user.Id && (u.LockedUntil == null || u.LockedUntil <= now) && (u.FailedSignInCount + 1) % max != 0)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignInCount, u => u.FailedSignInCount + 1), cancellationToken);
        if (counted > 0)
        {
            LogFailed(logger, user.LoginName);
            return new SignInOutcome(SignInOutcomeKind.Failed);
        }

        var locked = await db.Users
            .Where(u => u.Id == user.Id && (u.LockedUntil == null || u.LockedUntil <= now) && (u.FailedSignInCount + 1) % max == 0)
            .ExecuteUpdateAsync(s => s
                .SetProperty(u => u.FailedSignInCount, u => u.FailedSignInCount + 1)
                .SetProperty(u => u.LockedUntil, until), cancellationToken);
        if (locked == 0)
        {
            // Between the two statements another request either locked the user (refused below) or moved the count
            // off the lock threshold (a success or a failure): count this one again from the start.
            var current = await db.Users.AsNoTracking().Where(u => u.Id == user.Id).Select(u => u.LockedUntil).FirstAsync(cancellationToken);
            return current > now ? await LockedOutAsync(user, cancellationToken) : await FailAsync(user, now, cancellationToken);
        }

        db.ChangeTracker.Clear();
        audit.Record(db, "User", user.Id.ToString(), null, "locked-out", null,
            new { user.LoginName, LockedUntil = until, FailedAttempts = max }, actor: "sign-in");
        await db.SaveChangesAsync(cancellationToken);
        LogLockingOut(logger, user.LoginName, max, until);
        return new SignInOutcome(SignInOutcomeKind.LockedOut, LockedUntil: until);
    }

    private async Task<SignInOutcome> LockedOutAsync(User user, CancellationToken cancellationToken)
    {
        var until = await db.Users.AsNoTracking().Where(u => u.Id == user.Id).Select(u => u.LockedUntil).FirstAsync(cancellationToken);
        LogLockedOut(logger, user.LoginName);
        return new SignInOutcome(SignInOutcomeKind.LockedOut, LockedUntil: until ?? time.GetUtcNow() + options.Value.Duration);
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
