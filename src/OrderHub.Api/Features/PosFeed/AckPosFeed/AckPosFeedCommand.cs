using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
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
            throw ProblemException.Invalid("cursor", Msg.Of("refusal.feed.cursor", ("latest", latest)));
        }

        var now = time.GetUtcNow();
        var (id, cursor) = (request.IntegrationId, request.Cursor);

        // Forward only, in one statement, so acks racing each other keep the furthest.
        if (await MoveForwardAsync(id, cursor, now, cancellationToken) == 0
            && !await db.PosFeedPositions.AnyAsync(p => p.IntegrationId == id, cancellationToken))
        {
            db.PosFeedPositions.Add(new PosFeedPosition { IntegrationId = id, AckedSequence = cursor, AckedAt = now });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (exception.IsUniqueViolation())
            {
                // Another first ack stored the row a moment ago: move it forward instead.
                db.ChangeTracker.Clear();
                await MoveForwardAsync(id, cursor, now, cancellationToken);
            }
        }

        return await sender.Send(new GetPosFeedStatus.GetPosFeedStatusQuery(request.IntegrationId), cancellationToken);
    }

    private Task<int> MoveForwardAsync(Guid id, long cursor, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.PosFeedPositions.Where(p => p.IntegrationId == id && p.AckedSequence < cursor)
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.AckedSequence, cursor).SetProperty(p => p.AckedAt, now), cancellationToken);
}
