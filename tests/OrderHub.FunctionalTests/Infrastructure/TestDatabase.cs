namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>One fresh, empty database on one provider.</summary>
public interface ITestDatabase : IAsyncDisposable
{
    /// <summary>"Sqlite", "Postgres" or "SqlServer".</summary>
    string Provider { get; }

    /// <summary>Configuration for <c>Database:*</c> that points OrderHub at this database.</summary>
    IReadOnlyDictionary<string, string?> Settings { get; }

    Task CreateAsync();
}

public sealed class SqliteTestDatabase : ITestDatabase
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orderhub-tests", Guid.NewGuid().ToString("N"));

    public string Provider => "Sqlite";

    public string FilePath => Path.Combine(_directory, "orderhub.db");

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Sqlite",
        ["Database:ConnectionString"] = $"Data Source={FilePath}",
    };

    public Task CreateAsync() => Task.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow shutdown; the temp folder is cleaned by the OS.
        }

        return ValueTask.CompletedTask;
    }
}

public sealed class PostgresTestDatabase : ITestDatabase
{
    private string _connectionString = "";

    public string Provider => "Postgres";

    public string ConnectionString => _connectionString;

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Postgres",
        ["Database:ConnectionString"] = _connectionString,
    };

    public async Task CreateAsync() => _connectionString = await PostgresServer.Instance.CreateDatabaseAsync();

    /// <summary>
    /// Closes this database's idle pooled connections: a pool outlives the app that used it, and the idle
    /// connections of a hundred finished tests would exhaust the cluster's max_connections.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        if (_connectionString.Length > 0)
        {
            using var connection = new Npgsql.NpgsqlConnection(_connectionString);
            Npgsql.NpgsqlConnection.ClearPool(connection);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>A database on the SQL Server of <see cref="SqlServerServer"/>; its test classes carry <see cref="RequiresSqlServerAttribute"/>.</summary>
public sealed class SqlServerTestDatabase : ITestDatabase
{
    private string _connectionString = "";

    public string Provider => "SqlServer";

    public string ConnectionString => _connectionString;

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = "SqlServer",
        ["Database:ConnectionString"] = _connectionString,
    };

    public async Task CreateAsync() => _connectionString = await SqlServerServer.Instance.CreateDatabaseAsync();

    /// <summary>Closes this database's idle pooled connections, as for PostgreSQL.</summary>
    public ValueTask DisposeAsync()
    {
        if (_connectionString.Length > 0)
        {
            using var connection = new Microsoft.Data.SqlClient.SqlConnection(_connectionString);
            Microsoft.Data.SqlClient.SqlConnection.ClearPool(connection);
        }

        return ValueTask.CompletedTask;
    }
}
