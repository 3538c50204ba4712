using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OrderHub.Api.Persistence;

/// <summary>
/// Per connection: the durability level (<see cref="DatabaseOptions.SqliteSynchronous"/>), and lets SQLite itself wait for the writer lock (its busy handler backs off from a millisecond) instead of
/// Microsoft.Data.Sqlite's own retry, which sleeps 150 ms per busy answer and stalls every writer in a queue
/// behind the one that holds the lock.
/// </summary>
public sealed class SqliteConnectionSetup(int busyTimeoutMilliseconds, SqliteSynchronous synchronous) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Configure(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private string Pragma => $"PRAGMA busy_timeout = {busyTimeoutMilliseconds}; PRAGMA synchronous = {synchronous.ToString().ToUpperInvariant()};";

    private void Configure(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }
}
