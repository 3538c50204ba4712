using System.Data.Common;
using System.Diagnostics;
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
/// Background writers have a lane of their own that goes first (see <see cref="EnterAsync"/>).
/// PostgreSQL has row locks and many writers: there the gate is off and costs nothing.
/// The gate counts how long it was held and how many turns it gave (<see cref="Held"/>): on SQLite that time is the
/// ceiling of the whole process's writing, so it is a metric (<c>orderhub.write_gate.held</c>, <c>.turns</c>).
/// </summary>
public sealed class WriteGate(bool enabled, TimeSpan? timeout = null)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public TimeSpan Timeout { get; } = timeout ?? DefaultTimeout;

    private readonly Lock _sync = new();
    private readonly Queue<TaskCompletionSource<bool>> _background = new();
    private readonly Queue<TaskCompletionSource<bool>> _requests = new();
    private bool _held;

    // Under _sync: when the current turn was given, and the finished turns' total (Stopwatch ticks).
    private long _grantedAt;
    private long _heldTicks;
    private long _turns;

    // Under _sync: the thread the current turn's writer goes on on, its CPU time then, and the finished turns' CPU
    // (only turns released on that same thread: on SQLite a save runs from BEGIN to COMMIT without leaving it).
    private int _runner;
    private long _runnerCpuAt;
    private long _heldCpuNanoseconds;
    private long _cpuTurns;

    public bool Enabled => enabled;

    /// <summary>Whether a writer holds the gate at this moment.</summary>
    public bool IsHeld
    {
        get
        {
            lock (_sync)
            {
                return _held;
            }
        }
    }

    /// <summary>
    /// How long the gate has been held since it was made (the current turn up to now included) and how many turns it
    /// gave. A turn runs from its grant (for a waiter: the previous holder's release) to its release.
    /// </summary>
    public WriteGateUse Held()
    {
        lock (_sync)
        {
            var ticks = _heldTicks + (_held ? Stopwatch.GetTimestamp() - _grantedAt : 0);
            return new WriteGateUse(Stopwatch.GetElapsedTime(0, ticks), _turns)
            {
                HeldCpu = TimeSpan.FromTicks(_heldCpuNanoseconds / 100),
                CpuTurns = _cpuTurns,
            };
        }
    }

    /// <summary>
    /// Waits for this process's turn to write; dispose the result after the commit. <paramref name="background"/>
    /// writers (the dispatcher's claims and grouped outcomes: few, short, each worth many orders) go before waiting
    /// requests, so a burst of intake cannot starve the queue that drains it.
    /// </summary>
    public async ValueTask<Turn> EnterAsync(bool background = false, CancellationToken cancellationToken = default)
    {
        if (!enabled)
        {
            return default;
        }

        TaskCompletionSource<bool> waiter;
        lock (_sync)
        {
            if (!_held)
            {
                _held = true;
                _grantedAt = Stopwatch.GetTimestamp();
                _turns++;
                GoesOn();
                return new Turn(this);
            }

            waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            (background ? _background : _requests).Enqueue(waiter);
        }

        try
        {
            await waiter.Task.WaitAsync(Timeout, cancellationToken);
            lock (_sync)
            {
                GoesOn();
            }

            return new Turn(this);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            // Withdraw; if the turn was handed over at that very moment, it is ours after all.
            if (waiter.TrySetCanceled())
            {
                if (exception is OperationCanceledException)
                {
                    throw;
                }

                return default;
            }

            return new Turn(this);
        }
    }

    public Turn Enter() => EnterAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Under _sync: the holder goes on with its turn on this thread.</summary>
    private void GoesOn()
    {
        if (ThreadCpu.Nanoseconds() is { } cpu)
        {
            _runner = Environment.CurrentManagedThreadId;
            _runnerCpuAt = cpu;
        }
    }

    private void Release()
    {
        lock (_sync)
        {
            var now = Stopwatch.GetTimestamp();
            _heldTicks += now - _grantedAt;
            if (_runner == Environment.CurrentManagedThreadId && ThreadCpu.Nanoseconds() is { } cpu)
            {
                _heldCpuNanoseconds += cpu - _runnerCpuAt;
                _cpuTurns++;
            }

            _runner = 0;
            while (_background.TryDequeue(out var next) || _requests.TryDequeue(out next))
            {
                if (next.TrySetResult(true))
                {
                    // Handed over: the next writer's turn starts now, while it is still being scheduled.
                    _grantedAt = now;
                    _turns++;
                    return;
                }
            }

            _held = false;
        }
    }

    public readonly struct Turn(WriteGate? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}

/// <summary>
/// The gate's use since it was made: time held and turns given; and the CPU its holders used while they held it, of
/// the turns that began and ended on one thread (<see cref="CpuTurns"/>; Linux only, else none). Unlike the time
/// held, that CPU does not grow when the machine is busy and the holder waits for a core.
/// </summary>
public readonly record struct WriteGateUse(TimeSpan Held, long Turns)
{
    public TimeSpan HeldCpu { get; init; }

    public long CpuTurns { get; init; }

    public static WriteGateUse operator -(WriteGateUse later, WriteGateUse earlier) =>
        new(later.Held - earlier.Held, later.Turns - earlier.Turns) { HeldCpu = later.HeldCpu - earlier.HeldCpu, CpuTurns = later.CpuTurns - earlier.CpuTurns };
}

/// <summary>The calling thread's CPU time (Linux: <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>), null elsewhere.</summary>
internal static class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    public static long? Nanoseconds() =>
        OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTime, out var time) == 0 ? (time.Seconds * 1_000_000_000) + time.Nanoseconds : null;
}

/// <summary>
/// Takes a <see cref="WriteGate"/> turn for every SaveChanges that runs in its own (implicit) transaction, from the
/// moment EF begins that transaction until it commits or rolls back. So what EF does before and after (detecting
/// changes, ordering and building the commands of the first batches, accepting the changes once saved) runs outside
/// the gate, and only the statements and the commit hold it. Such a save always gets a transaction
/// (<see cref="AutoTransactionBehavior.Always"/>), so even a single statement takes its turn at BEGIN. Code that
/// opens an explicit transaction takes its turn itself, around the whole transaction: the gate is not re-entrant.
/// </summary>
public sealed class WriteGateInterceptor(WriteGate gate) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>One save in its own transaction: the behaviour to give back, and the turn while its transaction runs.</summary>
    private sealed class Save(AutoTransactionBehavior before)
    {
        public AutoTransactionBehavior Before { get; } = before;

        private WriteGate.Turn _turn;
        private bool _holds;

        public void Hold(WriteGate.Turn turn)
        {
            _turn = turn;
            _holds = true;
            Began = true;
        }

        public bool Holds => _holds;

        /// <summary>The save's transaction has begun: a save begins one, so any later one on the context is not its.</summary>
        public bool Began { get; private set; }

        public void Release()
        {
            if (_holds)
            {
                _holds = false;
                _turn.Dispose();
            }
        }
    }

    private readonly ConditionalWeakTable<DbContext, Save> _saves = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Begin(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Begin(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        End(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        End(eventData.Context);
        return result;
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        End(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => End(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        End(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => End(eventData.Context);

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (SaveOf(eventData.Context) is { Began: false } save)
        {
            save.Hold(await gate.EnterAsync(cancellationToken: cancellationToken));
        }

        return result;
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        if (SaveOf(eventData.Context) is { Began: false } save)
        {
            save.Hold(gate.Enter());
        }

        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => SaveOf(eventData.Context)?.Release();

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveOf(eventData.Context)?.Release();
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => SaveOf(eventData.Context)?.Release();

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveOf(eventData.Context)?.Release();
        return Task.CompletedTask;
    }

    private void Begin(DbContext? context)
    {
        if (!gate.Enabled || context is null || context.Database.CurrentTransaction is not null)
        {
            return;
        }

        _saves.AddOrUpdate(context, new Save(context.Database.AutoTransactionBehavior));
        context.Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
    }

    private Save? SaveOf(DbContext? context) => context is not null && _saves.TryGetValue(context, out var save) ? save : null;

    /// <summary>The save is over: a turn still held (its transaction failed, or was disposed without a commit) is given back.</summary>
    private void End(DbContext? context)
    {
        if (context is not null && _saves.TryGetValue(context, out var save) && _saves.Remove(context))
        {
            save.Release();
            context.Database.AutoTransactionBehavior = save.Before;
        }
    }
}
