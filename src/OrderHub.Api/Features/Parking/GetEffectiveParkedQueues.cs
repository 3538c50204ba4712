using MediatR;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Parking;

/// <summary>A point's queues: the company defaults (renamed where the point overrides them), then the point's own.</summary>
public sealed record GetEffectiveParkedQueuesQuery(Guid PickupPointId) : IRequest<IReadOnlyList<ParkedQueueDto>>;

public sealed class GetEffectiveParkedQueuesHandler(OrderHubDbContext db, AccessScope access)
    : IRequestHandler<GetEffectiveParkedQueuesQuery, IReadOnlyList<ParkedQueueDto>>
{
    public async Task<IReadOnlyList<ParkedQueueDto>> Handle(GetEffectiveParkedQueuesQuery request, CancellationToken cancellationToken)
    {
        var companyId = await access.EnsurePickupPointAsync(request.PickupPointId, cancellationToken);
        return await ParkingScope.EffectiveAsync(db, companyId, request.PickupPointId, cancellationToken);
    }
}
