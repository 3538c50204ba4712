namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>One fresh database of its own on one provider.</summary>
public interface ITestDatabase : IAsyncDisposable
{
    /// <summary>"Sqlite", "Postgres" or "SqlServer".</summary>
    string Provider { get; }

    /// <summary>Configuration for <c>Database:*</c> that points OrderHub at this database.</summary>
    IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>
    /// Creates the database with every migration applied and no rows, copied from the run's
    /// <see cref="MigratedTemplate"/> (the app's start-up then finds nothing pending).
    /// </summary>
    Task CreateAsync();

    /// <summary>Creates the database empty, without a table: for the tests of the migrations themselves.</summary>
    Task CreateEmptyAsync();
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

    public async Task CreateAsync()
    {
        var template = await Template.Value;
        Directory.CreateDirectory(_directory);
        File.Copy(template, FilePath);
    }

    public Task CreateEmptyAsync() => Task.CompletedTask;

    /// <summary>The run's migrated SQLite file, in rollback-journal mode so the one file holds everything.</summary>
    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    private static async Task<string> CreateTemplateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "orderhub-tests", $"template-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort at process exit, as for each test's folder.
            }
        };
        var file = Path.Combine(directory, "orderhub.db");
        await MigratedTemplate.MigrateAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={file}",
        });
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        // The app sets WAL at start-up; back to a rollback journal here, so the write-ahead log is folded into the
        // file and a plain copy of it is the whole database.
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=DELETE;";
        (await command.ExecuteScalarAsync() as string).ShouldBe("delete");
        return file;
    }

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

    public async Task CreateAsync() => _connectionString = await PostgresServer.Instance.CreateMigratedDatabaseAsync(template =>
        MigratedTemplate.MigrateAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = template,
        }));

    public async Task CreateEmptyAsync() => _connectionString = await PostgresServer.Instance.CreateDatabaseAsync();

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

    /// <summary>Migrated as the app would (no template: the SQL Server variants are few and often skipped).</summary>
    public async Task CreateAsync()
    {
        await CreateEmptyAsync();
        await MigratedTemplate.MigrateAsync(Settings);
        await DisposeAsync();
    }

    public async Task CreateEmptyAsync() => _connectionString = await SqlServerServer.Instance.CreateDatabaseAsync();

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
