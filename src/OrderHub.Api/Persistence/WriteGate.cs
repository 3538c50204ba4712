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
/// Writers wait in three lanes (<see cref="WriteLane"/>): the intake's group commits go first, so answering Dots never
/// waits behind the queues' work for longer than one turn, unless another writer has already been deferred for
/// <see cref="MaxDefer"/>; then background writers, then the rest (see <see cref="EnterAsync(WriteLane, CancellationToken)"/>).
/// PostgreSQL has row locks and many writers: there the gate is off and costs nothing.
/// The gate counts how long it was held and how many turns it gave (<see cref="Held"/>): on SQLite that time is the
/// ceiling of the whole process's writing, so it is a metric (<c>orderhub.write_gate.held</c>, <c>.turns</c>).
/// </summary>
public sealed class WriteGate(bool enabled, TimeSpan? timeout = null, TimeSpan? maxDefer = null)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the intake's turns may keep another waiting writer back. The intake commits a whole group of requests
    /// in one short turn, so while requests keep coming it always has a turn waiting: without this bound a burst
    /// would hold the queues' work back until it ends.
    /// </summary>
    public static readonly TimeSpan DefaultMaxDefer = TimeSpan.FromMilliseconds(20);

    public TimeSpan Timeout { get; } = timeout ?? DefaultTimeout;

    public TimeSpan MaxDefer { get; } = maxDefer ?? DefaultMaxDefer;

    private readonly Lock _sync = new();
    private readonly Queue<Waiter> _intake = new();
    private readonly Queue<Waiter> _background = new();
    private readonly Queue<Waiter> _requests = new();
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
    /// Waits for this process's turn to write; dispose the result after the commit. Turns go to the
    /// <see cref="WriteLane.Intake"/> lane first, then to <see cref="WriteLane.Background"/> writers (the queues'
    /// claims and grouped outcomes: few, short, each worth many orders), then to the rest; but once a writer of another
    /// lane has waited <see cref="MaxDefer"/>, the intake waits for it.
    /// </summary>
    public async ValueTask<Turn> EnterAsync(WriteLane lane = WriteLane.Request, CancellationToken cancellationToken = default)
    {
        if (!enabled)
        {
            return default;
        }

        Waiter waiter;
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

            waiter = new Waiter(new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously), Stopwatch.GetTimestamp());
            (lane switch { WriteLane.Intake => _intake, WriteLane.Background => _background, _ => _requests }).Enqueue(waiter);
        }

        try
        {
            await waiter.Turn.Task.WaitAsync(Timeout, cancellationToken);
            lock (_sync)
            {
                GoesOn();
            }

            return new Turn(this);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            // Withdraw; if the turn was handed over at that very moment, it is ours after all.
            if (waiter.Turn.TrySetCanceled())
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
            var deferred = Stopwatch.GetElapsedTime(Oldest(_background, Oldest(_requests, now)), now) >= MaxDefer;
            if ((!deferred && HandOver(_intake)) || HandOver(_background) || HandOver(_requests) || HandOver(_intake))
            {
                // Handed over: the next writer's turn starts now, while it is still being scheduled.
                _grantedAt = now;
                _turns++;
                return;
            }

            _held = false;
        }
    }

    /// <summary>Under _sync: gives the turn to the first writer of <paramref name="lane"/> still waiting.</summary>
    private static bool HandOver(Queue<Waiter> lane)
    {
        while (lane.TryDequeue(out var next))
        {
            if (next.Turn.TrySetResult(true))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Under _sync: when the first writer of <paramref name="lane"/> began to wait, if earlier than <paramref name="than"/>.</summary>
    private static long Oldest(Queue<Waiter> lane, long than) =>
        lane.TryPeek(out var first) && first.Since < than ? first.Since : than;

    private sealed record Waiter(TaskCompletionSource<bool> Turn, long Since);

    public readonly struct Turn(WriteGate? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}

/// <summary>Who waits for a <see cref="WriteGate"/> turn, in the order turns go to them.</summary>
public enum WriteLane
{
    /// <summary>Whatever is not one of the others: API requests' saves, the inbox round's save.</summary>
    Request,

    /// <summary>The queues' claims and grouped outcomes: few, short, each worth many orders.</summary>
    Background,

    /// <summary>The intake's group commits: a webhook sender waits for each.</summary>
    Intake,
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
public sealed class WriteGateInterceptor(WriteGate gate) : SaveHooks, IDbTransactionInterceptor
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

    protected override void Saving(DbContext? context) => Begin(context);

    protected override void Saved(DbContext? context) => End(context);

    protected override void Ended(DbContext? context) => End(context);

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
