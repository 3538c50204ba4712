using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;

namespace OrderHub.Api.Features.PosFeed.GetPosFeedStatus;

/// <summary>Where a webhook POS integration's receiver has acknowledged its feed up to, and how many messages it is behind.</summary>
public sealed record GetPosFeedStatusQuery(Guid IntegrationId) : IRequest<PosFeedStatusDto>;

public sealed class GetPosFeedStatusHandler(OrderHubDbContext db) : IRequestHandler<GetPosFeedStatusQuery, PosFeedStatusDto>
{
    public async Task<PosFeedStatusDto> Handle(GetPosFeedStatusQuery request, CancellationToken cancellationToken)
    {
        var id = request.IntegrationId;
        var position = await db.PosFeedPositions.AsNoTracking().FirstOrDefaultAsync(p => p.IntegrationId == id, cancellationToken);
        var acked = position?.AckedSequence ?? 0;
        var latest = await PosFeedAccess.LatestAsync(db, id, cancellationToken);
        var unacked = db.PosFeedMessages.Where(m => m.IntegrationId == id && m.Sequence > acked);
        var behind = await unacked.CountAsync(cancellationToken);
        var oldest = await unacked.OrderBy(m => m.Sequence).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        return new PosFeedStatusDto(id, acked, position?.AckedAt, latest, behind, oldest);
    }
}
