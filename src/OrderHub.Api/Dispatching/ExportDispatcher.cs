using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
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

    /// <summary>How long a graceful stop waits for attempts in flight before abandoning them to their leases.</summary>
    public TimeSpan DrainTimeout => _options.DrainTimeout;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var slots = new SemaphoreSlim(_options.Concurrency, _options.Concurrency);
        try
        {
            await ReleaseOwnLeasesAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                slots.Release();
                IReadOnlyList<ExportClaim> claims;
                try
                {
                    claims = await ClaimAsync(Math.Min(slots.CurrentCount, _options.BatchSize), stoppingToken);
                }
                catch (Exception exception) when (exception is System.Data.Common.DbException or DbUpdateException or InvalidOperationException or TimeoutException)
                {
                    // The database is away for a moment: nothing is lost, the entries wait in it.
                    LogClaimFailed(logger, exception);
                    await signal.WaitAsync(_options.PollInterval, stoppingToken);
                    continue;
                }

                foreach (var claim in claims)
                {
                    await slots.WaitAsync(stoppingToken);
                    Track(Task.Run(async () =>
                    {
                        try
                        {
                            await RunOneAsync(claim);
                        }
                        finally
                        {
                            slots.Release();
                            signal.Notify();
                        }
                    }, CancellationToken.None));
                }

                if (claims.Count == 0)
                {
                    await signal.WaitAsync(_options.PollInterval, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        await DrainAsync();
    }

    private async Task RunOneAsync(ExportClaim claim)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var runner = scope.ServiceProvider.GetRequiredService<ExportAttemptRunner>();
            await runner.RunAsync(claim, _abandon.Token);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The outcome could not be written (database away): the lease runs out and the entry is re-driven,
            // with a lookup first, so an order the POS already has is not sent twice.
            LogAttemptFailed(logger, exception, claim.EntryId);
        }
    }

    /// <summary>
    /// Claims up to <paramref name="count"/> due entries, oldest due first, in one UPDATE that re-checks the lease
    /// condition row by row (PostgreSQL re-evaluates it after waiting for a row another claim locked; SQLite has
    /// one writer), so of two racing instances exactly one takes each row. The lease owner is this round's own
    /// token, which then reads back exactly the rows this round won.
    /// </summary>
    public async Task<IReadOnlyList<ExportClaim>> ClaimAsync(int count, CancellationToken cancellationToken)
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

        // Owner (at most 40 characters) + "/" + 16 hex digits: fits LeaseOwner's 64.
        var token = $"{_owner}/{Guid.NewGuid():N}"[..(_owner.Length + 17)];
        var leaseUntil = now + _options.LeaseDuration;
        var updated = await db.ExportQueue
            .Where(e => candidates.Contains(e.Id) && e.State == ExportQueueState.Pending && e.NextAttemptAt <= now
                        && (e.LeaseUntil == null || e.LeaseUntil < now))
            .ExecuteUpdateAsync(set => set
                .SetProperty(e => e.LeaseUntil, leaseUntil)
                .SetProperty(e => e.LeaseOwner, token)
                .SetProperty(e => e.Attempts, e => e.Attempts + 1)
                .SetProperty(e => e.UpdatedAt, now), cancellationToken);
        if (updated == 0)
        {
            return [];
        }

        var won = await db.ExportQueue.AsNoTracking()
            .Where(e => e.LeaseOwner == token)
            .OrderBy(e => e.NextAttemptAt).ThenBy(e => e.CreatedAt)
            .ToListAsync(cancellationToken);
        return won.Select(e => new ExportClaim(e, token)).ToList();
    }

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
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.LeaseUntil, (DateTimeOffset?)null).SetProperty(e => e.LeaseOwner, (string?)null), cancellationToken);
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
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not claim export entries; trying again shortly")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Export attempt for entry {EntryId} failed before its outcome was written; it is re-driven after its lease")]
    private static partial void LogAttemptFailed(ILogger logger, Exception exception, Guid entryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Count} export entries still leased by this instance ({Owner}) from before its restart")]
    private static partial void LogReleased(ILogger logger, int count, string owner);
}
