using System.Text.Json.Nodes;

namespace OrderHub.Simulators;

/// <summary>One order (or cancellation, or ping) as a simulated POS received it.</summary>
public sealed record SimulatedOrder(
    string Target,
    string Kind,
    string PosOrderId,
    string? MessageId,
    string? Marker,
    DateTimeOffset ReceivedAt,
    JsonNode? Body)
{
    /// <summary>Poster status: 0 new, 1 accepted, 7 rejected.</summary>
    public int Status { get; set; }

    /// <summary>Poster: <c>created_at</c> in the account's local time.</summary>
    public DateTime LocalCreatedAt { get; init; }

    public long? SpotId { get; init; }
}

public sealed record TargetStats(string Target, int Received, int Orders, int Duplicates, int Rejected, int Faults);

public sealed record SimulatorStats(int Received, int UniqueOrders, int Duplicates, int Rejected, int Faults, IReadOnlyList<TargetStats> Targets);

/// <summary>The shared, thread-safe state of the simulated POS systems.</summary>
public sealed class PosSimulator(PosSimulatorOptions options, TimeProvider timeProvider)
{
    /// <summary>Checks on the simulated Poster registers and their history (register operations), by account and check id.</summary>
    public PosterTransactions Transactions { get; } = new();

    private readonly object gate = new();
    private readonly List<SimulatedOrder> orders = [];

    // Indexes over orders, so recording stays O(1) with hundreds of thousands stored (drills, benchmarks).
    private readonly HashSet<(string Target, string MessageId)> byMessage = [];
    private readonly Dictionary<(string Target, string MessageId), SimulatedOrder> firstByMessage = [];
    private readonly HashSet<(string Target, string Marker, string Kind)> byMarker = [];
    private readonly Dictionary<string, FaultSettings> faults = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int[]> counters = new(StringComparer.OrdinalIgnoreCase);
    private long nextId = 100;

    public PosSimulatorOptions Options => options;

    public TimeProvider Time => timeProvider;

    /// <summary>The simulated fiscal providers (Checkbox and Cashalot).</summary>
    public FiscalSimulator Fiscal { get; } = new(options, timeProvider);

    public void SetFaults(FaultSettings settings)
    {
        lock (gate)
        {
            faults[settings.Target ?? ""] = settings;
        }
    }

    public IReadOnlyList<FaultSettings> CurrentFaults()
    {
        lock (gate)
        {
            return faults.Values.ToList();
        }
    }

    public FaultSettings FaultsFor(string target)
    {
        lock (gate)
        {
            return faults.TryGetValue(target, out var own) ? own : faults.TryGetValue("", out var all) ? all : new FaultSettings();
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            orders.Clear();
            byMessage.Clear();
            firstByMessage.Clear();
            byMarker.Clear();
            faults.Clear();
            counters.Clear();
        }
    }

    public string NextId()
    {
        lock (gate)
        {
            return (++nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    // Counter slots: received, orders, duplicates, rejected, faults.
    public void Count(string target, int slot)
    {
        lock (gate)
        {
            if (!counters.TryGetValue(target, out var c))
            {
                counters[target] = c = new int[5];
            }

            c[slot]++;
        }
    }

    public void CountReceived(string target) => Count(target, 0);

    public void CountRejected(string target) => Count(target, 3);

    public void CountFault(string target) => Count(target, 4);

    /// <summary>
    /// Records an order unless one with the same message id (webhook) exists at this target; returns the
    /// stored order and whether it was a duplicate. For Poster (no message id) a repeated marker counts as a
    /// duplicate order, but is stored all the same: Poster itself cannot tell.
    /// </summary>
    public (SimulatedOrder Order, bool Duplicate) Record(SimulatedOrder order)
    {
        lock (gate)
        {
            if (order.MessageId is not null && firstByMessage.TryGetValue((order.Target, order.MessageId), out var existing))
            {
                Count(order.Target, 2);
                return (existing, true);
            }

            var duplicateMarker = order.MessageId is null && order.Marker is not null
                && byMarker.Contains((order.Target, order.Marker, order.Kind));
            if (!options.KeepWebhookBodies && order.MessageId is not null)
            {
                // A webhook POS is matched by message id and marker; without the bodies a long run stays small.
                order = order with { Body = null };
            }

            orders.Add(order);
            if (order.MessageId is not null && byMessage.Add((order.Target, order.MessageId)))
            {
                firstByMessage[(order.Target, order.MessageId)] = order;
            }

            if (order.Marker is not null)
            {
                byMarker.Add((order.Target, order.Marker, order.Kind));
            }

            Count(order.Target, duplicateMarker ? 2 : 1);
            return (order, duplicateMarker);
        }
    }

    public IReadOnlyList<SimulatedOrder> Orders(string? target = null)
    {
        lock (gate)
        {
            return orders.Where(o => target is null || string.Equals(o.Target, target, StringComparison.OrdinalIgnoreCase)).ToList();
        }
    }

    public SimulatedOrder? Find(string target, string posOrderId)
    {
        lock (gate)
        {
            return orders.FirstOrDefault(o => o.Target == target && o.PosOrderId == posOrderId);
        }
    }

    public bool SetStatus(string target, string posOrderId, int status)
    {
        lock (gate)
        {
            var order = orders.FirstOrDefault(o => o.Target == target && o.PosOrderId == posOrderId);
            if (order is null)
            {
                return false;
            }

            order.Status = status;
            return true;
        }
    }

    // Reconciliation drills (PosterReconciliationControls): a register that lost an order, holds one twice, or changed one.

    /// <summary>Removes an order as if the register lost it; false when there is none with that id.</summary>
    public bool Remove(string target, string posOrderId)
    {
        lock (gate)
        {
            return orders.RemoveAll(o => o.Target == target && o.PosOrderId == posOrderId) > 0;
        }
    }

    /// <summary>Stores a second copy of an order under a new id (same marker, body and time), as a double send would.</summary>
    public SimulatedOrder? Duplicate(string target, string posOrderId)
    {
        lock (gate)
        {
            var order = orders.FirstOrDefault(o => o.Target == target && o.PosOrderId == posOrderId);
            if (order is null)
            {
                return null;
            }

            var copy = order with { PosOrderId = (++nextId).ToString(System.Globalization.CultureInfo.InvariantCulture), Body = order.Body?.DeepClone() };
            copy.Status = order.Status;
            orders.Add(copy);
            return copy;
        }
    }

    /// <summary>Runs <paramref name="change"/> on an order's stored body under the lock; false when there is none.</summary>
    public bool ChangeBody(string target, string posOrderId, Action<JsonNode> change)
    {
        lock (gate)
        {
            var order = orders.FirstOrDefault(o => o.Target == target && o.PosOrderId == posOrderId);
            if (order?.Body is null)
            {
                return false;
            }

            change(order.Body);
            return true;
        }
    }

    public SimulatorStats Stats()
    {
        lock (gate)
        {
            var targets = counters.Select(kv => new TargetStats(kv.Key, kv.Value[0], kv.Value[1], kv.Value[2], kv.Value[3], kv.Value[4]))
                .OrderBy(t => t.Target, StringComparer.Ordinal).ToList();
            return new SimulatorStats(
                targets.Sum(t => t.Received), targets.Sum(t => t.Orders), targets.Sum(t => t.Duplicates),
                targets.Sum(t => t.Rejected), targets.Sum(t => t.Faults), targets);
        }
    }
}
