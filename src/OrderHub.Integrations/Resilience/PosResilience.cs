namespace OrderHub.Integrations.Resilience;

/// <summary>How a POS request names its circuit: one per POS integration.</summary>
public static class PosResilience
{
    public const string CircuitKeyName = "OrderHub.PosCircuitKey";

    /// <summary>The request option that names the circuit: <c>poster:{integrationId:N}</c> or <c>webhook:{integrationId:N}</c>.</summary>
    public static readonly HttpRequestOptionsKey<string> CircuitKey = new(CircuitKeyName);

    public static string PosterCircuit(Guid integrationId) => "poster:" + integrationId.ToString("N");

    public static string WebhookCircuit(Guid integrationId) => "webhook:" + integrationId.ToString("N");
}
