using MediatR;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Export;

namespace OrderHub.Api.Features.PosFeed.AckPosFeed;

/// <summary>
/// <c>POST /api/pos-feed/{integrationId}/ack</c>: the receiver stored every message up to the cursor. Kept in the
/// database (it survives restarts); it never moves back, and cannot pass the newest message.
/// </summary>
public sealed record AckPosFeedCommand(Guid IntegrationId, string? Bearer, long Cursor) : IRequest<PosFeedStatusDto>;

public sealed class AckPosFeedHandler(OrderHubDbContext db, SecretProtector protector, TimeProvider time, IMediator sender)
    : IRequestHandler<AckPosFeedCommand, PosFeedStatusDto>
{
    public async Task<PosFeedStatusDto> Handle(AckPosFeedCommand request, CancellationToken cancellationToken)
    {
        await PosFeedAccess.EnsureAsync(db, protector, request.IntegrationId, request.Bearer, cancellationToken);
        var latest = await PosFeedAccess.LatestAsync(db, request.IntegrationId, cancellationToken);
        if (request.Cursor < 0 || request.Cursor > latest)
        {
            throw ProblemException.Invalid("cursor", $"A cursor from this feed: between 0 and {latest}, its newest message.");
        }

        var now = time.GetUtcNow();
        var position = await db.PosFeedPositions.FindAsync([request.IntegrationId], cancellationToken);
        if (position is null)
        {
            db.PosFeedPositions.Add(new PosFeedPosition { IntegrationId = request.IntegrationId, AckedSequence = request.Cursor, AckedAt = now });
        }
        else if (request.Cursor > position.AckedSequence)
        {
            position.AckedSequence = request.Cursor;
            position.AckedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        return await sender.Send(new GetPosFeedStatus.GetPosFeedStatusQuery(request.IntegrationId), cancellationToken);
    }
}
