using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Messages;
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

        var rows = await events
            .OrderBy(e => e.ReceivedAt)
            .Take(500)
            .Select(e => new
            {
                Event = e,
                Why = db.OrderActions.Where(a => a.InboundEventId == e.Id).OrderBy(a => a.Id)
                    .Select(a => new { a.Message, a.MessageKey, a.MessageArgs, a.FixHint, a.FixHintKey, a.FixHintArgs }).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);

        // The reason and hint in the reader's language (the panel's, or the API's Accept-Language).
        var language = MessageCatalog.CurrentLanguage;
        return rows.Select(r => new UnroutedEventDto(
                r.Event.Id, r.Event.CompanyId, r.Event.WebhookId, r.Event.EventType, r.Event.DotsOrderId, r.Event.DotsAddressId, r.Event.ReceivedAt,
                r.Why is null ? null : MessageCatalog.Render(r.Why.MessageKey, r.Why.MessageArgs, r.Why.Message, language),
                r.Why?.FixHint is null ? null : MessageCatalog.Render(r.Why.FixHintKey, r.Why.FixHintArgs, r.Why.FixHint, language)))
            .ToList();
    }
}
