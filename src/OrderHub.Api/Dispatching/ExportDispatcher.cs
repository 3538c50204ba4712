using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Features.Tenancy.PosIntegrations;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Export;

namespace OrderHub.Api.Dispatching;

/// <summary>
/// Claims due export entries with a lease (a conditional UPDATE: the same SQL on SQLite and PostgreSQL, and
/// safe with several instances on one database) and runs one attempt per claim, a bounded number at once.
/// Entries left leased by a crash are claimable again once the lease runs out; nothing is kept in memory
/// that the database does not also hold.
/// </summary>
public sealed partial class ExportDispatcher(
    IServiceScopeFactory scopes,
    DispatchSignal signal,
    IOptions<DispatcherOptions> options,
    TimeProvider time,
    ILogger<ExportDispatcher> logger) : BackgroundService
{
    private readonly DispatcherOptions _options = options.Value;
    private readonly string _owner = options.Value.InstanceId is { Length: > 0 } id ? id : DefaultInstanceId();
    private readonly CancellationTokenSource _abandon = new();
    private readonly List<Task> _running = [];
    private readonly Channel<PendingOutcome> _outcomes = Channel.CreateUnbounded<PendingOutcome>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>At most this many outcomes share one write transaction.</summary>
    private const int MaxWriteGroup = 128;

    /// <summary>How long a graceful stop waits for attempts in flight before abandoning them to their leases.</summary>
    public TimeSpan DrainTimeout => _options.DrainTimeout;

    /// <summary>Attempts in flight, claimed or handed off; a slot is given back once the attempt's outcome is stored.</summary>
    private readonly SemaphoreSlim _slots = new(options.Value.Concurrency, options.Value.Concurrency);

    /// <summary>Set while the dispatcher runs and takes hand-offs.</summary>
    private volatile bool _takingHandOffs;

    /// <summary>The claim loop waits for a slot for entries it claimed.</summary>
    private volatile bool _claimWaiting;

    /// <summary>
    /// Hands a new queue entry to this instance before it is committed, when a slot is free right now and the claim
    /// loop is not waiting for one (claimed entries are older and go first): the entry is written already leased to
    /// this instance (owner token, lease, attempt 1), so after the commit its attempt starts at once with the order
    /// the caller holds, without a claim round or a read.
    /// If this instance dies first, the lease runs out and any instance re-drives the entry like every other. Null
    /// otherwise (no free slot, claimed work waiting, not running, stopping): the entry is committed pending and claimed in turn.
    /// </summary>
    public ExportHandOff? TryHandOff(ExportQueueEntry entry, Domain.Tenancy.PosIntegration? integration)
    {
        // Only for a POS that deduplicates by itself (a webhook POS, by webhook-id). An entry handed off is stored
        // as attempted, so were this instance to die before the call, a Poster entry would have to be looked up at
        // Poster before it is sent; left pending, it is claimed as never attempted and needs no lookup.
        if (integration is not { Kind: Domain.Tenancy.PosKind.Webhook }
            || !_takingHandOffs || !_options.HandOff || _claimWaiting || entry.LeaseOwner is not null || !_slots.Wait(0))
        {
            return null;
        }

        var now = time.GetUtcNow();
        entry.LeaseOwner = NewClaimToken();
        entry.LeaseUntil = now + _options.LeaseDuration;
        entry.Attempts += 1;
        entry.FirstAttemptAt ??= now;
        entry.UpdatedAt = now;
        return new ExportHandOff(this, entry);
    }

    /// <summary>The entry is committed: run its attempt now, in the slot reserved for it.</summary>
    internal void StartHandOff(ExportQueueEntry entry, Domain.Orders.Order order, Domain.Tenancy.PickupPoint point, Domain.Tenancy.PosIntegration? integration)
    {
        if (!_takingHandOffs)
        {
            // Stopped meanwhile: the entry waits for its lease (or this instance's restart) like any claimed one.
            _slots.Release();
            return;
        }

        StartInSlot(new ExportWork(new ExportClaim(entry, entry.LeaseOwner!), order, point, integration, entry));
    }

    /// <summary>Runs one attempt in a slot already taken; the slot is given back when its outcome is stored.</summary>
    private void StartInSlot(ExportWork work) => Track(Task.Run(async () =>
    {
        try
        {
            await RunOneAsync(work);
        }
        finally
        {
            _slots.Release();
            signal.Notify();
        }
    }, CancellationToken.None));

    /// <summary>
    /// A slot for claimed work. While the claim loop waits for one, hand-offs stand back: claimed entries are older
    /// than the orders arriving now, and go first.
    /// </summary>
    private async Task WaitForSlotAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0))
        {
            return;
        }

        _claimWaiting = true;
        try
        {
            await _slots.WaitAsync(cancellationToken);
        }
        finally
        {
            _claimWaiting = false;
        }
    }

    /// <summary>The commit failed: the reserved slot is free again (were the entry stored after all, it waits for its lease).</summary>
    internal void CancelHandOff() => _slots.Release();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var slots = _slots;
        var writer = Task.Run(WriteOutcomesAsync, CancellationToken.None);
        try
        {
            await ReleaseOwnLeasesAsync(stoppingToken);
            _takingHandOffs = true;
            while (!stoppingToken.IsCancellationRequested)
            {
                // Hold one slot for the round, so a round always has room for its first entry.
                await WaitForSlotAsync(stoppingToken);
                IReadOnlyList<ExportWork> batch;
                try
                {
                    var wanted = Math.Min(slots.CurrentCount + 1, _options.BatchSize);
                    batch = await ClaimAsync(wanted, stoppingToken);
                }
                catch (Exception exception) when (exception is System.Data.Common.DbException or DbUpdateException or InvalidOperationException or TimeoutException)
                {
                    // The database is away for a moment: nothing is lost, the entries wait in it.
                    slots.Release();
                    LogClaimFailed(logger, exception);
                    await signal.WaitAsync(_options.PollInterval, stoppingToken);
                    continue;
                }

                if (batch.Count == 0)
                {
                    slots.Release();
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    var work = batch[i];
                    if (i > 0)
                    {
                        await WaitForSlotAsync(stoppingToken);
                    }

                    StartInSlot(work);
                }

                if (batch.Count == 0)
                {
                    await signal.WaitAsync(_options.PollInterval, stoppingToken);
                }

                // Unless the round was a full batch, let work and free slots gather for a moment: the next round then
                // claims, reads and writes several orders at once instead of one per freed slot. Real time: a pause
                // for throughput, not a schedule.
                if (batch.Count < _options.BatchSize && _options.ClaimLinger > TimeSpan.Zero)
                {
                    await Task.Delay(_options.ClaimLinger, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        _takingHandOffs = false;
        await DrainAsync();
        _outcomes.Writer.TryComplete();
        await writer;
    }

    /// <summary>One attempt; its slot is given back only once its outcome is written (or given up to the lease).</summary>
    private async Task RunOneAsync(ExportWork work)
    {
        try
        {
            ExportCompletion? completion;
            await using (var scope = scopes.CreateAsyncScope())
            {
                completion = await scope.ServiceProvider.GetRequiredService<ExportAttemptRunner>().RunAsync(work, _abandon.Token);
            }

            if (completion is null)
            {
                return;
            }

            var written = new PendingOutcome(completion);
            await _outcomes.Writer.WriteAsync(written, CancellationToken.None);
            await written.Written.Task;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The outcome could not be written (database away): the lease runs out and the entry is re-driven,
            // with a lookup first, so an order the POS already has is not sent twice.
            LogAttemptFailed(logger, exception, work.Entry.Id);
        }
    }

    /// <summary>
    /// Writes outcomes as they arrive, all that are waiting in one transaction; runs until the dispatcher has
    /// drained its attempts. A group the database refuses is written again one outcome at a time, so one bad
    /// row cannot hold back the others.
    /// </summary>
    private async Task WriteOutcomesAsync()
    {
        var group = new List<PendingOutcome>(MaxWriteGroup);
        while (await _outcomes.Reader.WaitToReadAsync(CancellationToken.None))
        {
            group.Clear();
            while (group.Count < MaxWriteGroup && _outcomes.Reader.TryRead(out var next))
            {
                group.Add(next);
            }

            try
            {
                await WriteGroupAsync(group);
                group.ForEach(p => p.Written.TrySetResult());
            }
            catch (Exception exception) when (exception is not OutOfMemoryException && group.Count > 1)
            {
                LogGroupFailed(logger, exception, group.Count);
                foreach (var one in group)
                {
                    try
                    {
                        await WriteGroupAsync([one]);
                        one.Written.TrySetResult();
                    }
                    catch (Exception single) when (single is not OutOfMemoryException)
                    {
                        one.Written.TrySetException(single);
                    }
                }
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                group.ForEach(p => p.Written.TrySetException(exception));
            }
        }
    }

    private async Task WriteGroupAsync(IReadOnlyList<PendingOutcome> group)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ExportOutcomeWriter>().WriteAsync(group.Select(p => p.Completion).ToList());
    }

    /// <summary>An outcome on its way to the writer, and the signal that it is in the database.</summary>
    private sealed record PendingOutcome(ExportCompletion Completion)
    {
        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Claims up to <paramref name="count"/> due entries, oldest due first, in one UPDATE that re-checks the lease
    /// condition row by row (PostgreSQL re-evaluates it after waiting for a row another claim locked; SQLite has
    /// one writer), so of two racing instances exactly one takes each row. The lease owner is this round's own
    /// token, which then reads back exactly the rows this round won.
    /// </summary>
    public async Task<IReadOnlyList<ExportWork>> ClaimAsync(int count, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var now = time.GetUtcNow();
        var candidates = await db.ExportQueue.AsNoTracking()
            .Where(e => e.State == ExportQueueState.Pending && e.NextAttemptAt <= now && (e.LeaseUntil == null || e.LeaseUntil < now))
            .OrderBy(e => e.NextAttemptAt).ThenBy(e => e.CreatedAt)
            .Select(e => e.Id)
            .Take(count)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return [];
        }

        var token = NewClaimToken();
        var leaseUntil = now + _options.LeaseDuration;
        int updated;
        using (await scope.ServiceProvider.GetRequiredService<WriteGate>().EnterAsync(background: true, cancellationToken))
        {
            updated = await db.ExportQueue
                .Where(e => candidates.Contains(e.Id) && e.State == ExportQueueState.Pending && e.NextAttemptAt <= now
                            && (e.LeaseUntil == null || e.LeaseUntil < now))
                .ExecuteUpdateAsync(set => set
                    // A lease that ran out with no outcome: that attempt may have reached the POS.
                    .SetProperty(e => e.MayHaveReachedPos, e => e.MayHaveReachedPos || e.LeaseOwner != null)
                    .SetProperty(e => e.LeaseUntil, leaseUntil)
                    .SetProperty(e => e.LeaseOwner, token)
                    .SetProperty(e => e.Attempts, e => e.Attempts + 1)
                    .SetProperty(e => e.FirstAttemptAt, e => e.FirstAttemptAt ?? now)
                    .SetProperty(e => e.UpdatedAt, now), cancellationToken);
        }

        if (updated == 0)
        {
            return [];
        }

        var won = await db.ExportQueue.AsNoTracking()
            .Where(e => e.LeaseOwner == token)
            .OrderBy(e => e.NextAttemptAt).ThenBy(e => e.CreatedAt)
            .ToListAsync(cancellationToken);
        return await LoadAsync(db, won.Select(e => new ExportClaim(e, token)).ToList());
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

    /// <summary>Owner (at most 40 characters) + "/" + 16 hex digits: fits LeaseOwner's 64.</summary>
    private string NewClaimToken() => $"{_owner}/{Guid.NewGuid():N}"[..(_owner.Length + 17)];

    /// <summary>With a stable instance id, entries this instance held when it died are free again at once.</summary>
    private async Task ReleaseOwnLeasesAsync(CancellationToken cancellationToken)
    {
        if (_options.InstanceId is not { Length: > 0 })
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var released = await db.ExportQueue
            .Where(e => e.LeaseOwner != null && e.LeaseOwner.StartsWith(_owner + "/") && e.State == ExportQueueState.Pending)
            .ExecuteUpdateAsync(set => set
                .SetProperty(e => e.MayHaveReachedPos, true)
                .SetProperty(e => e.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(e => e.LeaseOwner, (string?)null), cancellationToken);
        if (released > 0)
        {
            LogReleased(logger, released, _owner);
        }
    }

    private void Track(Task task)
    {
        lock (_running)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(task);
        }
    }

    private async Task DrainAsync()
    {
        Task[] running;
        lock (_running)
        {
            running = [.. _running.Where(t => !t.IsCompleted)];
        }

        if (running.Length == 0)
        {
            return;
        }

        var all = Task.WhenAll(running);
        if (await Task.WhenAny(all, Task.Delay(_options.DrainTimeout)) != all)
        {
            await _abandon.CancelAsync();
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }

    /// <summary>Machine and process, kept to the last 40 characters like a configured instance id.</summary>
    private static string DefaultInstanceId()
    {
        var id = $"{Environment.MachineName}:{Environment.ProcessId}";
        return id.Length <= 40 ? id : id[^40..];
    }

    public override void Dispose()
    {
        _abandon.Dispose();
        _slots.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not claim export entries; trying again shortly")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Export attempt for entry {EntryId} failed before its outcome was written; it is re-driven after its lease")]
    private static partial void LogAttemptFailed(ILogger logger, Exception exception, Guid entryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} export outcomes together failed; writing them one by one")]
    private static partial void LogGroupFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Count} export entries still leased by this instance ({Owner}) from before its restart")]
    private static partial void LogReleased(ILogger logger, int count, string owner);
}

/// <summary>A slot reserved for a new entry's attempt (<see cref="ExportDispatcher.TryHandOff"/>): start it after the commit, or cancel it.</summary>
public sealed class ExportHandOff(ExportDispatcher dispatcher, ExportQueueEntry entry)
{
    private int _done;

    public void Start(Domain.Orders.Order order, Domain.Tenancy.PickupPoint point, Domain.Tenancy.PosIntegration? integration)
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            dispatcher.StartHandOff(entry, order, point, integration);
        }
    }

    public void Cancel()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            dispatcher.CancelHandOff();
        }
    }
}
