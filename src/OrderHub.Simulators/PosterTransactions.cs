using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace OrderHub.Simulators;

/// <summary>One operation a cashier does on a simulated Poster check, as a test or the demo plays it.</summary>
public sealed record SimulatedRegisterOperation(
    string TypeHistory, long SpotId = 1, decimal Value = 0, decimal Value2 = 0, decimal Value3 = 0, string ValueText = "", long UserId = 1, long SpotTabletId = 1);

/// <summary>Checks of the simulated Poster accounts: their spot and history, read by <c>dash.getTransaction</c> and <c>dash.getTransactionHistory</c>.</summary>
public sealed class PosterTransactions
{
    private readonly ConcurrentDictionary<(string Account, string Id), Check> _checks = new();

    public void Add(string account, string id, SimulatedRegisterOperation operation, DateTimeOffset at)
    {
        var check = _checks.GetOrAdd((account.ToLowerInvariant(), id), _ => new Check(operation.SpotId));
        lock (check)
        {
            check.History.Add(new JsonObject
            {
                ["type_history"] = operation.TypeHistory,
                ["time"] = at.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["value"] = operation.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["value2"] = operation.Value2.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["value3"] = operation.Value3.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["value_text"] = operation.ValueText,
                ["user_id"] = operation.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["spot_tablet_id"] = operation.SpotTabletId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        }
    }

    public (long SpotId, JsonArray History)? Find(string account, string id)
    {
        if (!_checks.TryGetValue((account.ToLowerInvariant(), id), out var check))
        {
            return null;
        }

        lock (check)
        {
            return (check.SpotId, new JsonArray([.. check.History.Select(h => h.DeepClone())]));
        }
    }

    private sealed class Check(long spotId)
    {
        public long SpotId { get; } = spotId;

        public List<JsonObject> History { get; } = [];
    }
}
