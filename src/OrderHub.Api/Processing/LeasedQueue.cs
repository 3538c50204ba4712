using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;

namespace OrderHub.Api.Processing;

/// <summary>The outcome of an attempt that wrote its own result while it held the claim (fiscal receipts, alerts).</summary>
public sealed record NoOutcome;

/// <summary>
/// The leased-queue engine behind the inbox, POS export, fiscal receipts and Telegram alerts. It owns the loop
/// (wake-up or poll), claiming due rows with a conditional update (lease, owner token from
/// <see cref="InstanceIdentity"/>, attempt count; the SQL is <see cref="ClaimSql"/>'s), running attempts in a
/// bounded number of slots, writing outcomes in groups, freeing this instance's own leases at start, and draining
/// on shutdown. A queue supplies only what is its own: reading what the claimed rows' attempts need
/// (<see cref="LoadAsync"/>), one attempt (<see cref="AttemptAsync"/>) and writing outcomes only where the claim
/// still holds (<see cref="WriteAsync"/>). Nothing is kept in memory that the database does not also hold: rows
/// left leased by a crash are claimable again once the lease runs out.
/// </summary>
/// <typeparam name="TWork">What one attempt works on, as loaded for the claimed rows.</typeparam>
/// <typeparam name="TOutcome">What an attempt leaves for <see cref="WriteAsync"/>; null when there is nothing to write.</typeparam>
public abstract class LeasedQueue<TWork, TOutcome> : BackgroundService
    where TOutcome : class
{
    /// <summary>At most this many outcomes share one write transaction.</summary>
    private const int MaxWriteGroup = 128;

    private readonly QueueName _queue;
    private readonly IServiceScopeFactory _scopes;
    private readonly InstanceIdentity _instance;
    private readonly QueueWake _wake;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abandon = new();
    private readonly List<Task> _running = [];
    private readonly Lazy<SemaphoreSlim> _slots;
    private readonly Channel<PendingOutcome> _outcomes = Channel.CreateUnbounded<PendingOutcome>(new UnboundedChannelOptions { SingleReader = true });

    protected LeasedQueue(QueueName queue, IServiceScopeFactory scopes, InstanceIdentity instance, QueueWake wake, TimeProvider time, ILogger logger)
    {
        (_queue, _scopes, _instance, _wake, _time, _logger) = (queue, scopes, instance, wake, time, logger);
        _slots = new Lazy<SemaphoreSlim>(() => new SemaphoreSlim(Settings.Concurrency, Settings.Concurrency));
    }

    protected abstract QueueSettings Settings { get; }

    protected IServiceScopeFactory Scopes => _scopes;

    protected TimeProvider Time => _time;

    /// <summary>Reads what the attempts of the claimed rows need, all at once; <paramref name="ids"/> hold <paramref name="token"/>.</summary>
    protected abstract Task<IReadOnlyList<TWork>> LoadAsync(OrderHubDbContext db, IReadOnlyList<Guid> ids, string token, CancellationToken cancellationToken);

    /// <summary>
    /// One attempt. <paramref name="abandon"/> is cancelled only when a stopping host gave up waiting for it: then
    /// nothing may be recorded (return null), and the row is re-driven after its lease.
    /// </summary>
    protected abstract Task<TOutcome?> AttemptAsync(TWork work, CancellationToken abandon);

    /// <summary>Writes outcomes together, each only where its claim still holds. Throws when the database refuses the group: they are then written one by one.</summary>
    protected virtual Task WriteAsync(IReadOnlyList<TOutcome> outcomes) => Task.CompletedTask;

    /// <summary>Work of the queue's own that is due before each round (fiscal shifts to close).</summary>
    protected virtual Task BeforeRoundAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Wakes the engine: work was queued.</summary>
    public void Notify() => _wake.Notify(_queue);

    /// <summary>
    /// One round, whether the loop runs or not (tests drive rounds with it): claims up to a batch of due rows,
    /// attempts them, writes the outcomes. Returns how many rows were claimed.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await BeforeRoundAsync(cancellationToken);
        var (claimed, batch) = await ClaimBatchAsync(Settings.BatchSize, cancellationToken);
        if (batch.Count == 0)
        {
            return claimed;
        }

        await ProcessRoundAsync(batch);
        return claimed;
    }

    /// <summary>
    /// A round's attempts and the writing of their outcomes. Here each attempt runs on its own, a bounded number
    /// side by side, and the outcomes are written together; a queue whose attempts only write to the database may
    /// apply a whole round in one unit of work instead (the inbox), and fall back to this one by one.
    /// </summary>
    protected virtual async Task ProcessRoundAsync(IReadOnlyList<TWork> batch)
    {
        var outcomes = new TOutcome?[batch.Count];
        await Parallel.ForAsync(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = Settings.Concurrency }, async (i, _) =>
            outcomes[i] = await AttemptSafelyAsync(batch[i]));
        var written = outcomes.OfType<TOutcome>().Select(o => new PendingOutcome(o)).ToList();
        if (written.Count > 0)
        {
            await WriteGroupAsync(written);
            foreach (var pending in written.Where(p => p.Written.Task.IsFaulted))
            {
                LeasedQueueLog.AttemptNotWritten(_logger, pending.Written.Task.Exception!.GetBaseException(), _queue);
            }
        }
    }

    /// <summary>Cancelled only when a stopping host gave up waiting for the attempts in flight (see <see cref="AttemptAsync"/>).</summary>
    protected CancellationToken Abandon => _abandon.Token;

    /// <summary>Claims up to <paramref name="count"/> due rows for this instance and reads what their attempts need.</summary>
    public async Task<IReadOnlyList<TWork>> ClaimAsync(int count, CancellationToken cancellationToken) =>
        (await ClaimBatchAsync(count, cancellationToken)).Work;

    private async Task<(int Claimed, IReadOnlyList<TWork> Work)> ClaimBatchAsync(int count, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var now = _time.GetUtcNow();
        var claim = new LeaseClaim(count, now, now + Settings.LeaseDuration, _instance.NewClaimToken());
        List<Guid> ids;
        using (await scope.ServiceProvider.GetRequiredService<WriteGate>().EnterAsync(WriteLane.Background, cancellationToken))
        {
            var claims = ClaimSql.For(db.Database);
            ids = Settings.RederivableClaims
                ? await RederivableWrites.RunAsync(db, () => claims.ClaimAsync(db, _queue, claim, cancellationToken), cancellationToken)
                : await claims.ClaimAsync(db, _queue, claim, cancellationToken);
        }

        // The claim is taken: from here on the reads run to the end, so the rows are not left leased for nothing.
        return ids.Count == 0 ? (0, []) : (ids.Count, await LoadAsync(db, ids, claim.Token, CancellationToken.None));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var settings = Settings;

        // Stopping: attempts in flight get the drain time to finish and write their outcomes, then are abandoned.
        await using var drain = stoppingToken.Register(() => _abandon.CancelAfter(settings.DrainTimeout));
        var writer = Task.Run(WriteOutcomesAsync, CancellationToken.None);
        try
        {
            await ReleaseOwnLeasesAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var worked = settings.ContinuousClaims
                        ? await ClaimIntoSlotsAsync(settings, stoppingToken)
                        : await RunOnceAsync(stoppingToken) > 0;
                    if (!worked)
                    {
                        await _wake.WaitAsync(_queue, settings.PollInterval, stoppingToken);
                    }
                }
                catch (Exception exception) when (exception is not (OperationCanceledException or OutOfMemoryException))
                {
                    // The database is away for a moment: nothing is lost, the rows wait in it.
                    LeasedQueueLog.RoundFailed(_logger, exception, _queue);
                    await _wake.WaitAsync(_queue, settings.PollInterval, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        await DrainAsync();
        _outcomes.Writer.TryComplete();
        await writer;
    }

    /// <summary>
    /// Continuous claims: holds a free slot, claims as many rows as there are free slots (one at least, a batch at
    /// most) and starts each in a slot as one frees up. True when rows were claimed.
    /// </summary>
    private async Task<bool> ClaimIntoSlotsAsync(QueueSettings settings, CancellationToken stoppingToken)
    {
        var slots = _slots.Value;
        await slots.WaitAsync(stoppingToken);
        IReadOnlyList<TWork> batch;
        try
        {
            batch = await ClaimAsync(Math.Min(slots.CurrentCount + 1, settings.BatchSize), stoppingToken);
        }
        catch
        {
            slots.Release();
            throw;
        }

        if (batch.Count == 0)
        {
            slots.Release();
            return false;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (i > 0)
            {
                await slots.WaitAsync(stoppingToken);
            }

            StartInSlot(batch[i]);
        }

        // Unless the round was a full batch, let work and free slots gather for a moment: the next round then claims,
        // reads and writes several rows at once instead of one per freed slot. Real time: a pause for throughput.
        if (batch.Count < settings.BatchSize && settings.ClaimLinger > TimeSpan.Zero)
        {
            await Task.Delay(settings.ClaimLinger, stoppingToken);
        }

        return true;
    }

    /// <summary>Runs one attempt in a slot already taken; the slot is given back once its outcome is written.</summary>
    private void StartInSlot(TWork work) => Track(Task.Run(async () =>
    {
        try
        {
            if (await AttemptSafelyAsync(work) is not { } outcome)
            {
                return;
            }

            var pending = new PendingOutcome(outcome);
            await _outcomes.Writer.WriteAsync(pending, CancellationToken.None);
            await pending.Written.Task;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The outcome could not be written (database away): the lease runs out and the row is re-driven.
            LeasedQueueLog.AttemptNotWritten(_logger, exception, _queue);
        }
        finally
        {
            _slots.Value.Release();
        }
    }, CancellationToken.None));

    private async Task<TOutcome?> AttemptSafelyAsync(TWork work)
    {
        try
        {
            return await AttemptAsync(work, _abandon.Token);
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Nothing is recorded: the lease runs out and the row is re-driven.
            LeasedQueueLog.AttemptNotWritten(_logger, exception, _queue);
            return null;
        }
    }

    /// <summary>Writes outcomes as they arrive, all that are waiting in one group, until the engine has drained.</summary>
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

            await WriteGroupAsync(group);
        }
    }

    /// <summary>One group in one write; a group the database refuses is written again one outcome at a time, so one bad row cannot hold back the others.</summary>
    private async Task WriteGroupAsync(IReadOnlyList<PendingOutcome> group)
    {
        try
        {
            await WriteInScopeAsync(group);
            foreach (var pending in group)
            {
                pending.Written.TrySetResult();
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException && group.Count > 1)
        {
            LeasedQueueLog.GroupFailed(_logger, exception, group.Count, _queue);
            foreach (var one in group)
            {
                try
                {
                    await WriteInScopeAsync([one]);
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
            group[0].Written.TrySetException(exception);
        }
    }

    private Task WriteInScopeAsync(IReadOnlyList<PendingOutcome> group) => WriteAsync(group.Select(p => p.Outcome).ToList());

    /// <summary>With an instance id stable across restarts, rows this instance held when it stopped are free again at once.</summary>
    private async Task ReleaseOwnLeasesAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
                var released = await ClaimSql.ReleaseAsync(db, _queue, _instance.TokenPrefix, cancellationToken);
                if (released > 0)
                {
                    LeasedQueueLog.Released(_logger, released, _queue, _instance.Id);
                }

                return;
            }
            catch (Exception exception) when (exception is System.Data.Common.DbException or DbUpdateException or InvalidOperationException or TimeoutException)
            {
                LeasedQueueLog.RoundFailed(_logger, exception, _queue);
                await Task.Delay(Settings.PollInterval, cancellationToken);
            }
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

    /// <summary>Waits for the attempts in flight (abandoned after the drain time) and their outcomes.</summary>
    private async Task DrainAsync()
    {
        Task[] running;
        lock (_running)
        {
            running = [.. _running.Where(t => !t.IsCompleted)];
        }

        if (running.Length > 0)
        {
            await Task.WhenAll(running);
        }
    }

    public override void Dispose()
    {
        _abandon.Dispose();
        if (_slots.IsValueCreated)
        {
            _slots.Value.Dispose();
        }

        base.Dispose();
    }

    /// <summary>An outcome on its way to being written, and the signal that it is in the database.</summary>
    private sealed record PendingOutcome(TOutcome Outcome)
    {
        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

internal static partial class LeasedQueueLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Queue} round failed; the rows wait in the database and are claimed again shortly")]
    public static partial void RoundFailed(ILogger logger, Exception exception, QueueName queue);

    [LoggerMessage(Level = LogLevel.Error, Message = "A {Queue} attempt failed before its outcome was written; its rows are re-driven after their lease")]
    public static partial void AttemptNotWritten(ILogger logger, Exception exception, QueueName queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} {Queue} outcomes together failed; writing them one by one")]
    public static partial void GroupFailed(ILogger logger, Exception exception, int count, QueueName queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Count} {Queue} rows still leased by this instance ({InstanceId}) from before its restart")]
    public static partial void Released(ILogger logger, int count, QueueName queue, string instanceId);
}
