using System.Diagnostics;
using Microsoft.Extensions.Options;
using OrderHub.Api.Persistence;

namespace OrderHub.Api.Telemetry;

/// <summary>
/// Writes the write gate's use to the log every <see cref="TelemetryOptions.WriteGateLogInterval"/> (off unless
/// set), for a reader without a metrics pipeline: the benchmark reads it from the OrderHub process it starts. Each
/// line carries the machine's monotonic clock (<see cref="Stopwatch.GetTimestamp"/>, in seconds), so a reader can
/// place it against its own clock.
/// </summary>
public sealed partial class WriteGateLog(WriteGate gate, IOptions<TelemetryOptions> options, ILogger<WriteGateLog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.WriteGateLogInterval is not { } interval || !gate.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval);
        do
        {
            var use = gate.Held();
            LogUse(logger, Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency, use.Held.TotalSeconds, use.Turns, use.HeldCpu.TotalSeconds, use.CpuTurns);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Write gate at {Clock:F3}: held {HeldSeconds:F3} s in {Turns} turns since start, {HeldCpuSeconds:F3} s CPU in {CpuTurns} of them")]
    private static partial void LogUse(ILogger logger, double clock, double heldSeconds, long turns, double heldCpuSeconds, long cpuTurns);
}
