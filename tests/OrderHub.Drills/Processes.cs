using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OrderHub.Drills;

/// <summary>One real process (an OrderHub instance or the simulators) on 127.0.0.1, its output kept in a log file.</summary>
public sealed class DrillProcess(string name, string dll, int port, IReadOnlyDictionary<string, string> environment, string logDirectory)
{
    private Process? _process;

    public string Name => name;

    public int Port => port;

    public string BaseUrl => $"http://127.0.0.1:{port}";

    public bool Running => _process is { HasExited: false };

    public async Task StartAsync(string readyPath, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", BaseUrl },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(Path.Combine(logDirectory, $"{name}.log"), append: true) { AutoFlush = true };
        await log.WriteLineAsync($"--- start {DateTimeOffset.UtcNow:O}");
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        _process.OutputDataReceived += (_, e) => Write(log, e.Data);
        _process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        DrillProcesses.Track(this);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with {_process.ExitCode} at start; see {logDirectory}/{name}.log");
            }

            try
            {
                if ((await http.GetAsync(BaseUrl + readyPath)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        Kill();
        throw new TimeoutException($"{name} was not ready within {timeout.TotalSeconds:0} s");
    }

    /// <summary>SIGKILL: no drain, no shutdown hooks; whatever was in flight is left to its lease.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(10_000);
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }
}

/// <summary>Every process the drills started, so none outlives the runner.</summary>
public static class DrillProcesses
{
    private static readonly List<DrillProcess> All = [];

    static DrillProcesses()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        Console.CancelKeyPress += (_, _) => KillAll();
    }

    public static void Track(DrillProcess process)
    {
        lock (All)
        {
            if (!All.Contains(process))
            {
                All.Add(process);
            }
        }
    }

    public static void KillAll()
    {
        lock (All)
        {
            foreach (var process in All)
            {
                try
                {
                    process.Kill();
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Already gone.
                }
            }

            All.Clear();
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
