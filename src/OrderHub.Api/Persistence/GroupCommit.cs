using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Options;

namespace OrderHub.Api.Persistence;

/// <summary>Settings of <see cref="GroupCommit"/>, section <c>Intake</c>.</summary>
public sealed class GroupCommitOptions
{
    public const string SectionName = "Intake";

    /// <summary>Save the new rows of concurrent requests together, in one transaction. Off: each request commits alone.</summary>
    public bool GroupCommit { get; set; } = true;

    /// <summary>The most requests whose rows go into one transaction.</summary>
    public int GroupCommitMaxRequests { get; set; } = 64;
}

/// <summary>
/// Group commit for intake, used by the inbox writer. A request that only adds rows (a raw event for the inbox)
/// hands them over (<see cref="AddAsync"/>) instead of committing alone; one writer saves everything handed over meanwhile
/// in one transaction and answers each request when it is durable. The answer comes after the commit, as before,
/// so nothing is acknowledged that is not stored. Under load this turns hundreds of small transactions — each
/// waiting its turn for SQLite's single writer lock — into a few large ones; idle, a request's batch is itself.
/// If a group fails (a concurrent copy of a webhook won the unique-key race), each request's rows are saved on
/// their own, so every request gets its own outcome and only the losing copy sees the unique-key error.
/// </summary>
public sealed partial class GroupCommit(IServiceScopeFactory scopes, WriteGate gate, IOptions<GroupCommitOptions> options, ILogger<GroupCommit> logger)
    : BackgroundService
{
    private readonly Channel<Unit> _units = Channel.CreateUnbounded<Unit>(new UnboundedChannelOptions { SingleReader = true });
    private volatile bool _running;

    /// <summary>
    /// Adds <paramref name="rows"/> in the next group, without a context of the caller's own (the inbox writer's
    /// path: a request only stores its raw event). Not cancellable: once handed over the rows may be committed
    /// whatever the caller does. On return the rows are committed; a failure is thrown as
    /// <see cref="DbUpdateException"/>, as by <c>SaveChangesAsync</c>. Rows of one type may be written by a plain
    /// INSERT, past EF's SaveChanges interceptors: <paramref name="committed"/> runs once per commit that holds
    /// them (once for the whole group, however many requests passed the same delegate), e.g. to wake their reader.
    /// </summary>
    public async Task AddAsync(IReadOnlyList<object> rows, Action? committed = null)
    {
        var unit = new Unit([.. rows], committed);
        if (!options.Value.GroupCommit || !_running || !_units.Writer.TryWrite(unit))
        {
            // Off, or stopping: the writer takes nothing more; commit here as the request always did.
            await SaveAsync([unit]);
            return;
        }

        await unit.Done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _running = true;
        var batch = new List<Unit>(options.Value.GroupCommitMaxRequests);
        try
        {
            while (await _units.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < options.Value.GroupCommitMaxRequests && _units.Reader.TryRead(out var unit))
                {
                    batch.Add(unit);
                }

                await CommitAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Whatever was handed over before the door closed is still committed.
            _running = false;
            _units.Writer.TryComplete();
            while (_units.Reader.TryRead(out var unit))
            {
                batch.Add(unit);
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch);
            }
        }
    }

    private async Task CommitAsync(List<Unit> batch)
    {
        try
        {
            await SaveAsync(batch);
            foreach (var unit in batch)
            {
                unit.Done.TrySetResult();
            }
        }
        catch (Exception exception) when (batch.Count > 1)
        {
            LogGroupFailed(logger, batch.Count, exception.GetType().Name);
            foreach (var unit in batch)
            {
                try
                {
                    await SaveAsync([unit]);
                    unit.Done.TrySetResult();
                }
                catch (Exception own)
                {
                    unit.Done.TrySetException(own);
                }
            }
        }
        catch (Exception exception)
        {
            batch[0].Done.TrySetException(exception);
        }
    }

    private async Task SaveAsync(IReadOnlyList<Unit> units)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        List<object> rows = [.. units.SelectMany(u => u.Entities)];
        if (rows.Count > 0 && rows.TrueForAll(r => r.GetType() == rows[0].GetType())
            && MultiRowInsert.For(db, rows[0].GetType()) is { } insert)
        {
            await InsertAsync(db, insert, rows);
            Committed(units);
            return;
        }

        foreach (var unit in units)
        {
            foreach (var entity in unit.Entities)
            {
                ForgetStoreGeneratedKey(db, entity);
            }

            db.AddRange(unit.Entities);
        }

        await db.SaveChangesAsync(CancellationToken.None);
        Committed(units);
    }

    private static void Committed(IReadOnlyList<Unit> units)
    {
        Action? last = null;
        foreach (var unit in units)
        {
            if (unit.Committed is { } committed && committed != last)
            {
                // Requests pass the same delegate: one call per distinct one in a row is enough.
                committed();
                last = committed;
            }
        }
    }

    /// <summary>
    /// The group's rows as one plain INSERT (or a few, in one transaction, past the provider's parameter limit; on
    /// SQLite one prepared single-row INSERT run per row, in one transaction):
    /// the same durable commit as SaveChanges, without building change-tracking entries for rows nobody reads back.
    /// The write gate's turn is taken here, in the intake lane (ahead of the queues' writers); a failure is thrown as
    /// <see cref="DbUpdateException"/>, as by SaveChanges.
    /// </summary>
    private async Task InsertAsync(OrderHubDbContext db, MultiRowInsert insert, List<object> rows)
    {
        using var turn = await gate.EnterAsync(WriteLane.Intake);
        try
        {
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await db.Database.OpenConnectionAsync();
                try
                {
                    var connection = db.Database.GetDbConnection();
                    var perStatement = connection is Microsoft.Data.Sqlite.SqliteConnection ? 1 : insert.RowsPerStatement;
                    if (rows.Count <= perStatement)
                    {
                        await insert.InsertAsync(connection, null, rows, 0, rows.Count);
                        return;
                    }

                    await using var transaction = await connection.BeginTransactionAsync();
                    if (perStatement == 1)
                    {
                        // SQLite, in-process: one prepared row statement run per row beats one statement of many rows.
                        await insert.InsertEachAsync(connection, transaction, rows);
                    }
                    else
                    {
                        for (var start = 0; start < rows.Count; start += perStatement)
                        {
                            await insert.InsertAsync(connection, transaction, rows, start, Math.Min(perStatement, rows.Count - start));
                        }
                    }

                    await transaction.CommitAsync();
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }
            });
        }
        catch (System.Data.Common.DbException exception)
        {
            throw new DbUpdateException("An error occurred while inserting the group's rows.", exception);
        }
    }

    /// <summary>
    /// A database-generated key (history rows' ids) from a failed group would be sent as an explicit value on the
    /// retry: set it back to unset. Client-generated keys (Guids) stay: other rows refer to them.
    /// </summary>
    private static void ForgetStoreGeneratedKey(DbContext db, object entity)
    {
        var key = db.Model.FindEntityType(entity.GetType())?.FindPrimaryKey();
        if (key is not { Properties: [{ ValueGenerated: ValueGenerated.OnAdd, PropertyInfo: { } property }] }
            || property.PropertyType != typeof(long) && property.PropertyType != typeof(int))
        {
            return;
        }

        property.SetValue(entity, Convert.ChangeType(0, property.PropertyType, System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed class Unit(List<object> entities, Action? committed)
    {
        public List<object> Entities { get; } = entities;

        public Action? Committed { get; } = committed;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A group of {Count} intake commits failed ({Error}); saving each on its own")]
    private static partial void LogGroupFailed(ILogger logger, int count, string error);
}
