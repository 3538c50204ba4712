using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Parking;

/// <summary>The queues stored at one scope (not merged).</summary>
public sealed record GetParkedQueuesQuery(Guid Id, bool IsPoint) : IRequest<IReadOnlyList<ParkedQueueDto>>;

public sealed class GetParkedQueuesHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<GetParkedQueuesQuery, IReadOnlyList<ParkedQueueDto>>
{
    public async Task<IReadOnlyList<ParkedQueueDto>> Handle(GetParkedQueuesQuery request, CancellationToken cancellationToken)
    {
        var (companyId, pointId) = await ParkingScope.ResolveAsync(db, access, request.Id, request.IsPoint, cancellationToken);
        var scopeId = pointId ?? companyId;
        return await db.ParkedQueues.AsNoTracking().Where(q => q.ScopeId == scopeId).OrderBy(q => q.Position)
            .Select(q => new ParkedQueueDto(q.Key, q.Name, request.IsPoint ? "point" : "company")).ToListAsync(cancellationToken);
    }
}
