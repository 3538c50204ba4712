using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderHub.Integrations.Poster;

// Wire DTOs of incomingOrders.createIncomingOrder; names exactly as Poster spells them.

public sealed record PosterIncomingOrderRequest
{
    [JsonPropertyName("spot_id")] public required long SpotId { get; init; }
    [JsonPropertyName("phone")] public string? Phone { get; init; }
    [JsonPropertyName("first_name")] public string? FirstName { get; init; }
    [JsonPropertyName("email")] public string? Email { get; init; }
    [JsonPropertyName("service_mode")] public required int ServiceMode { get; init; }
    [JsonPropertyName("client_address")] public PosterClientAddress? ClientAddress { get; init; }
    [JsonPropertyName("delivery_price")] public long? DeliveryPrice { get; init; }
    [JsonPropertyName("delivery_time")] public string? DeliveryTime { get; init; }
    [JsonPropertyName("comment")] public required string Comment { get; init; }
    [JsonPropertyName("products")] public required IReadOnlyList<PosterProduct> Products { get; init; }
    [JsonPropertyName("promotion")] public IReadOnlyList<PosterPromotion>? Promotion { get; init; }
    [JsonPropertyName("payment")] public PosterPayment? Payment { get; init; }
}

public sealed record PosterClientAddress(
    [property: JsonPropertyName("address1")] string? Address1,
    [property: JsonPropertyName("address2")] string? Address2,
    [property: JsonPropertyName("comment")] string? Comment);

public sealed record PosterProduct
{
    [JsonPropertyName("product_id")] public required long ProductId { get; init; }
    [JsonPropertyName("count")] public required decimal Count { get; init; }
    [JsonPropertyName("modificator_id")] public long? ModificatorId { get; init; }

    /// <summary>Dish modifiers as a JSON <em>string</em>: <c>[{"m":id,"a":qty}]</c>.</summary>
    [JsonPropertyName("modification")] public string? Modification { get; init; }

    /// <summary>Unit price of the product or variant in kopecks, without dish modifiers (Poster adds those).</summary>
    [JsonPropertyName("price")] public required long Price { get; init; }
}

public sealed record PosterModification(
    [property: JsonPropertyName("m")] long M,
    [property: JsonPropertyName("a")] decimal A);

public sealed record PosterPromotion(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("involved_products")] IReadOnlyList<PosterInvolvedProduct> InvolvedProducts);

public sealed record PosterInvolvedProduct(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("count")] decimal Count,
    [property: JsonPropertyName("modification")] string? Modification);

public sealed record PosterPayment(
    [property: JsonPropertyName("type")] int Type,
    [property: JsonPropertyName("sum")] long Sum,
    [property: JsonPropertyName("currency")] string Currency);

internal static class PosterJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Keys whose values are personal data: masked in request excerpts. The comments (the order's and the
    /// address's) are free text where customers write door codes and intercom numbers.
    /// </summary>
    public static readonly IReadOnlySet<string> PersonalKeys =
        new HashSet<string>(StringComparer.Ordinal) { "phone", "first_name", "last_name", "email", "address", "address1", "address2", "comment" };
}
