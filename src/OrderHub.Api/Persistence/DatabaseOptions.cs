using System.ComponentModel.DataAnnotations;

namespace OrderHub.Api.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><c>Sqlite</c> (default, embedded file) or <c>Postgres</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>SQLite: the database file; relative paths are under the content root. Created on first run.</summary>
    public string SqlitePath { get; set; } = "data/orderhub.db";

    /// <summary>Postgres: an Npgsql connection string. Required when <see cref="Provider"/> is Postgres.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// SQLite: <c>Full</c> (default) syncs the log on every commit, so an accepted order survives a power loss;
    /// <c>Normal</c> syncs only at checkpoints: still safe from a process crash (kill -9) and never corrupt, but
    /// the last commits may be lost with the machine's power — several times the write rate on slow disks.
    /// </summary>
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>Apply pending migrations at start-up (default on).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    internal IEnumerable<ValidationResult> Validate()
    {
        if (Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("Database:ConnectionString is required when Database:Provider is Postgres.");
        }
    }
}

public enum SqliteSynchronous
{
    Full,
    Normal,
}
