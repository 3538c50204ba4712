using MediatR;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Users;

/// <summary>Ends a lockout after too many failed sign-ins.</summary>
public sealed record UnlockUserCommand(Guid Id) : IRequest<UserDto>;

public sealed class UnlockUserHandler(OrderHubDbContext db, AccessScope access, TimeProvider time, AuditTrail audit)
    : IRequestHandler<UnlockUserCommand, UserDto>
{
    public async Task<UserDto> Handle(UnlockUserCommand request, CancellationToken cancellationToken)
    {
        var user = await UserRules.FindVisibleAsync(db, access, request.Id, tracked: true, cancellationToken);
        var before = UserDto.AuditView(user);
        user.FailedSignInCount = 0;
        user.LockedUntil = null;
        user.UpdatedAt = time.GetUtcNow();
        audit.Record(db, "User", user.Id.ToString(), null, "unlocked", before, UserDto.AuditView(user));
        await db.SaveChangesAsync(cancellationToken);
        return UserDto.From(user, time.GetUtcNow());
    }
}
