using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.Export;
using OrderHub.Domain.History;
using OrderHub.Domain.Mappings;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Features.Orders.ResolveOrder;

/// <summary>
/// Resolves every external id of a tracked order for its pickup point and moves it on: NeedsMapping,
/// AwaitingExport or Queued (with its queue entry). Adds to the caller's unit of work; the caller saves, so the
/// order, its history and its queue entry commit together.
/// </summary>
/// <param name="ManualExport">An operator asked for the export: queue regardless of the auto-sync flag.</param>
public sealed record ResolveOrderCommand(Order Order, PickupPoint PickupPoint, string Actor, bool ManualExport)
    : IRequest<ResolveOrderResult>;

public sealed record ResolveOrderResult(ExportState State, IReadOnlyList<MissingExternalId> Missing, FailureReason? Refusal)
{
    /// <summary>The queue entry this resolve added (not yet saved); <see cref="Integration"/> is the integration it targets.</summary>
    public ExportQueueEntry? NewEntry { get; init; }

    public PosIntegration? Integration { get; init; }
}

public sealed class ResolveOrderHandler(OrderHubDbContext db, ReadAhead readAhead, TimeProvider time, Shadow.ShadowExport shadow) : IRequestHandler<ResolveOrderCommand, ResolveOrderResult>
{
    public async Task<ResolveOrderResult> Handle(ResolveOrderCommand request, CancellationToken cancellationToken)
    {
        var (order, point) = (request.Order, request.PickupPoint);
        var now = time.GetUtcNow();
        var dotsIds = order.Lines.SelectMany(l => l.Modifiers.Select(m => m.DotsModifierId).Append(l.DotsProductId))
            .Concat(order.Lines.Where(l => l.DotsVariantId is not null).Select(l => l.DotsVariantId!))
            .Concat(order.Promotions.Select(p => p.DotsPromotionId))
            .Distinct()
            .ToList();
        var mappings = readAhead.Mappings(order.CompanyId, point.Id, dotsIds)
            ?? await db.ExternalIds.AsNoTracking()
                .Where(m => m.CompanyId == order.CompanyId
                            && (m.PickupPointId == null || m.PickupPointId == point.Id)
                            && dotsIds.Contains(m.DotsId))
                .ToListAsync(cancellationToken);

        var missing = order.ResolveExternalIds(new ExternalIdResolver(mappings, point.Id, point.UseCompanyDefaults));
        if (missing.Count > 0)
        {
            order.MarkNeedsMapping();
            order.UpdatedAt = now;
            foreach (var item in missing)
            {
                var kind = Msg.Term("term.kind." + item.Kind.ToString().ToLowerInvariant());
                var args = new (string, object?)[] { ("kind", kind), ("name", item.Name), ("dotsId", item.DotsId), ("point", point.Name) };
                db.Record(order, now, Actions.MappingMissing, ActionOutcome.Failure, Msg.Of("mapping.missing", args),
                    request.Actor, FailureReason.MissingExternalId, Msg.Of("hint.addExternalId", args),
                    new { kind = item.Kind, dotsId = item.DotsId, pickupPointId = point.Id });
            }

            return new ResolveOrderResult(order.ExportState, missing, FailureReason.MissingExternalId);
        }

        db.Record(order, now, Actions.OrderResolved, ActionOutcome.Success,
            Msg.Of("order.resolved", ("count", dotsIds.Count), ("point", point.Name)), request.Actor,
            details: new { lines = order.Lines.Count, modifiers = order.Lines.Sum(l => l.Modifiers.Count), promotions = order.Promotions.Count });

        var integration = (readAhead.TryGetIntegrations(point, out var own, out var companyDefault)
            ? EffectivePosIntegrations.Merge(own, companyDefault, point.Id)
            : await EffectivePosIntegrations.ForPointAsync(db, point, cancellationToken))?.Integration;
        var refusal = integration switch
        {
            null => FailureReason.NoPosIntegration,
            { Enabled: false } => FailureReason.PosIntegrationDisabled,
            _ => (FailureReason?)null,
        };

        // Shadow mode (issue 18): build and check the request, keep it as "would have sent", send nothing.
        if (refusal is null && integration!.Mode == PosMode.Shadow)
        {
            await shadow.RecordAsync(order, point, integration, now, request.Actor, cancellationToken);
            return new ResolveOrderResult(order.ExportState, [], null) { Integration = integration };
        }

        if (refusal is null && (request.ManualExport || integration!.AutoSyncOnAcceptance))
        {
            var added = await QueueAsync(order, point, now, request.Actor, cancellationToken);
            return new ResolveOrderResult(order.ExportState, [], null) { NewEntry = added, Integration = integration };
        }

        order.MarkAwaitingExport();
        order.UpdatedAt = now;
        switch (refusal)
        {
            case FailureReason.NoPosIntegration:
                db.Record(order, now, request.ManualExport ? Actions.ExportRefused : Actions.ExportAwaiting, ActionOutcome.Warning,
                    Msg.Of("export.noPos", ("point", point.Name)), request.Actor,
                    FailureReason.NoPosIntegration, Msg.Of("hint.setUpPos", ("point", point.Name)));
                break;
            case FailureReason.PosIntegrationDisabled:
                db.Record(order, now, request.ManualExport ? Actions.ExportRefused : Actions.ExportAwaiting, ActionOutcome.Warning,
                    Msg.Of("export.posDisabled", ("point", point.Name)).With("why", PosDisabledReasons.Why(integration!.DisabledReason)),
                    request.Actor, FailureReason.PosIntegrationDisabled, Msg.Of("hint.enablePos", ("point", point.Name)));
                break;
            default:
                db.Record(order, now, Actions.ExportAwaiting, ActionOutcome.Info,
                    Msg.Of("export.awaitingManual", ("point", point.Name)),
                    request.Actor);
                break;
        }

        return new ResolveOrderResult(order.ExportState, [], refusal);
    }

    private async Task<ExportQueueEntry?> QueueAsync(Order order, PickupPoint point, DateTimeOffset now, string actor, CancellationToken cancellationToken)
    {
        order.MarkQueued();
        order.UpdatedAt = now;
        // A new order has no entry yet: no need to ask the database.
        var entry = db.Entry(order).State == EntityState.Added
            ? null
            : await db.ExportQueue.FirstOrDefaultAsync(e => e.OrderId == order.Id && e.Kind == ExportQueueKind.Create, cancellationToken);
        ExportQueueEntry? added = null;
        if (entry is null)
        {
            // Due (and ordered) from when the order was received, so a backlog drains oldest first.
            var since = order.ReceivedAt < now ? order.ReceivedAt : now;

            // Held pre-orders (issue 18): due at delivery time minus the point's preparation minutes; the entry's
            // age (the dispatcher's maximum age) counts from then.
            var heldUntil = HeldPreOrders.HoldUntil(point, order, now);
            added = new ExportQueueEntry
            {
                OrderId = order.Id,
                PickupPointId = point.Id,
                NextAttemptAt = heldUntil ?? since,
                CreatedAt = heldUntil ?? since,
                UpdatedAt = now,
                HeldUntil = heldUntil,
            };
            db.ExportQueue.Add(added);
            if (heldUntil is { } held)
            {
                db.Record(order, now, Actions.ExportHeld, ActionOutcome.Info,
                    Msg.Of("export.held", ("time", HeldPreOrders.LocalTime(held, point.TimeZone)), ("minutes", point.PreparationMinutes), ("point", point.Name)), actor,
                    details: new { heldUntil = held, deliveryTime = order.DeliveryTime, preparationMinutes = point.PreparationMinutes });
            }
        }
        else
        {
            entry.Reopen(now);
        }

        db.Record(order, now, Actions.ExportQueued, ActionOutcome.Success,
            Msg.Of("export.queued", ("point", point.Name)), actor);
        return added;
    }
}
