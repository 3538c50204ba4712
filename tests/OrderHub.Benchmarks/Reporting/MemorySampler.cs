using System.Diagnostics;

namespace OrderHub.Benchmarks.Reporting;

/// <summary>
/// Working set figures in MB. <paramref name="PrivateMb"/> and <paramref name="FileMb"/> split the steady working set
/// (Linux: RssAnon, RssFile and RssShmem of /proc/PID/status, medians of the second half): memory of the process's
/// own; pages of mapped files — the runtime's and libraries' code and SQLite's memory-mapped database, which are the
/// kernel's file cache, shared and reclaimable; and shared memory — the JIT's code and stubs, which the runtime maps
/// twice (writable and executable, W^X), so each of their pages counts twice in the working set.
/// </summary>
public sealed record MemoryFigures(double SteadyMb, double PeakMb, double? HeapMb, double? PrivateMb = null, double? FileMb = null, double? SharedMb = null);

/// <summary>Samples a process's working set (OrderHub's) twice a second while a phase runs.</summary>
public sealed class MemorySampler : IDisposable
{
    private readonly Process _process;
    private readonly List<long> _samples = [];
    private readonly List<(long Anon, long File, long Shared)> _split = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public MemorySampler(Process process)
    {
        _process = process;
        _loop = Task.Run(SampleAsync);
    }

    public MemoryFigures Stop()
    {
        _stop.Cancel();
        _loop.GetAwaiter().GetResult();
        long[] samples;
        (long Anon, long File, long Shared)[] split;
        lock (_samples)
        {
            samples = [.. _samples];
            split = [.. _split];
        }

        var second = samples.Skip(samples.Length / 2).Order().ToArray();
        var steady = second.Length == 0 ? 0 : second[second.Length / 2];
        var heap = _process.Id == Environment.ProcessId ? GC.GetTotalMemory(false) / 1048576.0 : (double?)null;
        var late = split.Skip(split.Length / 2).ToArray();
        return new MemoryFigures(
            steady / 1048576.0, samples.DefaultIfEmpty().Max() / 1048576.0, heap,
            late.Length == 0 ? null : Median(late.Select(s => s.Anon)) / 1048576.0,
            late.Length == 0 ? null : Median(late.Select(s => s.File)) / 1048576.0,
            late.Length == 0 ? null : Median(late.Select(s => s.Shared)) / 1048576.0);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            _process.Refresh();
            lock (_samples)
            {
                _samples.Add(_process.WorkingSet64);
                if (ReadSplit() is { } split)
                {
                    _split.Add(split);
                }
            }

            try
            {
                await Task.Delay(500, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static double Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>RssAnon, RssFile and RssShmem in bytes, or null where /proc is not there.</summary>
    private (long Anon, long File, long Shared)? ReadSplit()
    {
        try
        {
            long anon = -1, file = -1, shared = -1;
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
                {
                    anon = Kilobytes(line);
                }
                else if (line.StartsWith("RssFile:", StringComparison.Ordinal))
                {
                    file = Kilobytes(line);
                }
                else if (line.StartsWith("RssShmem:", StringComparison.Ordinal))
                {
                    shared = Kilobytes(line);
                }
            }

            return anon >= 0 && file >= 0 && shared >= 0 ? (anon * 1024, file * 1024, shared * 1024) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
