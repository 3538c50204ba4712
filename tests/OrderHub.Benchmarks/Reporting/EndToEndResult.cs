using OrderHub.Benchmarks.Load;
using OrderHub.Simulators;

namespace OrderHub.Benchmarks.Reporting;

/// <summary>What the end-to-end run measured, matched by Dots order number at the simulator.</summary>
public sealed record EndToEndResult
{
    public int TargetRate { get; init; }
    public TimeSpan Duration { get; init; }
    public int Sent { get; init; }
    public double IssuedRate { get; init; }
    public double AnsweredRate { get; init; }
    public required IReadOnlyDictionary<string, int> Statuses { get; init; }
    public int Accepted { get; init; }

    /// <summary>Due time → answer from OrderHub (intake under the export load).</summary>
    public required Latencies Intake { get; init; }

    /// <summary>Due time of the Dots event → first arrival at the POS.</summary>
    public required Latencies SendToPos { get; init; }

    /// <summary>OrderHub's 202 → first arrival at the POS (the dispatcher's share).</summary>
    public required Latencies AcceptedToPos { get; init; }
    /// <summary>Accepted (202) but not at the POS by the end of the drain wait: late, not necessarily lost.</summary>
    public int NotDeliveredWithinDrainWait { get; init; }

    /// <summary>Accepted (202) and still not at the POS after the further wait for stragglers: never delivered.</summary>
    public int Lost { get; init; }

    /// <summary>How long the run waited after the drain wait for orders not delivered within it.</summary>
    public TimeSpan LostWait { get; init; }
    public int SimulatorDuplicates { get; init; }
    public int ReceivedMoreThanOnce { get; init; }
    public int ReceivedUnacknowledged { get; init; }
    public TimeSpan DrainWait { get; init; }

    public int Duplicated => SimulatorDuplicates + ReceivedMoreThanOnce;

    /// <summary>Dots order numbers of the measured run start with this.</summary>
    public const string MeasuredPrefix = "E2E-";

    /// <summary>OrderHub's process's CPU time from the first send to the end of the drain (in-process: with the simulator and load).</summary>
    public TimeSpan Cpu { get; init; }

    /// <summary>With OrderHub in a process of its own: the benchmark process's CPU (load generator and simulated POS).</summary>
    public TimeSpan? LoadCpu { get; init; }

    /// <summary>With PostgreSQL: its server processes' CPU over the same window (backends with lasting connections).</summary>
    public TimeSpan? DatabaseCpu { get; init; }

    public TimeSpan CpuWindow { get; init; }

    public int Non2xx => Statuses.Where(s => s.Key is not ("200" or "202")).Sum(s => s.Value);

    public static EndToEndResult From(BenchmarkOptions options, OpenLoopResult run, IReadOnlyList<SimulatedOrder> received, int simulatorDuplicates, TimeSpan drainWait)
    {
        var arrivals = received
            .Select(o => (Number: BenchmarkApp.NumberOf(o), o.ReceivedAt))
            .Where(o => o.Number is not null)
            .GroupBy(o => o.Number!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (First: g.Min(o => o.ReceivedAt), Count: g.Count()), StringComparer.Ordinal);
        var accepted = run.Orders.Where(o => o.Status == "202").ToList();
        var delivered = accepted.Where(o => arrivals.ContainsKey(o.Number)).ToList();
        var acknowledged = run.Orders.Where(o => o.Status is "200" or "202").Select(o => o.Number).ToHashSet(StringComparer.Ordinal);
        return new EndToEndResult
        {
            TargetRate = options.Rate,
            Duration = options.Duration,
            Sent = run.Orders.Count,
            IssuedRate = run.IssuedRate,
            AnsweredRate = run.AnsweredRate,
            Statuses = run.Orders.GroupBy(o => o.Status).ToDictionary(g => g.Key, g => g.Count()),
            Accepted = accepted.Count,
            Intake = Latencies.Of(run.Orders.Where(o => o.AnsweredAt is not null).Select(o => (o.AnsweredAt!.Value - o.DueAt).TotalMilliseconds)),
            SendToPos = Latencies.Of(delivered.Select(o => (arrivals[o.Number].First - o.DueAt).TotalMilliseconds)),
            AcceptedToPos = Latencies.Of(delivered.Select(o => (arrivals[o.Number].First - o.AnsweredAt!.Value).TotalMilliseconds)),
            NotDeliveredWithinDrainWait = accepted.Count - delivered.Count,
            Lost = accepted.Count - delivered.Count,
            SimulatorDuplicates = simulatorDuplicates,
            ReceivedMoreThanOnce = arrivals.Values.Sum(a => a.Count - 1),
            // Orders of this run only (the warm-up's have numbers of their own).
            ReceivedUnacknowledged = arrivals.Keys.Count(n => n.StartsWith(MeasuredPrefix, StringComparison.Ordinal) && !acknowledged.Contains(n)),
            DrainWait = drainWait,
        };
    }
}
