using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OrderHub.Api.Persistence;

/// <summary>
/// A SaveChanges interceptor told of each save through three plain hooks, the same for SaveChanges and
/// SaveChangesAsync: before the save (<see cref="Saving"/>), after it succeeded (<see cref="Saved"/>), and after it
/// failed or was canceled (<see cref="Ended"/>). For interceptors that only keep per-context state around a save.
/// </summary>
public abstract class SaveHooks : SaveChangesInterceptor
{
    protected virtual void Saving(DbContext? context)
    {
    }

    protected virtual void Saved(DbContext? context)
    {
    }

    protected virtual void Ended(DbContext? context)
    {
    }

    public sealed override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Saving(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public sealed override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context);
        return result;
    }

    public sealed override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public sealed override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public sealed override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context);
        return Task.CompletedTask;
    }

    public sealed override void SaveChangesFailed(DbContextErrorEventData eventData) => Ended(eventData.Context);

    public sealed override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context);
        return Task.CompletedTask;
    }

    public sealed override void SaveChangesCanceled(DbContextEventData eventData) => Ended(eventData.Context);
}
