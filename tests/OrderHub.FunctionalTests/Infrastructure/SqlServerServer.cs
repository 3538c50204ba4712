using Microsoft.Data.SqlClient;
using Testcontainers.MsSql;

namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>
/// The SQL Server the SQL Server variants of the functional tests run on: the one <c>ORDERHUB_TEST_SQLSERVER</c>
/// names (a connection string with rights to create databases), else a throwaway container of the official image
/// started through Testcontainers when a Docker engine is present. With neither, those tests are reported as
/// skipped with <see cref="SkipReason"/> (see <see cref="SkippingTestFramework"/>). Each test gets its own database.
/// </summary>
public sealed class SqlServerServer
{
    public const string Image = "mcr.microsoft.com/mssql/server:2022-latest";
    public const string ConnectionStringVariable = "ORDERHUB_TEST_SQLSERVER";

    private readonly SemaphoreSlim _startLock = new(1, 1);
    private string? _adminConnectionString;
    private MsSqlContainer? _container;

    private SqlServerServer()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => _container?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    public static SqlServerServer Instance { get; } = new();

    private static string? ExternalConnectionString => Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } value ? value : null;

    /// <summary>Why the SQL Server tests cannot run here, or null when they can. Cheap: no connection is made.</summary>
    public static string? SkipReason =>
        ExternalConnectionString is not null || DockerIsPresent ? null
            : $"No SQL Server: set {ConnectionStringVariable} to a connection string, or run a Docker engine (Testcontainers then starts {Image}).";

    private static bool DockerIsPresent =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");

    public async Task<string> CreateDatabaseAsync()
    {
        var admin = await EnsureStartedAsync();
        var name = "orderhub_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new SqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new SqlCommand($"CREATE DATABASE [{name}]", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new SqlConnectionStringBuilder(admin) { InitialCatalog = name, MaxPoolSize = 20 }.ConnectionString;
    }

    private async Task<string> EnsureStartedAsync()
    {
        if (_adminConnectionString is not null)
        {
            return _adminConnectionString;
        }

        await _startLock.WaitAsync();
        try
        {
            if (_adminConnectionString is null)
            {
                if (ExternalConnectionString is { } external)
                {
                    _adminConnectionString = external;
                }
                else
                {
                    _container = new MsSqlBuilder(Image).Build();
                    await _container.StartAsync();
                    _adminConnectionString = _container.GetConnectionString();
                }
            }

            return _adminConnectionString;
        }
        finally
        {
            _startLock.Release();
        }
    }
}
