using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace OrderHub.Api.Persistence;

/// <summary>
/// Writes whose loss in a power failure is harmless because they are derived again from rows already durable:
/// the inbox processor's claims and rounds (the stored raw event stays <c>Received</c> and is applied again, once).
/// On SQLite such a write commits without its own log sync (<c>synchronous = NORMAL</c> for that one write, WAL
/// mode): the next synced commit — the intake's next group, an export outcome — syncs it with everything before it,
/// as the log is written in order. A crash of the process loses nothing either way (the operating system has the
/// log). Other providers are unchanged. The connection is given back with its own level, or not at all.
/// </summary>
public static class RederivableWrites
{
    public static async Task<T> RunAsync<T>(DbContext db, Func<Task<T>> write, CancellationToken cancellationToken)
    {
        if (db.Database.GetDbConnection() is not SqliteConnection connection || db.Database.CurrentTransaction is not null)
        {
            return await write();
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var level = Convert.ToInt32(await ScalarAsync(connection, "PRAGMA synchronous;", cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            if (level <= 1)
            {
                // Already OFF or NORMAL: nothing to relax.
                return await write();
            }

            await ScalarAsync(connection, "PRAGMA synchronous = NORMAL;", cancellationToken);
            try
            {
                return await write();
            }
            finally
            {
                try
                {
                    await ScalarAsync(connection, $"PRAGMA synchronous = {level};", CancellationToken.None);
                }
                catch (Exception exception) when (exception is DbException or InvalidOperationException)
                {
                    // Never hand a relaxed connection to a writer that needs its sync: it leaves the pool.
                    SqliteConnection.ClearPool(connection);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public static async Task RunAsync(DbContext db, Func<Task> write, CancellationToken cancellationToken) =>
        await RunAsync(db, async () =>
        {
            await write();
            return 0;
        }, cancellationToken);

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
