using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace OrderHub.GrowthBench;

/// <summary>
/// SQLite: one connection, one transaction, prepared multi-row INSERTs per table; journal off and no syncs
/// during the seed only (the file is set back to WAL after it). Values are stored as EF Core's SQLite mapping
/// stores them: GUIDs as upper-case text, times as UTC ticks, decimals as invariant text, booleans as 0/1.
/// </summary>
public sealed class SqliteSeedSink : ISeedSink
{
    // Microsoft.Data.Sqlite binds each parameter by name and sqlite3_bind_parameter_index scans linearly, so
    // binding costs grow with the square of a statement's parameters: a few rows per statement is fastest.
    private const int MaxParameters = 200;
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly Dictionary<SeedTable, (List<object?[]> Rows, SqliteCommand Full, int BatchRows)> _tables = [];

    private SqliteSeedSink(SqliteConnection connection, SqliteTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<SqliteSeedSink> OpenAsync(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        foreach (var pragma in new[]
                 {
                     "PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF", "PRAGMA foreign_keys=OFF", "PRAGMA cache_size=-1000000",
                     "PRAGMA temp_store=MEMORY", "PRAGMA locking_mode=EXCLUSIVE",
                 })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = pragma;
            await command.ExecuteNonQueryAsync();
        }

        return new SqliteSeedSink(connection, connection.BeginTransaction());
    }

    public async ValueTask AddAsync(SeedTable table, object?[] row)
    {
        if (!_tables.TryGetValue(table, out var entry))
        {
            var batchRows = Math.Max(1, MaxParameters / table.Columns.Length);
            entry = ([], Prepare(table, batchRows), batchRows);
            _tables[table] = entry;
        }

        entry.Rows.Add(row);
        if (entry.Rows.Count == entry.BatchRows)
        {
            await ExecuteAsync(entry.Full, entry.Rows);
        }
    }

    public async Task CompleteAsync()
    {
        foreach (var (table, entry) in _tables)
        {
            if (entry.Rows.Count > 0)
            {
                await using var rest = Prepare(table, entry.Rows.Count);
                await ExecuteAsync(rest, entry.Rows);
            }
        }

        await _transaction.CommitAsync();
        await using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL";
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var entry in _tables.Values)
        {
            await entry.Full.DisposeAsync();
        }

        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private SqliteCommand Prepare(SeedTable table, int rows)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        var columns = string.Join(", ", table.Columns.Select(c => $"\"{c}\""));
        var values = string.Join(", ", Enumerable.Range(0, rows).Select(r =>
            "(" + string.Join(", ", table.Columns.Select((_, c) => $"@p{r * table.Columns.Length + c}")) + ")"));
        command.CommandText = $"INSERT INTO \"{table.Name}\" ({columns}) VALUES {values}";
        for (var i = 0; i < rows * table.Columns.Length; i++)
        {
            command.Parameters.Add(new SqliteParameter($"@p{i}", null));
        }

        command.Prepare();
        return command;
    }

    private static async Task ExecuteAsync(SqliteCommand command, List<object?[]> rows)
    {
        var p = 0;
        foreach (var row in rows)
        {
            foreach (var value in row)
            {
                command.Parameters[p++].Value = value switch
                {
                    null => DBNull.Value,
                    Guid g => g.ToString().ToUpperInvariant(),
                    DateTimeOffset t => t.UtcTicks,
                    decimal d => d.ToString("0.0###########################", CultureInfo.InvariantCulture),
                    bool b => b ? 1L : 0L,
                    _ => value,
                };
            }
        }

        await command.ExecuteNonQueryAsync();
        rows.Clear();
    }
}

/// <summary>
/// PostgreSQL: one binary COPY per table, each on its own connection, all open at once. Foreign-key triggers
/// are off in these sessions (<c>session_replication_role = replica</c>): the rows are consistent by
/// construction and the COPYs commit separately.
/// </summary>
public sealed class PostgresSeedSink : ISeedSink
{
    private readonly Dictionary<SeedTable, (NpgsqlConnection Connection, NpgsqlBinaryImporter Importer)> _tables = [];

    public static async Task<PostgresSeedSink> OpenAsync(string connectionString)
    {
        var sink = new PostgresSeedSink();
        foreach (var table in Seeder.All)
        {
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using (var command = new NpgsqlCommand("SET session_replication_role = replica", connection))
            {
                await command.ExecuteNonQueryAsync();
            }

            var columns = string.Join(", ", table.Columns.Select(c => $"\"{c}\""));
            var importer = await connection.BeginBinaryImportAsync($"COPY \"{table.Name}\" ({columns}) FROM STDIN (FORMAT BINARY)");
            sink._tables[table] = (connection, importer);
        }

        return sink;
    }

    public async ValueTask AddAsync(SeedTable table, object?[] row)
    {
        var importer = _tables[table].Importer;
        await importer.StartRowAsync();
        foreach (var value in row)
        {
            switch (value)
            {
                case null: await importer.WriteNullAsync(); break;
                case Guid g: await importer.WriteAsync(g, NpgsqlDbType.Uuid); break;
                case string s: await importer.WriteAsync(s, NpgsqlDbType.Text); break;
                case int i: await importer.WriteAsync(i, NpgsqlDbType.Integer); break;
                case long l: await importer.WriteAsync(l, NpgsqlDbType.Bigint); break;
                case decimal d: await importer.WriteAsync(d, NpgsqlDbType.Numeric); break;
                case bool b: await importer.WriteAsync(b, NpgsqlDbType.Boolean); break;
                case DateTimeOffset t: await importer.WriteAsync(t.ToUniversalTime(), NpgsqlDbType.TimestampTz); break;
                default: throw new InvalidOperationException($"No COPY mapping for {value.GetType()}.");
            }
        }
    }

    public async Task CompleteAsync()
    {
        foreach (var (_, (_, importer)) in _tables)
        {
            await importer.CompleteAsync();
            await importer.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (connection, _) in _tables.Values)
        {
            await connection.DisposeAsync();
        }
    }
}
