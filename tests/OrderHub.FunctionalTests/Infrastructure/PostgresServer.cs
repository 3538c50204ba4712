using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster per test run, started from Debian's installed binaries on 127.0.0.1 and a
/// free port (fsync off: the data is thrown away). Each test gets its own database in it. Set
/// <c>ORDERHUB_TEST_POSTGRES</c> to a connection string to use a server you already run instead.
/// </summary>
public sealed class PostgresServer
{
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private string? _adminConnectionString;
    private string? _dataDirectory;
    private string? _binDirectory;

    private PostgresServer()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
    }

    public static PostgresServer Instance { get; } = new();

    /// <summary>The running server's postmaster (first line of its <c>postmaster.pid</c>), or null before it starts.</summary>
    public int? ServerProcessId =>
        _dataDirectory is { } directory && File.Exists(Path.Combine(directory, "postmaster.pid"))
        && int.TryParse(File.ReadLines(Path.Combine(directory, "postmaster.pid")).FirstOrDefault(), out var pid)
            ? pid
            : null;

    /// <summary>A new empty database.</summary>
    public Task<string> CreateDatabaseAsync() => CreateDatabaseAsync(template: null);

    /// <summary>
    /// A new database with every migration applied: a copy of the run's template, which <paramref name="migrate"/>
    /// (given the template's connection string) migrates once, on the first call. The caller brings the migration,
    /// so the projects that share this file without OrderHub.Api (the drills) still build.
    /// </summary>
    public async Task<string> CreateMigratedDatabaseAsync(Func<string, Task> migrate)
    {
        lock (_templateLock)
        {
            _template ??= CreateTemplateAsync(migrate);
        }

        return await CreateDatabaseAsync(await _template);
    }

    private readonly Lock _templateLock = new();
    private Task<string>? _template;

    private async Task<string> CreateDatabaseAsync(string? template)
    {
        var admin = await EnsureStartedAsync();
        var name = "orderhub_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(admin, template is null ? $"CREATE DATABASE \"{name}\"" : $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 20 }.ConnectionString;
    }

    /// <summary>
    /// Migrates a database of its own once per run, then leaves nobody connected to it: PostgreSQL copies a
    /// database only while no session uses it.
    /// </summary>
    private async Task<string> CreateTemplateAsync(Func<string, Task> migrate)
    {
        var connectionString = await CreateDatabaseAsync(template: null);
        await migrate(connectionString);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await ExecuteAsync(await EnsureStartedAsync(),
            $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()");
        return name;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
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
            if (_adminConnectionString is not null)
            {
                return _adminConnectionString;
            }

            var external = Environment.GetEnvironmentVariable("ORDERHUB_TEST_POSTGRES");
            _adminConnectionString = string.IsNullOrWhiteSpace(external) ? await StartClusterAsync() : external;
            return _adminConnectionString;
        }
        finally
        {
            _startLock.Release();
        }
    }

    private async Task<string> StartClusterAsync()
    {
        _binDirectory = FindBinDirectory()
            ?? throw new InvalidOperationException(
                "PostgreSQL binaries not found under /usr/lib/postgresql/*/bin. Install the Debian package 'postgresql' (scripts/test does).");
        await RemoveStaleClustersAsync(_binDirectory);
        var port = FreePort();
        _dataDirectory = Path.Combine(Path.GetTempPath(), $"{ClusterPrefix}{port}-{Environment.ProcessId}");
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }

        Directory.CreateDirectory(_dataDirectory);
        if (IsRoot)
        {
            await RunAsync("chown", $"postgres {_dataDirectory}", asPostgres: false);
        }

        await RunAsync(Path.Combine(_binDirectory, "initdb"), $"-D {_dataDirectory} -A trust -U postgres -E UTF8 --locale=C.UTF-8", asPostgres: true);
        var options = $"-p {port} -k {_dataDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), $"-D {_dataDirectory} -l {_dataDirectory}/server.log -w -o \"{options}\" start", asPostgres: true);
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true";
    }

    private const string ClusterPrefix = "orderhub-test-pg-";

    /// <summary>
    /// Clusters left by test runs that were killed (their process is gone, so nothing stopped them or removed their
    /// folder): stopped and removed, so killed runs cannot fill the disk over time.
    /// </summary>
    private static async Task RemoveStaleClustersAsync(string binDirectory)
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), ClusterPrefix + "*"))
        {
            var owner = Path.GetFileName(directory).Split('-').LastOrDefault();
            if (!int.TryParse(owner, out var pid) || pid == Environment.ProcessId || IsRunning(pid))
            {
                continue;
            }

            try
            {
                if (File.Exists(Path.Combine(directory, "postmaster.pid")))
                {
                    await RunAsync(Path.Combine(binDirectory, "pg_ctl"), $"-D {directory} stop -m immediate", asPostgres: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Not running any more: only the folder is left.
            }

            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Another run is removing it at the same moment, or it is not ours to remove.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private void Stop()
    {
        if (_binDirectory is null || _dataDirectory is null)
        {
            return;
        }

        try
        {
            RunAsync(Path.Combine(_binDirectory, "pg_ctl"), $"-D {_dataDirectory} stop -m immediate", asPostgres: true).GetAwaiter().GetResult();
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // Best effort at process exit: the folder lives under the temp directory.
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static string? FindBinDirectory() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(directory => Path.Combine(directory, "bin"))
                .Where(directory => File.Exists(Path.Combine(directory, "initdb")))
                .OrderByDescending(directory => int.TryParse(Path.GetFileName(Path.GetDirectoryName(directory)), out var version) ? version : 0)
                .FirstOrDefault()
            : null;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string fileName, string arguments, bool asPostgres)
    {
        var start = asPostgres && IsRoot
            ? new ProcessStartInfo("su") { ArgumentList = { "postgres", "-s", "/bin/bash", "-c", $"{fileName} {arguments}" } }
            : new ProcessStartInfo("/bin/bash") { ArgumentList = { "-c", $"{fileName} {arguments}" } };
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(fileName)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
