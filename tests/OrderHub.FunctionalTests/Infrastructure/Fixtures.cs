using System.Text.Json.Nodes;

namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>The contract samples (tests/Fixtures, copied from the team's shared fixtures).</summary>
public static class Fixtures
{
    public const string AcceptedDelivery = "order-accepted-delivery.json";
    public const string AcceptedPickupCash = "order-accepted-pickup-cash.json";
    public const string StatusChanged = "order-status-changed.json";
    public const string Cancelled = "order-cancelled.json";

    public const string DotsCompanyId = "b3c1f0a2-7d4e-4c8b-a9f1-2e5d6c7b8a90";
    public const string KyivAddressId = "a7e2d9c4-1b3f-4e6a-8d5c-9f0b1a2c3d4e";
    public const string LvivAddressId = "c4d5e6f7-0a1b-4c2d-9e8f-7a6b5c4d3e2f";
    public const string DeliveryOrderId = "5d0f6c1e-8a3b-4f7e-9c21-3b6a1d2e4f50";

    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "dots", name));

    /// <summary>A sample as a JSON tree to change before sending.</summary>
    public static JsonObject Json(string name) => JsonNode.Parse(Read(name))!.AsObject();
}
