using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Export;
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
            // Never work in flight: only finished orders, and none with an entry still pending in the queue
            // (a cancel after export waits there). UpdatedAt too, so a recent re-drive keeps an old order.
            var ids = await db.Orders
                .Where(o => o.ReceivedAt < historyCutoff && o.UpdatedAt < historyCutoff && Finished.Contains(o.ExportState)
                            && !db.ExportQueue.Any(q => q.OrderId == o.Id && q.State == ExportQueueState.Pending))
                .OrderBy(o => o.ReceivedAt).Select(o => o.Id).Take(batch).ToListAsync(cancellationToken);
            return ids.Count == 0 ? 0 : await DeleteOrdersAsync(ids, cancellationToken);
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

        var result = new RetentionResult(orderPayloads, eventPayloads, ordersDeleted, eventsDeleted);
        if (result != new RetentionResult(0, 0, 0, 0))
        {
            LogPass(logger, orderPayloads, eventPayloads, ordersDeleted, eventsDeleted);
        }

        return result;
    }

    private Task<int> DeleteOrdersAsync(List<Guid> ids, CancellationToken cancellationToken) =>
        InTransactionAsync(async () =>
        {
            // Children first, explicitly, so each statement is bounded by the batch and no cascade walks far.
            await db.Set<OrderLineModifier>()
                .Where(m => db.Set<OrderLine>().Any(l => l.Id == m.OrderLineId && ids.Contains(l.OrderId)))
                .ExecuteDeleteAsync(cancellationToken);
            await db.Set<OrderLine>().Where(l => ids.Contains(l.OrderId)).ExecuteDeleteAsync(cancellationToken);
            await db.Set<OrderPromotion>().Where(p => ids.Contains(p.OrderId)).ExecuteDeleteAsync(cancellationToken);
            await db.OrderActions
                .Where(a => (a.OrderId != null && ids.Contains(a.OrderId.Value))
                            || (a.InboundEventId != null && db.InboundEvents.Any(e => e.Id == a.InboundEventId && e.OrderId != null && ids.Contains(e.OrderId.Value))))
                .ExecuteDeleteAsync(cancellationToken);
            await db.InboundEvents.Where(e => e.OrderId != null && ids.Contains(e.OrderId.Value)).ExecuteDeleteAsync(cancellationToken);
            await db.ExportQueue.Where(q => ids.Contains(q.OrderId)).ExecuteDeleteAsync(cancellationToken);

            // The state is checked again inside the transaction: an order re-queued since the selection stays.
            return await db.Orders.Where(o => ids.Contains(o.Id) && Finished.Contains(o.ExportState)).ExecuteDeleteAsync(cancellationToken);
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
        Message = "Retention: pruned {OrderPayloads} order payloads and {EventPayloads} event payloads, deleted {Orders} orders and {Events} events")]
    private static partial void LogPass(ILogger logger, int orderPayloads, int eventPayloads, int orders, int events);
}
