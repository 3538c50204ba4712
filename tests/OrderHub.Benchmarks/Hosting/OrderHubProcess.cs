using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Benchmarks.Reporting;

namespace OrderHub.Benchmarks.Hosting;

/// <summary>
/// OrderHub as a process of its own (<c>dotnet OrderHub.Api.dll</c>, its own runtime settings: the GC it ships
/// with), so the end-to-end phase measures OrderHub's working set and CPU apart from the load generator and the
/// simulated POS, which stay in the benchmark process. Same database and settings as the in-process host.
/// </summary>
public sealed class OrderHubProcess(
    IReadOnlyDictionary<string, string?> databaseSettings, IReadOnlyDictionary<string, string?> extraSettings, string? appDirectory = null)
    : IAsyncDisposable
{
    private Process? _process;
    private readonly List<string> _output = [];

    public string BaseUrl { get; private set; } = "";

    /// <summary>The write gate's use, from the lines the process logs every second.</summary>
    public GateLog Gate { get; } = new();

    public Process Process => _process ?? throw new InvalidOperationException("Not started.");

    public async Task<string> StartAsync()
    {
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        var directory = appDirectory ?? AppContext.BaseDirectory;
        var dll = Path.Combine(directory, "OrderHub.Api.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", BaseUrl, "--contentRoot", BenchOrderHubFactory.ApiContentRoot() },
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in BenchOrderHubFactory.Settings(databaseSettings, extraSettings))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["Telemetry__WriteGateLogInterval"] = "00:00:01";
        start.Environment["Logging__LogLevel__OrderHub.Api.Telemetry.WriteGateLog"] = "Information";

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start OrderHub.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"OrderHub exited with {_process.ExitCode} at start:\n{string.Join('\n', Output())}");
            }

            try
            {
                if ((await http.GetAsync(BaseUrl + "/health/ready")).IsSuccessStatusCode)
                {
                    return BaseUrl;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"OrderHub was not ready within 60 s:\n{string.Join('\n', Output())}");
    }

    /// <summary>The export queue by state, read from the database the process uses.</summary>
    public async Task<string> QueueStatesAsync()
    {
        await using var db = OpenDatabase();
        var states = await db.ExportQueue.GroupBy(e => e.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        return string.Join(", ", states.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Count}"));
    }

    public IReadOnlyList<string> Output()
    {
        lock (_output)
        {
            return [.. _output];
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private OrderHubDbContext OpenDatabase()
    {
        if (databaseSettings.GetValueOrDefault("Database:Provider") == "Postgres")
        {
            return new PostgresOrderHubDbContext(new DbContextOptionsBuilder<PostgresOrderHubDbContext>()
                .UseNpgsql(databaseSettings["Database:ConnectionString"]).Options);
        }

        return new SqliteOrderHubDbContext(new DbContextOptionsBuilder<SqliteOrderHubDbContext>()
            .UseSqlite(databaseSettings["Database:ConnectionString"]).Options);
    }

    private void Keep(string? line)
    {
        if (line is null || Gate.Offer(line))
        {
            return;
        }

        lock (_output)
        {
            // The last lines are enough to say why a start failed.
            if (_output.Count > 200)
            {
                _output.RemoveAt(0);
            }

            _output.Add(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
