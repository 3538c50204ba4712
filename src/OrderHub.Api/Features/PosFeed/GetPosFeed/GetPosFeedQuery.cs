using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Api.Features.PosFeed.GetPosFeed;

/// <summary>
/// <c>GET /api/pos-feed/{integrationId}?after=&amp;limit=</c>: the integration's messages after a cursor, oldest
/// first, each signed now with the integration's secret. Without <c>after</c>, from the acknowledged position.
/// </summary>
public sealed record GetPosFeedQuery(Guid IntegrationId, string? Bearer, long? After, int? Limit) : IRequest<PosFeedPageDto>;

public sealed class GetPosFeedHandler(OrderHubDbContext db, SecretProtector protector, IOptions<PosFeedOptions> options, TimeProvider time)
    : IRequestHandler<GetPosFeedQuery, PosFeedPageDto>
{
    public async Task<PosFeedPageDto> Handle(GetPosFeedQuery request, CancellationToken cancellationToken)
    {
        if (request.After is < 0)
        {
            throw ProblemException.Invalid("after", Msg.Of("refusal.feed.after"));
        }

        if (request.Limit is < 1 or > PosFeedOptions.MaxLimit)
        {
            throw ProblemException.Invalid("limit", Msg.Of("refusal.between", ("min", 1), ("max", PosFeedOptions.MaxLimit)));
        }

        var key = await PosFeedAccess.EnsureAsync(db, protector, request.IntegrationId, request.Bearer, cancellationToken);
        var acked = await db.PosFeedPositions.AsNoTracking().Where(p => p.IntegrationId == request.IntegrationId)
            .Select(p => (long?)p.AckedSequence).FirstOrDefaultAsync(cancellationToken) ?? 0;
        var after = request.After ?? acked;
        var limit = request.Limit ?? options.Value.DefaultLimit;
        var now = time.GetUtcNow();

        // Rows younger than the settle time may still have a lower-numbered neighbour committing (several
        // instances write on PostgreSQL): they wait, so a cursor never steps over a message.
        var settled = now - options.Value.Settle;
        var rows = await db.PosFeedMessages.AsNoTracking()
            .Where(m => m.IntegrationId == request.IntegrationId && m.Sequence > after && m.CreatedAt <= settled)
            .OrderBy(m => m.Sequence)
            .Take(limit + 1)
            .ToListAsync(cancellationToken);
        var page = rows.Take(limit).ToList();

        var timestamp = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var unix = timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var messages = page.Select(m => new PosFeedMessageDto(
            m.Sequence, m.MessageId, unix, StandardWebhookSignature.Sign(key, m.MessageId, timestamp, System.Text.Encoding.UTF8.GetBytes(m.Body)), m.Type, m.Body)).ToList();
        return new PosFeedPageDto(messages, page.Count == 0 ? after : page[^1].Sequence, rows.Count > limit, acked);
    }
}
