using System.Security.Claims;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;

namespace OrderHub.Api.Features.Users;

public sealed record GetApiKeysQuery(Guid UserId, ClaimsPrincipal Caller) : IRequest<IReadOnlyList<ApiKeyDto>>;

public sealed class GetApiKeysHandler(OrderHubDbContext db) : IRequestHandler<GetApiKeysQuery, IReadOnlyList<ApiKeyDto>>
{
    public async Task<IReadOnlyList<ApiKeyDto>> Handle(GetApiKeysQuery request, CancellationToken cancellationToken)
    {
        var user = await ApiKeyRules.FindOwnerAsync(db, request.Caller, request.UserId, cancellationToken);
        var keys = await db.UserApiKeys.AsNoTracking().Where(k => k.UserId == user.Id).ToListAsync(cancellationToken);
        return keys.OrderBy(k => k.CreatedAt).Select(k => new ApiKeyDto(k.Id, k.UserId, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt)).ToList();
    }
}
