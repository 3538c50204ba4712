using System.Diagnostics;
using System.Globalization;
using OrderHub.Api.Persistence;

namespace OrderHub.Benchmarks.Reporting;

/// <summary>
/// The write gate (SQLite's one writer) over one phase: how long it was held and how many turns it gave, against the
/// phase's wall time. Read from the gate itself in this process, or from the log lines of an OrderHub process
/// (<c>Telemetry:WriteGateLogInterval</c>).
/// </summary>
public sealed record GateFigures(TimeSpan Held, long Turns, TimeSpan Wall)
{
    /// <summary>CPU the holders used under the gate, over <see cref="CpuTurns"/> of the turns (see <see cref="WriteGateUse"/>).</summary>
    public TimeSpan HeldCpu { get; init; }

    public long CpuTurns { get; init; }

    public static GateFigures Between(WriteGateUse before, WriteGateUse after, TimeSpan wall)
    {
        var used = after - before;
        return new GateFigures(used.Held, used.Turns, wall) { HeldCpu = used.HeldCpu, CpuTurns = used.CpuTurns };
    }

    /// <summary>CPU under the gate per unit, scaled from the turns measured to all turns; null when none was measured.</summary>
    public double? CpuMsPer(long count) =>
        CpuTurns == 0 ? null : HeldCpu.TotalMilliseconds * ((double)Turns / CpuTurns) / Math.Max(1, count);

    public double HeldShare => Wall > TimeSpan.Zero ? Held / Wall : 0;

    /// <summary>"held 97 % of the time, 301 turns/s, 2.21 ms per order".</summary>
    public string Describe(long count, string unit) =>
        string.Create(CultureInfo.InvariantCulture,
            $"write gate held {HeldShare:P0} of the wall time, {Turns / Math.Max(Wall.TotalSeconds, 0.001):0} turns/s, {Held.TotalMilliseconds / Math.Max(1, count):0.00} ms held per {unit}")
        + (CpuMsPer(count) is { } cpu
            ? string.Create(CultureInfo.InvariantCulture, $", {cpu:0.000} ms CPU under it per {unit} ({CpuTurns} of {Turns} turns measured)")
            : "");
}

/// <summary>
/// The write-gate lines an OrderHub process logs (clock, held seconds, turns), interpolated to a moment of this
/// machine's monotonic clock (<see cref="Stopwatch.GetTimestamp"/>, the clock the lines carry).
/// </summary>
public sealed class GateLog
{
    private readonly List<(double Clock, double Held, long Turns, double Cpu, long CpuTurns)> _samples = [];

    public const string Marker = "Write gate at ";

    /// <summary>Keeps the line if it is a write-gate line; true when it was.</summary>
    public bool Offer(string line)
    {
        var at = line.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        // "Write gate at {clock}: held {seconds} s in {turns} turns since start, {cpu} s CPU in {cpuTurns} of them"
        var parts = line[(at + Marker.Length)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 14
            || !double.TryParse(parts[0].TrimEnd(':'), NumberStyles.Float, CultureInfo.InvariantCulture, out var clock)
            || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var held)
            || !long.TryParse(parts[5], NumberStyles.Integer, CultureInfo.InvariantCulture, out var turns)
            || !double.TryParse(parts[9], NumberStyles.Float, CultureInfo.InvariantCulture, out var cpu)
            || !long.TryParse(parts[13], NumberStyles.Integer, CultureInfo.InvariantCulture, out var cpuTurns))
        {
            return false;
        }

        lock (_samples)
        {
            _samples.Add((clock, held, turns, cpu, cpuTurns));
        }

        return true;
    }

    public static double Now() => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;

    /// <summary>The gate's use at <paramref name="clock"/>, between the lines on either side; null without both.</summary>
    public WriteGateUse? At(double clock)
    {
        lock (_samples)
        {
            for (var i = 1; i < _samples.Count; i++)
            {
                var (c0, h0, t0, u0, n0) = _samples[i - 1];
                var (c1, h1, t1, u1, n1) = _samples[i];
                if (c0 <= clock && clock <= c1)
                {
                    var f = c1 > c0 ? (clock - c0) / (c1 - c0) : 0;
                    return new WriteGateUse(TimeSpan.FromSeconds(h0 + f * (h1 - h0)), (long)Math.Round(t0 + f * (t1 - t0)))
                    {
                        HeldCpu = TimeSpan.FromSeconds(u0 + f * (u1 - u0)),
                        CpuTurns = (long)Math.Round(n0 + f * (n1 - n0)),
                    };
                }
            }
        }

        return null;
    }
}
