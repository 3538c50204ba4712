using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Inbound;

namespace OrderHub.Api.Features.Orders.GetUnrouted;

/// <summary>An event kept because its pickup point was not configured.</summary>
public sealed record UnroutedEventDto(
    Guid Id,
    Guid CompanyId,
    string WebhookId,
    string EventType,
    string? DotsOrderId,
    string? DotsAddressId,
    DateTimeOffset ReceivedAt,
    string? Message,
    string? FixHint);

public sealed record GetUnroutedQuery(Guid? CompanyId) : IRequest<IReadOnlyList<UnroutedEventDto>>;

public sealed class GetUnroutedHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<GetUnroutedQuery, IReadOnlyList<UnroutedEventDto>>
{
    public async Task<IReadOnlyList<UnroutedEventDto>> Handle(GetUnroutedQuery request, CancellationToken cancellationToken)
    {
        var events = await access.FilterAsync(db.InboundEvents.AsNoTracking().Where(e => e.State == InboundEventState.Unrouted), e => e.CompanyId, cancellationToken);
        if (request.CompanyId is { } companyId)
        {
            events = events.Where(e => e.CompanyId == companyId);
        }

        return await events
            .OrderBy(e => e.ReceivedAt)
            .Take(500)
            .Select(e => new UnroutedEventDto(
                e.Id, e.CompanyId, e.WebhookId, e.EventType, e.DotsOrderId, e.DotsAddressId, e.ReceivedAt,
                db.OrderActions.Where(a => a.InboundEventId == e.Id).OrderBy(a => a.Id).Select(a => a.Message).FirstOrDefault(),
                db.OrderActions.Where(a => a.InboundEventId == e.Id).OrderBy(a => a.Id).Select(a => a.FixHint).FirstOrDefault()))
            .ToListAsync(cancellationToken);
    }
}
