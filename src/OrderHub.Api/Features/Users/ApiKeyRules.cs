using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Users;

namespace OrderHub.Api.Features.Users;

/// <summary>Who may manage a user's API keys: the user themself, or an admin.</summary>
internal static class ApiKeyRules
{
    public static async Task<User> FindOwnerAsync(OrderHubDbContext db, ClaimsPrincipal caller, Guid userId, CancellationToken cancellationToken)
    {
        // Anyone else's keys are 404, as if the user did not exist: a manager must not learn user ids this way.
        if (!caller.IsInRole(AccessScope.AdminRole) && caller.UserId() != userId)
        {
            throw ProblemException.NotFound("User", userId);
        }

        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken)
               ?? throw ProblemException.NotFound("User", userId);
    }
}
