using Npgsql;
using OrderHub.FunctionalTests.Infrastructure;

namespace OrderHub.Benchmarks.Hosting;

/// <summary>A fresh, empty database for one run: a SQLite file under the temp folder, or a database in a throwaway PostgreSQL cluster.</summary>
public sealed class BenchDatabase : IDisposable
{
    private readonly string? _sqliteDirectory;

    private BenchDatabase(string provider, IReadOnlyDictionary<string, string?> settings, string? sqliteDirectory)
    {
        Provider = provider;
        Settings = settings;
        _sqliteDirectory = sqliteDirectory;
    }

    public string Provider { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public static async Task<BenchDatabase> CreateAsync(string provider)
    {
        if (provider == "postgres")
        {
            // The functional tests cap their pool at 20 to share one cluster; a server uses Npgsql's default of 100.
            var connectionString = new NpgsqlConnectionStringBuilder(await PostgresServer.Instance.CreateDatabaseAsync()) { MaxPoolSize = 100 }.ConnectionString;
            return new BenchDatabase("PostgreSQL", new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Postgres",
                ["Database:ConnectionString"] = connectionString,
            }, null);
        }

        var directory = Path.Combine(Path.GetTempPath(), "orderhub-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return new BenchDatabase("SQLite", new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(directory, "orderhub.db")}",
        }, directory);
    }

    public void Dispose()
    {
        if (_sqliteDirectory is null)
        {
            return;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_sqliteDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow shutdown; the temp folder is cleaned by the OS.
        }
    }
}
