using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OrderHub.Api.Fiscalization;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.Alerts;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.History;
using OrderHub.Domain.Inbound;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Alerts;

/// <summary>
/// Turns the history rows a save adds into alert outbox rows in the same save: every feature already records
/// what went wrong as a history row with a reason and a hint, so alerts need no call in any handler, and an alert
/// commits exactly when its cause does. Only a save that adds an alerting row pays for a lookup of the chats.
/// </summary>
public sealed class AlertInterceptor(AlertWriter writer) : SaveChangesInterceptor
{
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is OrderHubDbContext db)
        {
            await AddAlertsAsync(db, cancellationToken);
        }

        return await base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        // Every writer in OrderHub saves asynchronously; a synchronous save (a tool, a test) raises no alerts.
        return base.SavingChanges(eventData, result);
    }

    /// <summary>Which alert a history row raises, if any.</summary>
    public static AlertKinds KindOf(OrderAction row) => row.Action switch
    {
        Actions.ExportAttempt when row.Outcome == ActionOutcome.Failure => AlertKinds.ExportFailed,
        Actions.CancelAttempt when row.Outcome == ActionOutcome.Failure => AlertKinds.ChangedAfterExport,
        Actions.MappingMissing => AlertKinds.NeedsMapping,
        Actions.RegisterActionNeeded => AlertKinds.ChangedAfterExport,
        Actions.StatusDrift when row.Reason == FailureReason.StatusChangedAfterExport => AlertKinds.ChangedAfterExport,
        Actions.EventUnrouted => AlertKinds.UnroutedEvent,
        FiscalActions.Attempt when row.Outcome == ActionOutcome.Failure => AlertKinds.FiscalReceiptFailed,
        FiscalActions.RefundIssued => AlertKinds.RefundIssued,
        _ => AlertKinds.None,
    };

    private async Task AddAlertsAsync(OrderHubDbContext db, CancellationToken cancellationToken)
    {
        // History rows are only ever added, and an Add is tracked at once: no need for a DetectChanges pass here
        // (SaveChanges runs its own), which would cost every save of the intake path.
        List<OrderAction> rows;
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            rows = db.ChangeTracker.Entries<OrderAction>()
                .Where(e => e.State == EntityState.Added)
                .Select(e => e.Entity)
                .Where(r => KindOf(r) != AlertKinds.None)
                .ToList();
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }

        if (rows.Count == 0)
        {
            return;
        }

        // Several missing items of one order make one "needs mapping" alert.
        foreach (var group in rows.GroupBy(r => (r.CompanyId, r.OrderId, r.InboundEventId, Kind: KindOf(r))))
        {
            var kind = group.Key.Kind;
            if (group.Key.OrderId is { } orderId)
            {
                var order = await OrderInfoAsync(db, orderId, cancellationToken);
                // A test order (issue 18) is watched by whoever sent it, in the answer and the panel: the owners hear nothing.
                if (order is null || order.IsTest)
                {
                    continue;
                }

                var point = await PointNameAsync(db, order.PickupPointId, cancellationToken);
                var receipt = kind is AlertKinds.FiscalReceiptFailed or AlertKinds.RefundIssued ? ReceiptOf(db, orderId, group.First()) : null;
                var link = writer.OrderLink(orderId);
                await writer.AddAsync(db, group.Key.CompanyId, order.PickupPointId, kind, l => AlertTexts.ForOrder(l, kind, order, point, [.. group], link, receipt), cancellationToken);
            }
            else if (kind == AlertKinds.UnroutedEvent)
            {
                var inbound = db.ChangeTracker.Entries<InboundEvent>().Select(e => e.Entity).FirstOrDefault(e => e.Id == group.Key.InboundEventId);
                var company = await db.Companies.AsNoTracking().Where(c => c.Id == group.Key.CompanyId).Select(c => c.Name).FirstOrDefaultAsync(cancellationToken) ?? "";
                await writer.AddAsync(db, group.Key.CompanyId, null, kind, l => AlertTexts.Unrouted(l, company, inbound, group.First()), cancellationToken);
            }
        }
    }

    /// <summary>The receipt a fiscal history row speaks of: the fiscal worker saves it with the row, and the row's message names its id.</summary>
    private static FiscalReceipt? ReceiptOf(OrderHubDbContext db, Guid orderId, OrderAction row)
    {
        var receipts = db.ChangeTracker.Entries<FiscalReceipt>().Select(e => e.Entity).Where(r => r.OrderId == orderId).ToList();
        return receipts.FirstOrDefault(r => row.Message.Contains(r.Id.ToString(), StringComparison.OrdinalIgnoreCase))
               ?? (receipts.Count == 1 ? receipts[0] : null);
    }

    private static async Task<OrderInfo?> OrderInfoAsync(OrderHubDbContext db, Guid orderId, CancellationToken cancellationToken)
    {
        var tracked = db.ChangeTracker.Entries<Order>().Select(e => e.Entity).FirstOrDefault(o => o.Id == orderId);
        if (tracked is not null)
        {
            return new OrderInfo(tracked.Id, tracked.PickupPointId, tracked.Number, tracked.Total, tracked.DotsStatus, tracked.IsTest);
        }

        return await db.Orders.AsNoTracking().Where(o => o.Id == orderId)
            .Select(o => new OrderInfo(o.Id, o.PickupPointId, o.Number, o.Total, o.DotsStatus, o.IsTest))
            .FirstOrDefaultAsync(cancellationToken);
    }

    private static async Task<string> PointNameAsync(OrderHubDbContext db, Guid pointId, CancellationToken cancellationToken) =>
        db.ChangeTracker.Entries<PickupPoint>().Select(e => e.Entity).FirstOrDefault(p => p.Id == pointId)?.Name
        ?? await db.PickupPoints.AsNoTracking().Where(p => p.Id == pointId).Select(p => p.Name).FirstOrDefaultAsync(cancellationToken)
        ?? "";
}

public sealed record OrderInfo(Guid Id, Guid PickupPointId, string Number, decimal Total, string DotsStatus, bool IsTest = false);
