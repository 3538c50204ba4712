using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrderHub.Api.Persistence;
using OrderHub.Domain.History;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Resilience;

namespace OrderHub.Api.Telemetry;

/// <summary>
/// OrderHub's own meter (<see cref="MeterName"/>): orders received, exported and failed, the time from the 202 to
/// the POS's acknowledgement, the queues (sampled by <see cref="QueueMetricsSampler"/>), the POS circuits and, on
/// SQLite, the time the one writer's <see cref="WriteGate"/> was held.
/// Instrument names and units are listed in docs/configuration.md, "Telemetry".
/// </summary>
public sealed class OrderHubMetrics : IPosCircuitObserver
{
    public const string MeterName = "OrderHub";

    private readonly Counter<long> _received;
    private readonly Counter<long> _exported;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _exportLatency;
    private readonly ConcurrentDictionary<string, int> _circuits = new(StringComparer.Ordinal);
    private volatile IReadOnlyList<QueueSample> _queues = [];

    public OrderHubMetrics(IMeterFactory meterFactory, WriteGate writeGate)
    {
        Meter = meterFactory.Create(MeterName);
        _received = Meter.CreateCounter<long>("orderhub.orders.received", "{order}",
            "Orders accepted from Dots: stored, answered 202.");
        _exported = Meter.CreateCounter<long>("orderhub.orders.exported", "{order}",
            "Orders the POS acknowledged (or that were found there after an unclear attempt), by pos.kind.");
        _failed = Meter.CreateCounter<long>("orderhub.orders.failed", "{order}",
            "Orders that became Failed, by their typed reason.");
        _exportLatency = Meter.CreateHistogram("orderhub.orders.export_latency", "s",
            "From the 202 to Dots to the POS's acknowledgement, by pos.kind.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 10800] });
        Meter.CreateObservableGauge("orderhub.queue.depth", () => _queues.Select(q => new Measurement<long>(q.Depth, new KeyValuePair<string, object?>("queue", q.Queue))),
            "{entry}", "Entries not finished yet, per queue (inbox, export, fiscal, alert), at the last sample.");
        Meter.CreateObservableGauge("orderhub.queue.oldest_due_age", () => _queues.Select(q => new Measurement<double>(q.OldestDueAge.TotalSeconds, new KeyValuePair<string, object?>("queue", q.Queue))),
            "s", "How long the longest-waiting due entry has been due, per queue (0 when none is due), at the last sample.");
        Meter.CreateObservableGauge("orderhub.pos.circuit_state", () => _circuits.Select(c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("pos.integration", c.Key))),
            "{state}", "1 while the POS integration's circuit is open (calls paused), 0 once it closed again.");

        // Only where there is a gate (SQLite): elsewhere it is off and nothing waits on it.
        Meter.CreateObservableCounter("orderhub.write_gate.held",
            () => writeGate.Enabled ? [new Measurement<double>(writeGate.Held().Held.TotalSeconds)] : Array.Empty<Measurement<double>>(),
            "s", "Time SQLite's one writer (the write gate) was held by this process since start; its share of wall time is the writing's load.");
        Meter.CreateObservableCounter("orderhub.write_gate.turns",
            () => writeGate.Enabled ? [new Measurement<long>(writeGate.Held().Turns)] : Array.Empty<Measurement<long>>(),
            "{turn}", "Turns the write gate gave (one per transaction that wrote) since start.");
    }

    /// <summary>The meter, from the host's meter factory (each host its own: tests tell hosts apart by it).</summary>
    public Meter Meter { get; }

    public void OrderReceived() => _received.Add(1);

    public void OrderExported(PosKind? kind, DateTimeOffset receivedAt, DateTimeOffset exportedAt)
    {
        var tag = new KeyValuePair<string, object?>("pos.kind", kind?.ToString() ?? "none");
        _exported.Add(1, tag);
        _exportLatency.Record(Math.Max(0, (exportedAt - receivedAt).TotalSeconds), tag);
    }

    public void OrderFailed(FailureReason reason) => _failed.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString()));

    /// <summary>The latest queue sample; the gauges report it until the next.</summary>
    public void Queues(IReadOnlyList<QueueSample> samples) => _queues = samples;

    public void CircuitOpened(string circuitKey) => _circuits[circuitKey] = 1;

    public void CircuitClosed(string circuitKey) => _circuits[circuitKey] = 0;

    /// <summary>
    /// Whether the circuit is open on this instance: null when it never opened here since start (closed as far as
    /// this instance knows). Another instance keeps its own circuits.
    /// </summary>
    public bool? CircuitOpen(string circuitKey) => _circuits.TryGetValue(circuitKey, out var state) ? state == 1 : null;
}

/// <summary>One queue at one moment: unfinished entries and how long the oldest due one has waited.</summary>
[DebuggerDisplay("{Queue}: {Depth}, {OldestDueAge}")]
public sealed record QueueSample(string Queue, long Depth, TimeSpan OldestDueAge);
