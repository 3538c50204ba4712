using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OrderHub.Api.Persistence;

/// <summary>
/// Per connection: the durability level (<see cref="DatabaseOptions.SqliteSynchronous"/>), reads through a memory map, and lets SQLite itself wait for the writer lock (its busy handler backs off from a millisecond) instead of
/// Microsoft.Data.Sqlite's own retry, which sleeps 150 ms per busy answer and stalls every writer in a queue
/// behind the one that holds the lock.
/// Pooled connections keep their native handle, and the settings with it: each handle is set up once.
/// </summary>
public sealed class SqliteConnectionSetup(int busyTimeoutMilliseconds, SqliteSynchronous synchronous) : DbConnectionInterceptor
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> _configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (FirstOpen(connection))
        {
            Configure(connection);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!FirstOpen(connection))
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private bool FirstOpen(DbConnection connection) =>
        connection is not Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle } || _configured.TryAdd(handle, this);

    private string Pragma =>
        $"PRAGMA busy_timeout = {busyTimeoutMilliseconds}; PRAGMA synchronous = {synchronous.ToString().ToUpperInvariant()}; PRAGMA mmap_size = {MemoryMapBytes};";

    /// <summary>
    /// The database file is read through a memory map rather than a read call per page. Every commit of another
    /// connection empties a connection's own page cache (WAL mode), so under load each query re-read its pages with
    /// pread: a third of the inbox processor's CPU went to those calls and their copies. Address space only; the
    /// pages are the operating system's file cache, shared by every connection.
    /// </summary>
    public const long MemoryMapBytes = 1L << 30;

    private void Configure(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }
}
