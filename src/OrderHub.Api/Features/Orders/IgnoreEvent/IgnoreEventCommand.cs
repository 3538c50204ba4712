using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.History;
using OrderHub.Domain.Inbound;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Dots;

namespace OrderHub.Api.Features.Orders.IgnoreEvent;

/// <summary>Keeps an event type this version does not act on, with a history note, so nothing is silently lost.</summary>
public sealed record IgnoreEventCommand(Company Company, string WebhookId, DotsEvent Event, string RawPayload) : IRequest<InboundOutcome>;

public sealed class IgnoreEventHandler(OrderHubDbContext db, TimeProvider time) : IRequestHandler<IgnoreEventCommand, InboundOutcome>
{
    public async Task<InboundOutcome> Handle(IgnoreEventCommand request, CancellationToken cancellationToken)
    {
        var company = request.Company;
        var dedupKey = InboundEvent.DedupKeyFor(request.Event.EventType, request.WebhookId, null);
        var known = await db.InboundEvents.AsNoTracking()
            .Where(e => e.CompanyId == company.Id && e.WebhookId == request.WebhookId)
            .Select(e => (Guid?)e.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (known is { } id)
        {
            return new InboundOutcome(InboundOutcomeKind.Duplicate, id, null, null);
        }

        var now = time.GetUtcNow();
        var inbound = new InboundEvent
        {
            CompanyId = company.Id,
            WebhookId = request.WebhookId,
            DedupKey = dedupKey,
            EventType = request.Event.EventType,
            State = InboundEventState.Ignored,
            OccurredAt = request.Event.OccurredAt,
            ReceivedAt = now,
            RawPayload = request.RawPayload,
        };
        db.InboundEvents.Add(inbound);
        db.RecordForEvent(company.Id, inbound.Id, now, Actions.EventIgnored, ActionOutcome.Info,
            Msg.Of("event.ignored", ("type", request.Event.EventType)),
            FailureReason.UnknownEventType,
            Msg.Of("hint.unknownEventType"));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            var existing = await db.InboundEvents.AsNoTracking()
                .FirstAsync(e => e.CompanyId == company.Id && e.WebhookId == request.WebhookId, cancellationToken);
            return new InboundOutcome(InboundOutcomeKind.Duplicate, existing.Id, null, null);
        }

        return new InboundOutcome(InboundOutcomeKind.Ignored, inbound.Id, null, null);
    }
}
