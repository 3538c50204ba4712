using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Identity;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Users;

namespace OrderHub.Api.Features.Users;

/// <summary>Sets a new password (an admin resetting it); the user's lockout ends too.</summary>
public sealed record ResetPasswordCommand : IRequest<UserDto>
{
    [JsonIgnore]
    public Guid Id { get; init; }

    /// <summary>At least 10 characters. Write-only.</summary>
    public string? Password { get; init; }

    /// <summary>Never written to logs.</summary>
    public override string ToString() => $"{nameof(ResetPasswordCommand)} {{ Id = {Id} }}";
}

public sealed class ResetPasswordValidator : AbstractValidator<ResetPasswordCommand>
{
    public ResetPasswordValidator() => RuleFor(c => c.Password).Password();
}

public sealed class ResetPasswordHandler(OrderHubDbContext db, AccessScope access, IPasswordHasher<User> hasher, TimeProvider time, AuditTrail audit)
    : IRequestHandler<ResetPasswordCommand, UserDto>
{
    public async Task<UserDto> Handle(ResetPasswordCommand request, CancellationToken cancellationToken)
    {
        var user = await UserRules.FindVisibleAsync(db, access, request.Id, tracked: true, cancellationToken);
        var before = UserDto.AuditView(user);
        user.PasswordHash = hasher.HashPassword(user, request.Password!);
        user.SecurityStamp = User.NewSecurityStamp();
        user.FailedSignInCount = 0;
        user.LockedUntil = null;
        user.UpdatedAt = time.GetUtcNow();
        var after = new { user.LoginName, Password = AuditTrail.SecretChanged, user.LockedUntil };
        audit.Record(db, "User", user.Id.ToString(), null, "password-reset", before, after);
        await db.SaveChangesAsync(cancellationToken);
        return UserDto.From(user, time.GetUtcNow());
    }
}
