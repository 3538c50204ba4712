using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Persistence;
using OrderHub.Api.Processing;
using OrderHub.Api.Shared;
using OrderHub.Domain.Export;

namespace OrderHub.Api.Dispatching;

/// <summary>
/// The export queue on the processing engine: claims due entries with a lease (several instances may share one
/// database), reads each claimed batch's orders, points and integrations at once, makes one POS attempt per entry
/// (<see cref="ExportAttemptRunner"/>), a bounded number at once, claiming again as slots free up, and writes the
/// outcomes of attempts that finish together in one transaction (<see cref="ExportOutcomeWriter"/>).
/// </summary>
public sealed class ExportDispatcher(
    IServiceScopeFactory scopes,
    InstanceIdentity instance,
    QueueWake wake,
    IOptions<DispatcherOptions> options,
    TimeProvider time,
    ILogger<ExportDispatcher> logger)
    : LeasedQueue<ExportWork, ExportCompletion>(QueueName.Export, scopes, instance, wake, time, logger)
{
    protected override QueueSettings Settings { get; } = new()
    {
        Concurrency = options.Value.Concurrency,
        BatchSize = options.Value.BatchSize,
        LeaseDuration = options.Value.LeaseDuration,
        PollInterval = options.Value.PollInterval,
        DrainTimeout = options.Value.DrainTimeout,
        ContinuousClaims = true,
        ClaimLinger = options.Value.ClaimLinger,
    };

    /// <summary>How long a graceful stop waits for attempts in flight before abandoning them to their leases.</summary>
    public TimeSpan DrainTimeout => options.Value.DrainTimeout;

    protected override async Task<IReadOnlyList<ExportWork>> LoadAsync(OrderHubDbContext db, IReadOnlyList<Guid> ids, string token, CancellationToken cancellationToken)
    {
        var won = await db.ExportQueue.AsNoTracking()
            .Where(e => ids.Contains(e.Id) && e.LeaseOwner == token)
            .OrderBy(e => e.NextAttemptAt).ThenBy(e => e.CreatedAt)
            .ToListAsync(cancellationToken);
        return await LoadAsync(db, won.Select(e => new ExportClaim(e, token)).ToList());
    }

    protected override async Task<ExportCompletion?> AttemptAsync(ExportWork work, CancellationToken abandon)
    {
        await using var scope = Scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ExportAttemptRunner>().RunAsync(work, abandon);
    }

    protected override async Task WriteAsync(IReadOnlyList<ExportCompletion> outcomes)
    {
        await using var scope = Scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ExportOutcomeWriter>().WriteAsync(outcomes);
    }

    /// <summary>
    /// Reads what the claimed entries' attempts need, for the whole batch: the orders with their lines, the
    /// pickup points, their integrations, and for cancellations the create entries they refer to.
    /// </summary>
    private static async Task<IReadOnlyList<ExportWork>> LoadAsync(OrderHubDbContext db, IReadOnlyList<ExportClaim> claims)
    {
        if (claims.Count == 0)
        {
            return [];
        }

        // The claim is taken: from here on the reads run to the end, so the rows are not left leased for nothing.
        var orderIds = claims.Select(c => c.Entry.OrderId).Distinct().ToList();
        var pointIds = claims.Select(c => c.Entry.PickupPointId).Distinct().ToList();
        var orders = await db.Orders.AsNoTracking()
            .Include(o => o.Lines).ThenInclude(l => l.Modifiers).Include(o => o.Promotions)
            .AsSplitQuery()
            .Where(o => orderIds.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, CancellationToken.None);
        var points = await db.PickupPoints.AsNoTracking().Where(p => pointIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, CancellationToken.None);
        var integrations = (await EffectivePosIntegrations.ForPointsAsync(db, points.Values, CancellationToken.None))
            .ToDictionary(e => e.Key, e => e.Value.Integration);
        var cancelled = claims.Where(c => c.Entry.Kind == ExportQueueKind.Cancel).Select(c => c.Entry.OrderId).ToList();
        var creates = cancelled.Count == 0
            ? []
            : (await db.ExportQueue.AsNoTracking().Where(e => cancelled.Contains(e.OrderId) && e.Kind == ExportQueueKind.Create).ToListAsync(CancellationToken.None))
                .ToDictionary(e => e.OrderId);
        return claims.Where(c => orders.ContainsKey(c.Entry.OrderId) && points.ContainsKey(c.Entry.PickupPointId)).Select(c => new ExportWork(
            c,
            orders[c.Entry.OrderId],
            points[c.Entry.PickupPointId],
            integrations.GetValueOrDefault(c.Entry.PickupPointId),
            c.Entry.Kind == ExportQueueKind.Create ? c.Entry : creates[c.Entry.OrderId])).ToList();
    }
}
