using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Export;
using OrderHub.Domain.Inbound;
using OrderHub.Domain.Orders;

namespace OrderHub.Api.Retention;

/// <summary>What one retention pass did.</summary>
public sealed record RetentionResult(int OrderPayloadsPruned, int EventPayloadsPruned, int OrdersDeleted, int EventsDeleted);

/// <summary>
/// One retention pass: first empties raw payloads older than <see cref="RetentionOptions.RawPayloadAge"/>, then
/// deletes finished orders older than <see cref="RetentionOptions.HistoryAge"/> with everything that hangs off
/// them. Works in batches of <see cref="RetentionOptions.BatchSize"/>, each its own short statement or
/// transaction, so writers wait at most one batch.
/// </summary>
public sealed partial class RetentionRunner(
    OrderHubDbContext db,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionRunner> logger)
{
    private static readonly ExportState[] Finished = [ExportState.Exported, ExportState.Failed, ExportState.Cancelled];

    private readonly RetentionOptions _options = options.Value;

    public async Task<RetentionResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var payloadCutoff = now - _options.RawPayloadAge;
        var historyCutoff = now - _options.HistoryAge;
        var batch = _options.BatchSize;

        var orderPayloads = await RepeatAsync(async () =>
        {
            var ids = await db.Orders
                .Where(o => o.RawPayloadPrunedAt == null && o.ReceivedAt < payloadCutoff)
                .OrderBy(o => o.ReceivedAt).Select(o => o.Id).Take(batch).ToListAsync(cancellationToken);
            return ids.Count == 0 ? 0 : await db.Orders
                .Where(o => ids.Contains(o.Id) && o.RawPayloadPrunedAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(o => o.RawPayload, "").SetProperty(o => o.RawPayloadPrunedAt, now), cancellationToken);
        }, cancellationToken);

        var eventPayloads = await RepeatAsync(async () =>
        {
            var ids = await db.InboundEvents
                .Where(e => e.RawPayloadPrunedAt == null && e.RawPayload != null && e.ReceivedAt < payloadCutoff)
                .OrderBy(e => e.ReceivedAt).Select(e => e.Id).Take(batch).ToListAsync(cancellationToken);
            return ids.Count == 0 ? 0 : await db.InboundEvents
                .Where(e => ids.Contains(e.Id) && e.RawPayloadPrunedAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(e => e.RawPayload, "").SetProperty(e => e.RawPayloadPrunedAt, now), cancellationToken);
        }, cancellationToken);

        var ordersDeleted = await RepeatAsync(async () =>
        {
            var ids = await Deletable(historyCutoff).OrderBy(o => o.ReceivedAt).Select(o => o.Id).Take(batch).ToListAsync(cancellationToken);
            return ids.Count == 0 ? 0 : await DeleteOrdersAsync(ids, historyCutoff, cancellationToken);
        }, cancellationToken);

        // Events that never became (or no longer belong to) an order: unrouted, ignored, refused status events.
        var eventsDeleted = await RepeatAsync(async () =>
        {
            var ids = await db.InboundEvents
                .Where(e => e.OrderId == null && e.ReceivedAt < historyCutoff)
                .OrderBy(e => e.ReceivedAt).Select(e => e.Id).Take(batch).ToListAsync(cancellationToken);
            return ids.Count == 0 ? 0 : await InTransactionAsync(async () =>
            {
                await db.OrderActions.Where(a => a.InboundEventId != null && ids.Contains(a.InboundEventId.Value)).ExecuteDeleteAsync(cancellationToken);
                return await db.InboundEvents.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
            }, cancellationToken);
        }, cancellationToken);

        // Processed inbox rows hold no payload (the order or inbound event keeps it), only the webhook-id that
        // answers a redelivery 200: kept as long as payloads are. Received and parked rows are work: never deleted.
        var inboxDeleted = await RepeatAsync(async () =>
        {
            var ids = await db.InboxEvents
                .Where(e => e.State == InboxEventState.Processed && e.ReceivedAt < payloadCutoff)
                .OrderBy(e => e.ReceivedAt).Select(e => e.Id).Take(batch).ToListAsync(cancellationToken);
            return ids.Count == 0 ? 0 : await db.InboxEvents.Where(e => ids.Contains(e.Id) && e.State == InboxEventState.Processed).ExecuteDeleteAsync(cancellationToken);
        }, cancellationToken);

        var result = new RetentionResult(orderPayloads, eventPayloads, ordersDeleted, eventsDeleted);
        if (result != new RetentionResult(0, 0, 0, 0) || inboxDeleted > 0)
        {
            LogPass(logger, orderPayloads, eventPayloads, ordersDeleted, eventsDeleted, inboxDeleted);
        }

        return result;
    }

    /// <summary>
    /// Never work in flight: only finished orders, and none with an entry still pending in the queue (a cancel
    /// after export waits there). UpdatedAt too, so a recent re-drive keeps an old order.
    /// </summary>
    private IQueryable<Order> Deletable(DateTimeOffset historyCutoff) =>
        db.Orders.Where(o => o.ReceivedAt < historyCutoff && o.UpdatedAt < historyCutoff && Finished.Contains(o.ExportState)
                             && !db.ExportQueue.Any(q => q.OrderId == o.Id && q.State == ExportQueueState.Pending));

    private Task<int> DeleteOrdersAsync(List<Guid> selected, DateTimeOffset historyCutoff, CancellationToken cancellationToken) =>
        InTransactionAsync(async () =>
        {
            // Lock the selected orders first (a no-op update), then check them again: an operator's re-export
            // that came in since the selection either committed before (the order is skipped) or waits for us.
            await db.Orders.Where(o => selected.Contains(o.Id)).ExecuteUpdateAsync(set => set.SetProperty(o => o.UpdatedAt, o => o.UpdatedAt), cancellationToken);
            var ids = await Deletable(historyCutoff).Where(o => selected.Contains(o.Id)).Select(o => o.Id).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return 0;
            }

            // Children first, explicitly, so each statement is bounded by the batch and no cascade walks far.
            // Uncorrelated IN (subquery) forms: each is a set built once and probed through the child's index.
            var lines = db.Set<OrderLine>().Where(l => ids.Contains(l.OrderId)).Select(l => l.Id);
            await db.Set<OrderLineModifier>().Where(m => lines.Contains(m.OrderLineId)).ExecuteDeleteAsync(cancellationToken);
            await db.Set<OrderLine>().Where(l => ids.Contains(l.OrderId)).ExecuteDeleteAsync(cancellationToken);
            await db.Set<OrderPromotion>().Where(p => ids.Contains(p.OrderId)).ExecuteDeleteAsync(cancellationToken);
            await db.OrderActions.Where(a => a.OrderId != null && ids.Contains(a.OrderId.Value)).ExecuteDeleteAsync(cancellationToken);
            var events = db.InboundEvents.Where(e => e.OrderId != null && ids.Contains(e.OrderId.Value)).Select(e => (Guid?)e.Id);
            await db.OrderActions.Where(a => a.InboundEventId != null && events.Contains(a.InboundEventId)).ExecuteDeleteAsync(cancellationToken);
            await db.InboundEvents.Where(e => e.OrderId != null && ids.Contains(e.OrderId.Value)).ExecuteDeleteAsync(cancellationToken);
            await db.ExportQueue.Where(q => ids.Contains(q.OrderId)).ExecuteDeleteAsync(cancellationToken);

            return await db.Orders.Where(o => ids.Contains(o.Id)).ExecuteDeleteAsync(cancellationToken);
        }, cancellationToken);

    private async Task<int> InTransactionAsync(Func<Task<int>> work, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var count = await work();
            await transaction.CommitAsync(ct);
            return count;
        }, cancellationToken);
    }

    private static async Task<int> RepeatAsync(Func<Task<int>> batch, CancellationToken cancellationToken)
    {
        var total = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var done = await batch();
            if (done == 0)
            {
                break;
            }

            total += done;
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Retention: pruned {OrderPayloads} order payloads and {EventPayloads} event payloads, deleted {Orders} orders, {Events} events and {InboxEvents} processed inbox events")]
    private static partial void LogPass(ILogger logger, int orderPayloads, int eventPayloads, int orders, int events, int inboxEvents);
}
