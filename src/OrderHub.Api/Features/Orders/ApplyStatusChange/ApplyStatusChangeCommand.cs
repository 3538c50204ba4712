using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Dispatching;
using OrderHub.Api.Fiscalization;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.Export;
using OrderHub.Domain.History;
using OrderHub.Domain.Inbound;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Dots;

namespace OrderHub.Api.Features.Orders.ApplyStatusChange;

/// <summary>
/// Records <c>order.status_changed</c> or <c>order.cancelled</c>. Before export a cancel takes the order out of
/// the queue; after export neither reaches the POS (it has no update call), so the history warns support.
/// </summary>
public sealed record ApplyStatusChangeCommand(Company Company, string WebhookId, DotsEvent Event, string RawPayload)
    : IRequest<InboundOutcome>;

public sealed class ApplyStatusChangeHandler(OrderHubDbContext db, SaleReceipts receipts, TimeProvider time)
    : IRequestHandler<ApplyStatusChangeCommand, InboundOutcome>
{
    public async Task<InboundOutcome> Handle(ApplyStatusChangeCommand request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ApplyAsync(request, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // The dispatcher claimed the order's entry between our read and our write: read again, and the
                // order is now in flight.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<InboundOutcome> ApplyAsync(ApplyStatusChangeCommand request, CancellationToken cancellationToken)
    {
        var (company, change) = (request.Company, request.Event.StatusChange!);
        var isCancel = request.Event.EventType == DotsEventTypes.OrderCancelled;
        var dedupKey = InboundEvent.DedupKeyFor(request.Event.EventType, change.OrderId, isCancel ? null : change.Status);

        if (await FindKnownAsync(company.Id, request.WebhookId, dedupKey, cancellationToken) is { } known)
        {
            return known;
        }

        if (change.CompanyId is not null && change.CompanyId != company.DotsCompanyId)
        {
            throw OrderProblems.WrongCompany(change.CompanyId);
        }

        var order = await db.Orders.FirstOrDefaultAsync(o => o.CompanyId == company.Id && o.DotsOrderId == change.OrderId, cancellationToken);
        if (order is null)
        {
            // Its order.accepted has not been processed yet: the event waits in the inbox for it.
            return new InboundOutcome(InboundOutcomeKind.AwaitingOrder, Guid.Empty, null, null);
        }

        var now = time.GetUtcNow();
        var inbound = new InboundEvent
        {
            CompanyId = company.Id,
            WebhookId = request.WebhookId,
            DedupKey = dedupKey,
            EventType = request.Event.EventType,
            DotsOrderId = change.OrderId,
            DotsAddressId = change.CompanyAddressId,
            OrderId = order.Id,
            State = InboundEventState.Processed,
            OccurredAt = request.Event.OccurredAt,
            ReceivedAt = now,
            RawPayload = request.RawPayload,
        };
        db.InboundEvents.Add(inbound);

        var actor = change.ChangedBy is null ? "dots" : $"dots:{change.ChangedBy}";
        var previous = order.DotsStatus;
        order.DotsStatus = change.Status;
        order.UpdatedAt = now;
        if (isCancel && !string.IsNullOrWhiteSpace(change.Reason))
        {
            order.CancelReason = change.Reason.Trim() is { Length: > Persistence.Configurations.Limits.Name } longer ? longer[..(Persistence.Configurations.Limits.Name - 1)] + "…" : change.Reason.Trim();
        }
        db.Record(order, now, isCancel ? Actions.Cancelled : Actions.StatusChanged, ActionOutcome.Info,
            isCancel
                ? Msg.Of("dots.cancelled", ("reason", change.Reason is null ? "" : $": {change.Reason}"))
                : Msg.Of("dots.statusChanged", ("from", change.PreviousStatus ?? previous), ("to", change.Status)),
            actor);

        if (!isCancel && change.Paid == true && !order.Paid)
        {
            order.Paid = true;
            db.Record(order, now, Fiscalization.FiscalActions.MarkedPaid, ActionOutcome.Info,
                Msg.Of("dots.paid", ("paymentType", change.PaymentType is null ? "" : $" ({change.PaymentType})")), actor);
            await db.Entry(order).Collection(o => o.Lines).Query().Include(l => l.Modifiers).LoadAsync(cancellationToken);
            await db.Entry(order).Collection(o => o.Promotions).LoadAsync(cancellationToken);
            var point = await db.PickupPoints.AsNoTracking().FirstAsync(p => p.Id == order.PickupPointId, cancellationToken);
            await receipts.QueueSaleAsync(order, point, actor, now, null, change.PaymentType, null, null, cancellationToken);
        }

        if (isCancel)
        {
            await CancelAsync(order, now, cancellationToken);
        }
        else if (order.IsWithPos)
        {
            order.Problem = FailureReason.StatusChangedAfterExport;
            db.Record(order, now, Actions.StatusDrift, ActionOutcome.Warning,
                Msg.Of("dots.statusAfterExport", ("status", change.Status)),
                reason: FailureReason.StatusChangedAfterExport,
                fixHint: Msg.Of("hint.statusAfterExport"));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            return await FindKnownAsync(company.Id, request.WebhookId, dedupKey, cancellationToken)
                   ?? throw new InvalidOperationException("A unique key was violated but no matching event exists.", ex);
        }

        return new InboundOutcome(InboundOutcomeKind.Applied, inbound.Id, order.Id, order.ExportState);
    }

    private async Task CancelAsync(Order order, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entry = await db.ExportQueue.FirstOrDefaultAsync(e => e.OrderId == order.Id && e.Kind == ExportQueueKind.Create, cancellationToken);
        var inFlight = entry is { State: ExportQueueState.Pending, LeaseUntil: { } lease } && lease > now;
        if (!inFlight && order.TryCancelBeforeExport())
        {
            if (entry is { State: ExportQueueState.Pending })
            {
                entry.State = ExportQueueState.Cancelled;
                entry.UpdatedAt = now;
            }

            db.Record(order, now, Actions.ExportCancelled, ActionOutcome.Success,
                Msg.Of("export.cancelledBefore"));
            return;
        }

        if (order.ExportState == ExportState.Cancelled)
        {
            return;
        }

        if (inFlight)
        {
            // The attempt in flight decides: once it has delivered, the dispatcher routes the cancellation.
            db.Record(order, now, Actions.StatusDrift, ActionOutcome.Warning,
                Msg.Of("dots.cancelledInFlight"));
            return;
        }

        var integration = (await EffectivePosIntegrations.ForPointAsync(db, order.PickupPointId, cancellationToken))?.Integration;
        db.RouteCancellationAfterExport(order, integration, now);
    }

    private async Task<InboundOutcome?> FindKnownAsync(Guid companyId, string webhookId, string dedupKey, CancellationToken cancellationToken)
    {
        var known = await db.InboundEvents.AsNoTracking()
            .Where(e => e.CompanyId == companyId && (e.WebhookId == webhookId || e.DedupKey == dedupKey))
            .Select(e => new { e.Id, e.OrderId })
            .FirstOrDefaultAsync(cancellationToken);
        if (known is null)
        {
            return null;
        }

        var state = known.OrderId is null
            ? null
            : await db.Orders.Where(o => o.Id == known.OrderId).Select(o => (ExportState?)o.ExportState).FirstOrDefaultAsync(cancellationToken);
        return new InboundOutcome(InboundOutcomeKind.Duplicate, known.Id, known.OrderId, state);
    }
}
