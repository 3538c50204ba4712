using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OrderHub.Domain.Export;

namespace OrderHub.Api.Dispatching;

/// <summary>Wakes the dispatcher the moment work is committed, so an order reaches the POS in milliseconds, not a poll later.</summary>
public sealed class DispatchSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers any number of new entries.
        }
    }

    /// <summary>Waits for a signal or the timeout; true when signalled.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// Signals the dispatcher after a save that queued work. After the commit, not before: an entry the
/// dispatcher could not yet see would be missed until the next poll.
/// </summary>
public sealed class QueueSignalInterceptor(DispatchSignal signal) : SaveChangesInterceptor
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> _queued = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        MarkIfQueues(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        MarkIfQueues(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        NotifyIfQueued(eventData.Context);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        NotifyIfQueued(eventData.Context);
        return base.SavedChanges(eventData, result);
    }

    private void MarkIfQueues(DbContext? context)
    {
        if (context is not null && QueuesWork(context))
        {
            _queued.AddOrUpdate(context, this);
        }
    }

    private void NotifyIfQueued(DbContext? context)
    {
        if (context is null || !_queued.Remove(context))
        {
            return;
        }

        // Inside an explicit transaction the rows become visible at its commit, a moment later; the
        // dispatcher loops again after every round with work, so at worst the next round picks them up.
        signal.Notify();
    }

    private static bool QueuesWork(DbContext? context) =>
        context is not null && context.ChangeTracker.Entries<ExportQueueEntry>()
            .Any(e => e.Entity.State == ExportQueueState.Pending && e.State is EntityState.Added or EntityState.Modified);
}
