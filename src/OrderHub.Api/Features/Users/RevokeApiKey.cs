using System.Security.Claims;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;

namespace OrderHub.Api.Features.Users;

/// <summary>Revokes a key: it stops working at once and stays listed as revoked.</summary>
public sealed record RevokeApiKeyCommand(Guid UserId, Guid KeyId, ClaimsPrincipal Caller) : IRequest<ApiKeyDto>;

public sealed class RevokeApiKeyHandler(OrderHubDbContext db, TimeProvider time) : IRequestHandler<RevokeApiKeyCommand, ApiKeyDto>
{
    public async Task<ApiKeyDto> Handle(RevokeApiKeyCommand request, CancellationToken cancellationToken)
    {
        var user = await ApiKeyRules.FindOwnerAsync(db, request.Caller, request.UserId, cancellationToken);
        var key = await db.UserApiKeys.FirstOrDefaultAsync(k => k.Id == request.KeyId && k.UserId == user.Id, cancellationToken)
                  ?? throw ProblemException.NotFound("API key", request.KeyId);
        if (key.RevokedAt is null)
        {
            key.RevokedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        return new ApiKeyDto(key.Id, key.UserId, key.Name, key.Prefix, key.CreatedAt, key.LastUsedAt, key.RevokedAt);
    }
}
