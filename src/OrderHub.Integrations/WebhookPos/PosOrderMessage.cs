using System.Text.Json;
using System.Text.Json.Serialization;
using OrderHub.Integrations.Pos;

namespace OrderHub.Integrations.WebhookPos;

// The pos-order v1 contract (openapi/pos-order-v1.schema.json, docs/pos-webhook.md). Additive changes only
// within version 1; anything else is version 2.

public sealed record PosOrderMessage(string Type, int Version, PosOrderBody Order)
{
    public const string OrderType = "pos-order";
    public const string CancelledType = "pos-order.cancelled";
    public const string PingType = "ping";
}

public sealed record PosOrderBody
{
    public required Guid OrderId { get; init; }
    public required string DotsOrderId { get; init; }
    public required string Number { get; init; }
    public required DateTimeOffset AcceptedAt { get; init; }
    public required string TimeZone { get; init; }
    public int? Persons { get; init; }
    public string? Comment { get; init; }
    public required string Currency { get; init; }
    public required PosOrderCustomer Customer { get; init; }
    public PosOrderAddress? Address { get; init; }
    public required PosOrderPayment Payment { get; init; }
    public required PosOrderDelivery Delivery { get; init; }
    public required IReadOnlyList<PosOrderLine> Lines { get; init; }
    public required IReadOnlyList<PosOrderPromotion> Promotions { get; init; }
    public required decimal Total { get; init; }
    public required long TotalMinor { get; init; }
}

public sealed record PosOrderCustomer(string? Name, string? Phone, string? Email);

public sealed record PosOrderAddress(string? Street, string? House, string? Entrance, string? Floor, string? Apartment, string? Comment, string? Phones);

public sealed record PosOrderPayment(string Type, bool Paid);

public sealed record PosOrderDelivery(string Type, decimal Price, long PriceMinor, DateTimeOffset? Time, string? LocalTime);

public sealed record PosOrderLine(
    string DotsProductId,
    string PosProductId,
    string? DotsVariantId,
    string? PosVariantId,
    string Name,
    decimal Quantity,
    decimal Price,
    long PriceMinor,
    decimal LineTotal,
    long LineTotalMinor,
    IReadOnlyList<PosOrderModifier> Modifiers);

public sealed record PosOrderModifier(
    string DotsModifierId, string PosModifierId, string? DotsGroupId, string Name, decimal Quantity, decimal Price, long PriceMinor);

public sealed record PosOrderPromotion(string DotsPromotionId, string PosPromotionId, string Name, decimal Discount, long DiscountMinor);

public sealed record PosOrderCancelledMessage(string Type, int Version, PosOrderCancelledBody Order, string? Reason);

public sealed record PosOrderCancelledBody(Guid OrderId, string DotsOrderId, string Number);

public sealed record PosPingMessage(string Type, int Version, DateTimeOffset SentAt);

/// <summary>Builds the pos-order v1 JSON; the body is the same on every retry (only the headers change).</summary>
public static class PosOrderMessageBuilder
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static PosOrderMessage Build(PosOrder order)
    {
        var c = order.Currency.ToUpperInvariant();
        return new PosOrderMessage(PosOrderMessage.OrderType, 1, new PosOrderBody
        {
            OrderId = order.OrderId,
            DotsOrderId = order.DotsOrderId,
            Number = order.Number,
            AcceptedAt = order.AcceptedAt,
            TimeZone = order.TimeZone,
            Persons = order.Persons,
            Comment = order.Comment,
            Currency = c,
            Customer = new PosOrderCustomer(order.CustomerName, order.CustomerPhone, order.CustomerEmail),
            Address = order.Address is { } a ? new PosOrderAddress(a.Street, a.House, a.Entrance, a.Floor, a.Apartment, a.Comment, a.Phones) : null,
            Payment = new PosOrderPayment(order.PaymentType, order.Paid),
            Delivery = new PosOrderDelivery(
                order.DeliveryType,
                order.DeliveryPrice,
                PosHttp.ToMinor(order.DeliveryPrice, c),
                order.DeliveryTime,
                order.DeliveryTime is { } t ? Poster.PosterRequestBuilder.LocalTime(t, order.TimeZone) : null),
            Lines = order.Lines.Select(l => new PosOrderLine(
                l.DotsProductId, l.ExternalProductId, l.DotsVariantId, l.ExternalVariantId, l.Name, l.Quantity,
                l.Price, PosHttp.ToMinor(l.Price, c), l.LineTotal, PosHttp.ToMinor(l.LineTotal, c),
                l.Modifiers.Select(m => new PosOrderModifier(m.DotsModifierId, m.ExternalId, m.DotsGroupId, m.Name, m.Quantity, m.Price, PosHttp.ToMinor(m.Price, c))).ToList()))
                .ToList(),
            Promotions = order.Promotions.Select(p => new PosOrderPromotion(p.DotsPromotionId, p.ExternalId, p.Name, p.Discount, PosHttp.ToMinor(p.Discount, c))).ToList(),
            Total = order.Total,
            TotalMinor = PosHttp.ToMinor(order.Total, c),
        });
    }

    /// <summary>The <c>pos-order.cancelled</c> message of an order the POS has.</summary>
    public static PosOrderCancelledMessage BuildCancelled(PosOrder order, string? reason) =>
        new(PosOrderMessage.CancelledType, 1, new PosOrderCancelledBody(order.OrderId, order.DotsOrderId, order.Number), reason);

    public static byte[] Serialize<T>(T message) => JsonSerializer.SerializeToUtf8Bytes(message, JsonOptions);

    /// <summary>
    /// Keys whose values are personal data: masked in request excerpts. The comments (the order's and the
    /// address's) are free text where customers write door codes and intercom numbers.
    /// </summary>
    internal static readonly IReadOnlySet<string> PersonalKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "customer.name", "phone", "email", "street", "house", "entrance", "floor", "apartment", "phones", "comment",
    };
}
