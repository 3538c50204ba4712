using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OrderHub.Api.Persistence;

/// <summary>
/// SQLite has one writer at a time, and a writer that finds the lock taken sleeps in SQLite's busy handler
/// (1, 2, 5, 10… ms) on a thread-pool thread. Under load that leaves the lock idle between sleepers and blocks
/// threads the server needs. The gate queues this process's writers on an async lock instead: FIFO, no sleeping,
/// no blocked threads. SQLite's own lock still guards the file (other processes, writers that skip the gate);
/// a writer that waited longer than <see cref="Timeout"/> goes on without the gate rather than wait forever.
/// PostgreSQL has row locks and many writers: there the gate is off and costs nothing.
/// </summary>
public sealed class WriteGate(bool enabled)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim? _lock = enabled ? new SemaphoreSlim(1, 1) : null;

    public bool Enabled => _lock is not null;

    /// <summary>Waits for this process's turn to write; dispose the result after the commit.</summary>
    public async ValueTask<Turn> EnterAsync(CancellationToken cancellationToken = default) =>
        _lock is not null && await _lock.WaitAsync(Timeout, cancellationToken) ? new Turn(_lock) : default;

    public Turn Enter() => _lock is not null && _lock.Wait(Timeout) ? new Turn(_lock) : default;

    public readonly struct Turn(SemaphoreSlim? held) : IDisposable
    {
        public void Dispose() => held?.Release();
    }
}

/// <summary>
/// Takes a <see cref="WriteGate"/> turn around every SaveChanges that runs in its own (implicit) transaction. Code
/// that opens an explicit transaction takes its turn itself, around the whole transaction.
/// </summary>
public sealed class WriteGateInterceptor(WriteGate gate) : SaveChangesInterceptor
{
    private sealed class Holder(WriteGate.Turn turn)
    {
        public WriteGate.Turn Turn { get; } = turn;
    }

    private readonly ConditionalWeakTable<DbContext, Holder> _turns = [];

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (Needs(eventData.Context))
        {
            _turns.AddOrUpdate(eventData.Context!, new Holder(await gate.EnterAsync(cancellationToken)));
        }

        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (Needs(eventData.Context))
        {
            _turns.AddOrUpdate(eventData.Context!, new Holder(gate.Enter()));
        }

        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Leave(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Leave(eventData.Context);
        return result;
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Leave(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Leave(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Leave(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Leave(eventData.Context);

    private bool Needs(DbContext? context) => gate.Enabled && context is not null && context.Database.CurrentTransaction is null;

    private void Leave(DbContext? context)
    {
        if (context is not null && _turns.TryGetValue(context, out var holder) && _turns.Remove(context))
        {
            holder.Turn.Dispose();
        }
    }
}
