using System.Diagnostics;

namespace OrderHub.Benchmarks.Reporting;

public sealed record MemoryFigures(double SteadyMb, double PeakMb, double? HeapMb);

/// <summary>Samples a process's working set (OrderHub's) twice a second while a phase runs.</summary>
public sealed class MemorySampler : IDisposable
{
    private readonly Process _process;
    private readonly List<long> _samples = [];
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
        lock (_samples)
        {
            samples = [.. _samples];
        }

        var second = samples.Skip(samples.Length / 2).Order().ToArray();
        var steady = second.Length == 0 ? 0 : second[second.Length / 2];
        var heap = _process.Id == Environment.ProcessId ? GC.GetTotalMemory(false) / 1048576.0 : (double?)null;
        return new MemoryFigures(steady / 1048576.0, samples.DefaultIfEmpty().Max() / 1048576.0, heap);
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
}
