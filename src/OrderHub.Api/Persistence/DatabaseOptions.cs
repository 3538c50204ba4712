using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OrderHub.Api.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
    SqlServer,
}

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>The SQLite database when nothing is configured (the demo's).</summary>
    public const string DefaultSqliteConnectionString = "Data Source=data/orderhub.db";

    /// <summary><c>Sqlite</c> (default, embedded file), <c>Postgres</c> or <c>SqlServer</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// The connection string of the chosen provider. SQLite: <c>Data Source=path</c>, a relative path under the
    /// content root, created on first run (default <c>Data Source=data/orderhub.db</c>). Postgres: an Npgsql
    /// connection string, required. SqlServer: a Microsoft.Data.SqlClient connection string
    /// (<c>Server=…;Database=…;User Id=…;Password=…;Encrypt=…</c>), required.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Deprecated: use <see cref="ConnectionString"/> (<c>Data Source=…</c>). Still read for SQLite when no
    /// connection string is set, with a warning at start.</summary>
    public string? SqlitePath { get; set; }

    /// <summary>
    /// SQLite only: <c>Full</c> (default) syncs the log on every commit, so an accepted order survives a power loss;
    /// <c>Normal</c> syncs only at checkpoints: still safe from a process crash (kill -9) and never corrupt, but
    /// the last commits may be lost with the machine's power — several times the write rate on slow disks.
    /// </summary>
    public SqliteSynchronous? SqliteSynchronous { get; set; }

    /// <summary>
    /// SQLite: how long the intake's group commits, which go first at SQLite's one writer, may keep another waiting
    /// writer back (the queues' claims, outcomes and inbox rounds). Longer favours answering webhooks during a burst;
    /// zero puts the intake behind the others.
    /// </summary>
    public TimeSpan SqliteIntakeMaxDefer { get; set; } = WriteGate.DefaultMaxDefer;

    /// <summary>Apply pending migrations at start-up (default on).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Whether the deprecated <see cref="SqlitePath"/> is what points at the database.</summary>
    internal bool UsesDeprecatedSqlitePath => Provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(ConnectionString) && !string.IsNullOrWhiteSpace(SqlitePath);

    /// <summary>The SQLite connection string this configuration means, before paths are resolved.</summary>
    internal string SqliteConnectionString => !string.IsNullOrWhiteSpace(ConnectionString) ? ConnectionString
        : UsesDeprecatedSqlitePath ? new SqliteConnectionStringBuilder { DataSource = SqlitePath }.ToString()
        : DefaultSqliteConnectionString;

    /// <summary>Each setting that is missing, malformed or does not apply to the chosen provider, named as configured.</summary>
    internal IEnumerable<string> Problems()
    {
        switch (Provider)
        {
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(ConnectionString))
                {
                    yield return "Database:ConnectionString is required when Database:Provider is Postgres.";
                }
                else if (!Parses(() => new NpgsqlConnectionStringBuilder(ConnectionString)) || string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(ConnectionString).Host))
                {
                    yield return "Database:ConnectionString is not an Npgsql connection string (Host=…;Database=…;Username=…) as Database:Provider Postgres needs.";
                }

                foreach (var problem in SqliteOnlyProblems())
                {
                    yield return problem;
                }

                break;
            case DatabaseProvider.SqlServer:
                if (string.IsNullOrWhiteSpace(ConnectionString))
                {
                    yield return "Database:ConnectionString is required when Database:Provider is SqlServer.";
                }
                else if (!Parses(() => new SqlConnectionStringBuilder(ConnectionString)) || string.IsNullOrWhiteSpace(new SqlConnectionStringBuilder(ConnectionString).DataSource))
                {
                    yield return "Database:ConnectionString is not a SQL Server connection string (Server=…;Database=…;User Id=…;Password=…) as Database:Provider SqlServer needs.";
                }

                foreach (var problem in SqliteOnlyProblems())
                {
                    yield return problem;
                }

                break;
            case DatabaseProvider.Sqlite:
                if (!string.IsNullOrWhiteSpace(ConnectionString) && SqlitePath is not null)
                {
                    yield return "Database:SqlitePath and Database:ConnectionString are both set; keep only Database:ConnectionString (Data Source=…): Database:SqlitePath is deprecated.";
                }
                else if (!Parses(() => new SqliteConnectionStringBuilder(SqliteConnectionString))
                         || string.IsNullOrWhiteSpace(new SqliteConnectionStringBuilder(SqliteConnectionString).DataSource))
                {
                    yield return "Database:ConnectionString is not a SQLite connection string (Data Source=path) as Database:Provider Sqlite needs.";
                }

                break;
        }
    }

    private IEnumerable<string> SqliteOnlyProblems()
    {
        if (SqlitePath is not null)
        {
            yield return "Database:SqlitePath applies only to Database:Provider Sqlite; remove it.";
        }

        if (SqliteSynchronous is not null)
        {
            yield return "Database:SqliteSynchronous applies only to Database:Provider Sqlite; remove it.";
        }
    }

    private static bool Parses(Func<object> parse)
    {
        try
        {
            parse();
            return true;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            return false;
        }
    }
}

public enum SqliteSynchronous
{
    Full,
    Normal,
}
