using MediatR;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Users;

namespace OrderHub.Api.Features.Users;

/// <summary>Ends every panel session of the user (a lost laptop, a copied cookie): the security stamp changes.</summary>
public sealed record SignOutEverywhereCommand(Guid Id) : IRequest<UserDto>;

public sealed class SignOutEverywhereHandler(OrderHubDbContext db, AccessScope access, TimeProvider time, AuditTrail audit)
    : IRequestHandler<SignOutEverywhereCommand, UserDto>
{
    public async Task<UserDto> Handle(SignOutEverywhereCommand request, CancellationToken cancellationToken)
    {
        var user = await UserRules.FindVisibleAsync(db, access, request.Id, tracked: true, cancellationToken);
        user.SecurityStamp = User.NewSecurityStamp();
        user.UpdatedAt = time.GetUtcNow();
        audit.Record(db, "User", user.Id.ToString(), null, "signed-out-everywhere", null, new { user.LoginName });
        await db.SaveChangesAsync(cancellationToken);
        return UserDto.From(user, time.GetUtcNow());
    }
}
