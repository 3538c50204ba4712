using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Orders.ResolveOrder;
using OrderHub.Api.Fiscalization;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.History;
using OrderHub.Domain.Inbound;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Dots;

namespace OrderHub.Api.Features.Orders.AcceptOrder;

/// <summary>Stores an order accepted in Dots, resolves it and queues or parks it — once, however often it arrives.</summary>
/// <param name="ReplayedBy">Set when an operator replays an unrouted event: the actor.</param>
public sealed record AcceptOrderCommand(Company Company, string WebhookId, DotsEvent Event, string RawPayload, string? ReplayedBy = null, DateTimeOffset? ReceivedAt = null)
    : IRequest<InboundOutcome>;

public sealed partial class AcceptOrderHandler(
    OrderHubDbContext db,
    ReadAhead readAhead,
    IMediator mediator,
    SaleReceipts receipts,
    TimeProvider time,
    ILogger<AcceptOrderHandler> logger)
    : IRequestHandler<AcceptOrderCommand, InboundOutcome>
{
    public async Task<InboundOutcome> Handle(AcceptOrderCommand request, CancellationToken cancellationToken)
    {
        var (company, dots) = (request.Company, request.Event.Order!);
        var dedupKey = InboundEvent.DedupKeyFor(DotsEventTypes.OrderAccepted, dots.Id, null);

        var known = await FindKnownAsync(company.Id, request.WebhookId, dedupKey, dots.Id, cancellationToken);
        if (known is not null && known.Kind != InboundOutcomeKind.Unrouted)
        {
            return known;
        }

        OrderProblems.EnsureAcceptable(request.Event, company.DotsCompanyId);
        var difference = Math.Abs(dots.ComputedTotal - dots.Total);

        var now = time.GetUtcNow();
        var point = readAhead.TryGetPoint(company.Id, dots.CompanyAddressId, out var readPoint)
            ? readPoint
            : await db.PickupPoints.AsNoTracking()
                .FirstOrDefaultAsync(p => p.CompanyId == company.Id && p.DotsAddressId == dots.CompanyAddressId, cancellationToken);
        var inbound = known is null ? null : await db.InboundEvents.FirstAsync(e => e.Id == known.EventId, cancellationToken);
        if (point is null)
        {
            return inbound is not null
                ? known!
                : await SaveUnroutedAsync(company, request, dedupKey, now, cancellationToken);
        }

        var order = OrderFactory.Create(company.Id, point.Id, dots, request.Event.OccurredAt, request.RawPayload, now);
        // Received when the inbox stored it, not when it was processed: orders keep their arrival order downstream
        // (the export queue is served oldest first), however the inbox's rounds interleave them.
        order.ReceivedAt = request.ReceivedAt is { } storedAt && storedAt < now ? storedAt : now;
        db.Orders.Add(order);
        if (inbound is null)
        {
            inbound = new InboundEvent
            {
                CompanyId = company.Id,
                WebhookId = request.WebhookId,
                DedupKey = dedupKey,
                EventType = DotsEventTypes.OrderAccepted,
                DotsOrderId = dots.Id,
                DotsAddressId = dots.CompanyAddressId,
                OccurredAt = request.Event.OccurredAt,
                ReceivedAt = now,
            };
            db.InboundEvents.Add(inbound);
        }
        else
        {
            // Kept while its pickup point was unknown; the raw payload now lives on the order.
            db.RecordForEvent(company.Id, inbound.Id, now, Actions.EventReplayed, ActionOutcome.Success,
                Msg.Of("event.replayed", ("point", point.Name)));
            inbound.RawPayload = null;
        }

        inbound.State = request.ReplayedBy is null ? InboundEventState.Processed : InboundEventState.Replayed;
        inbound.OrderId = order.Id;

        var dotsActor = dots.AcceptedBy is null ? "dots" : $"dots:{dots.AcceptedBy}";
        db.Record(order, now, Actions.OrderReceived, ActionOutcome.Success,
            Msg.Of("order.received", ("number", dots.Number), ("point", point.Name), ("items", dots.Items.Count), ("total", dots.Total), ("currency", dots.Currency)),
            dotsActor, details: new { webhookId = request.WebhookId, replayedBy = request.ReplayedBy });
        if (difference > 0)
        {
            db.Record(order, now, Actions.TotalMismatch, ActionOutcome.Warning,
                Msg.Of("order.totalMismatch", ("total", dots.Total), ("difference", difference)),
                reason: FailureReason.TotalMismatch,
                fixHint: Msg.Of("hint.totalMismatch"));
        }

        await mediator.Send(new ResolveOrderCommand(order, point, OrderAction.SystemActor, ManualExport: false), cancellationToken);

        // Paid online: its sale receipt is queued with the order, in the same transaction.
        if (order.Paid)
        {
            await receipts.QueueSaleAsync(order, point, OrderAction.SystemActor, now, null, null, null, null, cancellationToken);
        }

        try
        {
            // The queue entries (export, receipt) are committed with the order; the commit wakes their queues.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Another copy committed first: answer with what it stored, do nothing new.
            LogLostRace(logger, request.WebhookId, dots.Number);
            db.ChangeTracker.Clear();
            return await FindKnownAsync(company.Id, request.WebhookId, dedupKey, dots.Id, cancellationToken)
                   ?? throw new InvalidOperationException("A unique key was violated but no matching event or order exists.", ex);
        }

        return new InboundOutcome(InboundOutcomeKind.Applied, inbound.Id, order.Id, order.ExportState);
    }

    private async Task<InboundOutcome> SaveUnroutedAsync(
        Company company, AcceptOrderCommand request, string dedupKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dots = request.Event.Order!;
        var inbound = new InboundEvent
        {
            CompanyId = company.Id,
            WebhookId = request.WebhookId,
            DedupKey = dedupKey,
            EventType = request.Event.EventType,
            DotsOrderId = dots.Id,
            DotsAddressId = dots.CompanyAddressId,
            State = InboundEventState.Unrouted,
            OccurredAt = request.Event.OccurredAt,
            ReceivedAt = now,
            RawPayload = request.RawPayload,
        };
        db.InboundEvents.Add(inbound);
        db.RecordForEvent(company.Id, inbound.Id, now, Actions.EventUnrouted, ActionOutcome.Failure,
            Msg.Of("event.unrouted", ("number", dots.Number), ("address", dots.CompanyAddressId), ("company", company.Name)),
            FailureReason.UnknownPickupPoint,
            Msg.Of("hint.addPickupPoint", ("address", dots.CompanyAddressId), ("company", company.Name)));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            return await FindKnownAsync(company.Id, request.WebhookId, dedupKey, dots.Id, cancellationToken)
                   ?? throw new InvalidOperationException("A unique key was violated but no matching event exists.", ex);
        }

        return new InboundOutcome(InboundOutcomeKind.Unrouted, inbound.Id, null, null);
    }

    /// <summary>The earlier handling of this event, by webhook-id, by meaning, or by the order it created.</summary>
    private async Task<InboundOutcome?> FindKnownAsync(
        Guid companyId, string webhookId, string dedupKey, string dotsOrderId, CancellationToken cancellationToken)
    {
        if (readAhead.IsNotStored(companyId, webhookId, dedupKey))
        {
            return null;
        }

        var known = await db.InboundEvents.AsNoTracking()
            .Where(e => e.CompanyId == companyId && (e.WebhookId == webhookId || e.DedupKey == dedupKey))
            .Select(e => new { e.Id, e.State, e.OrderId })
            .FirstOrDefaultAsync(cancellationToken);
        if (known is null)
        {
            // Every order is created together with the event that accepted it (same dedup key, kept as long as the
            // order): no event, no order. A new order, the common case, costs one query here.
            return null;
        }

        var order = await db.Orders.AsNoTracking()
            .Where(o => o.CompanyId == companyId && o.DotsOrderId == dotsOrderId)
            .Select(o => new { o.Id, o.ExportState })
            .FirstOrDefaultAsync(cancellationToken);

        if (order is not null)
        {
            return new InboundOutcome(InboundOutcomeKind.Duplicate, known?.Id ?? Guid.Empty, order.Id, order.ExportState);
        }

        return known switch
        {
            { State: InboundEventState.Unrouted } => new InboundOutcome(InboundOutcomeKind.Unrouted, known.Id, null, null),
            _ => new InboundOutcome(InboundOutcomeKind.Duplicate, known.Id, known.OrderId, null),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A concurrent copy of webhook {WebhookId} (order {Number}) was stored first; answering with it")]
    private static partial void LogLostRace(ILogger logger, string webhookId, string number);
}
