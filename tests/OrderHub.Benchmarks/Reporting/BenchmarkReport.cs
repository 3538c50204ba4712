using System.Globalization;
using System.Text;
using OrderHub.Benchmarks.Load;

namespace OrderHub.Benchmarks.Reporting;

/// <summary>The figures of one run, as the Markdown table printed and written to <c>results/latest-{provider}.md</c>.</summary>
public sealed class BenchmarkReport(BenchmarkOptions options, string[] args)
{
    private const double IngestTarget = 0.30;
    private const double P99TargetMs = 250;

    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;

    public string Provider { get; set; } = "";

    public ClosedLoopResult? Noop { get; set; }

    public ClosedLoopResult? Ingest { get; set; }

    /// <summary>The write gate over the measured ingest (SQLite only).</summary>
    public GateFigures? IngestGate { get; set; }

    /// <summary>The write gate from the first send to the end of the drain (SQLite only).</summary>
    public GateFigures? EndToEndGate { get; set; }

    /// <summary>The inbox applying what the ingest stored, after the ingest phase.</summary>
    public InboxDrainResult? InboxDrain { get; set; }

    public EndToEndResult? EndToEnd { get; set; }

    public string? QueueAtEnd { get; set; }

    public MemoryFigures? Memory { get; set; }

    /// <summary>The end-to-end phase ran against OrderHub in a process of its own.</summary>
    public bool EndToEndProcess { get; set; }

    public string CommandLine => "dotnet run -c Release --project tests/OrderHub.Benchmarks --" + string.Concat(args.Select(a => " " + a));

    public string Environment() =>
        $"Machine: {BenchmarkApp.Machine()}\nProvider: {options.Provider}\nCommand: {CommandLine}";

    public string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# OrderHub benchmark: {Provider}");
        md.AppendLine();
        md.AppendLine("| | |");
        md.AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| run at | {_startedAt:yyyy-MM-dd HH:mm} UTC |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| machine | {BenchmarkApp.Machine()} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| provider | {Provider} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| command | `{CommandLine}` |");
        md.AppendLine(EndToEndProcess
            ? $"| setup | ingest: OrderHub (Production, Warning logs, dispatcher on) in the benchmark process with the load generator, the no-op and the ingest phase each measured after {options.IngestWarmup.TotalSeconds:0} s of unmeasured warm-up; end to end: the same database served by `dotnet OrderHub.Api.dll`{(options.PublishedApi is { } published ? $" published in `{published}`" : "")} in a process of its own (its shipped runtime settings), after {options.Warmup.TotalSeconds:0} s of warm-up, the webhook POS simulator and the load generator in the benchmark process; all on loopback |"
            : $"| setup | OrderHub (Production, Warning logs, dispatcher on), webhook POS simulator and load generator in one process on loopback; the no-op and the ingest phase each measured after {options.IngestWarmup.TotalSeconds:0} s of unmeasured warm-up, end to end after {options.Warmup.TotalSeconds:0} s |");
        md.AppendLine();

        if (Noop is not null && Ingest is not null)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## Ingest (closed loop, {Ingest.Connections} connections, {Ingest.Elapsed.TotalSeconds:0} s after {options.IngestWarmup.TotalSeconds:0} s warm-up, each phase; auto-sync off)");
            md.AppendLine();
            md.AppendLine("| phase | requests | req/s | p50 ms | p99 ms | max ms | cores busy | CPU ms / request | status codes |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var phase in new[] { Noop, Ingest })
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {(phase == Noop ? "no-op ceiling `POST /bench/noop`" : "ingest `POST /webhooks/dots/{key}`")} | {phase.Requests} | {phase.RequestsPerSecond:0} | {phase.Latency.P50:0.0} | {phase.Latency.P99:0.0} | {phase.Latency.Max:0} | {phase.CoresBusy:0.00} | {phase.CpuMsPerRequest:0.000} | {Statuses(phase.Statuses)} |");
            }

            var share = Ingest.RequestsPerSecond / Noop.RequestsPerSecond;
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Ingest is **{share:P0}** of the no-op rate (target ≥ {IngestTarget:P0}): {Verdict(share >= IngestTarget)}.");
            md.AppendLine();
            if (IngestGate is { } gate)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"Ingest: {gate.Describe(Ingest.Requests, "request")}.");
                md.AppendLine();
            }
        }

        if (InboxDrain is { } drain)
        {
            var applied = drain.Start - drain.Left;
            md.AppendLine(CultureInfo.InvariantCulture,
                $"Inbox after the ingest (auto-sync off, nothing else running): {drain.Start} stored events still to apply, {applied} applied in {drain.Elapsed.TotalSeconds:0.0} s = **{(applied / Math.Max(drain.Elapsed.TotalSeconds, 0.001)):0} per s**, {(applied == 0 ? 0 : drain.Cpu.TotalMilliseconds / applied):0.00} ms CPU per event (this process); {drain.Left} left unapplied{(drain.Gate is { } drainGate ? "; " + drainGate.Describe(applied, "event") : "")}.");
            md.AppendLine();
        }

        if (EndToEnd is { } e2e)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## End to end (open loop, {e2e.TargetRate} orders/s for {e2e.Duration.TotalSeconds:0} s, auto-sync on)");
            md.AppendLine();
            md.AppendLine("| measure | value | target |");
            md.AppendLine("|---|---:|---|");
            md.AppendLine(CultureInfo.InvariantCulture, $"| orders sent | {e2e.Sent} | |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| achieved send rate (issued / answered) | {e2e.IssuedRate:0} / {e2e.AnsweredRate:0} per s | {e2e.TargetRate} per s |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| status codes | {Statuses(e2e.Statuses.ToDictionary(kv => kv.Key, kv => (long)kv.Value))} | |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| non-2xx / errors | {e2e.Non2xx} | 0 |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| intake latency (due → answer) p50 / p99 | {e2e.Intake.P50:0.0} / {e2e.Intake.P99:0.0} ms | |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| **accepted → POS latency** (202 → simulator) p50 / p99 / max | {e2e.AcceptedToPos.P50:0.0} / {e2e.AcceptedToPos.P99:0.0} / {e2e.AcceptedToPos.Max:0} ms | p99 ≤ {P99TargetMs:0} ms: {Verdict(e2e.AcceptedToPos.P99 <= P99TargetMs)} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| sent → POS latency (due → simulator) p50 / p99 / max | {e2e.SendToPos.P50:0.0} / {e2e.SendToPos.P99:0.0} / {e2e.SendToPos.Max:0} ms | p99 ≤ {P99TargetMs:0} ms: {Verdict(e2e.SendToPos.P99 <= P99TargetMs)} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| not delivered within the drain wait (202, not at the POS by its end) | {e2e.NotDeliveredWithinDrainWait} of {e2e.Accepted} | 0: {Verdict(e2e.NotDeliveredWithinDrainWait == 0)} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| lost (202, never at the POS, after a further {e2e.LostWait.TotalSeconds:0} s) | {e2e.Lost} of {e2e.Accepted} | 0: {Verdict(e2e.Lost == 0)} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| duplicated (simulator duplicates + orders received more than once) | {e2e.Duplicated} ({e2e.SimulatorDuplicates} + {e2e.ReceivedMoreThanOnce}) | 0: {Verdict(e2e.Duplicated == 0)} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| at the POS without a 2xx to the sender | {e2e.ReceivedUnacknowledged} | |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| drain wait after the last send | {e2e.DrainWait.TotalSeconds:0.0} s | ≤ {options.DrainTimeout.TotalSeconds:0} s |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| export queue at the end | {QueueAtEnd} | |");
            if (e2e.Cpu > TimeSpan.Zero)
            {
                var delivered = Math.Max(1, e2e.Accepted - e2e.NotDeliveredWithinDrainWait);
                var line = e2e.LoadCpu is { } load
                    ? $"| CPU, first send to end of drain: cores busy / ms per delivered order — OrderHub process; load generator and simulator | {e2e.Cpu / e2e.CpuWindow:0.00} / {e2e.Cpu.TotalMilliseconds / delivered:0.00}; {load / e2e.CpuWindow:0.00} / {load.TotalMilliseconds / delivered:0.00} | |"
                    : $"| CPU, first send to end of drain: cores busy / ms per delivered order (all in one process) | {e2e.Cpu / e2e.CpuWindow:0.00} / {e2e.Cpu.TotalMilliseconds / delivered:0.00} | |";
                md.AppendLine(line);
                if (EndToEndGate is { } gate)
                {
                    var gateCpu = gate.CpuMsPer(delivered) is { } cpu ? cpu.ToString("0.000", CultureInfo.InvariantCulture) : "—";
                    md.AppendLine(CultureInfo.InvariantCulture,
                        $"| write gate (SQLite's one writer), same window: held share of wall time / turns per s / ms held per delivered order / ms CPU under it per delivered order | {gate.HeldShare:P0} / {gate.Turns / Math.Max(gate.Wall.TotalSeconds, 0.001):0} / {gate.Held.TotalMilliseconds / delivered:0.00} / {gateCpu} ({gate.CpuTurns} of {gate.Turns} turns measured) | |");
                }

                if (e2e.DatabaseCpu is { } database)
                {
                    md.AppendLine(CultureInfo.InvariantCulture,
                        $"| CPU of the PostgreSQL server processes, same window: cores busy / ms per delivered order | {database / e2e.CpuWindow:0.00} / {database.TotalMilliseconds / delivered:0.00} | |");
                }
            }

            if (Memory is { } m)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {(EndToEndProcess ? "OrderHub process's" : "the process's")} working set, steady state (median of the second half) / peak | {m.SteadyMb:0} / {m.PeakMb:0} MB{(m.HeapMb is { } heap ? $" (GC heap {heap:0} MB)" : "")}{(m.PrivateMb is { } own && m.FileMb is { } mapped && m.SharedMb is { } shared ? $"; steady: {own:0} MB the process's own, {mapped:0} MB pages of mapped files (code, SQLite's mapped database: shared file cache), {shared:0} MB shared memory (JIT code mapped twice, W^X)" : "")} | ≤ {MemoryTargetMb} MB: {Verdict(m.SteadyMb <= MemoryTargetMb)} |");
            }

            md.AppendLine();
        }

        return md.ToString();
    }

    /// <summary>The whole process: OrderHub, the simulator and the load generator together, so an upper bound for OrderHub.</summary>
    public const int MemoryTargetMb = 300;

    private static string Verdict(bool met) => met ? "met" : "**missed**";

    private static string Statuses(IReadOnlyDictionary<string, long> statuses) =>
        string.Join(", ", statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}: {s.Value}"));
}

/// <summary>The inbox's backlog after the ingest phase: received events at the start, left at the end, time and CPU taken.</summary>
public sealed record InboxDrainResult(int Start, int Left, TimeSpan Elapsed, TimeSpan Cpu)
{
    /// <summary>The write gate over the drain (SQLite only).</summary>
    public GateFigures? Gate { get; init; }
}
