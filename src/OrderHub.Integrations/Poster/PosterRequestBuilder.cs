using System.Globalization;
using System.Text.Json;
using OrderHub.Domain.History;
using OrderHub.Integrations.Pos;

namespace OrderHub.Integrations.Poster;

/// <summary>Builds <c>incomingOrders.createIncomingOrder</c> from a <see cref="PosOrder"/>.</summary>
internal static class PosterRequestBuilder
{
    public const string DateTimeFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>The marker in Poster's comment that finds the order again: <c>[Dots #1234]</c>.</summary>
    public static string Marker(string number) => $"[Dots #{number}]";

    public sealed record BuildFailure(FailureReason Reason, string Message, string FixHint, MessageRef? MessageRef = null, MessageRef? FixHintRef = null);

    public static PosterIncomingOrderRequest Build(PosTarget target, PosOrder order, out BuildFailure? failure)
    {
        failure = null;
        var products = new List<PosterProduct>(order.Lines.Count);
        foreach (var line in order.Lines)
        {
            if (!TryId(line.ExternalProductId, out var productId))
            {
                failure = new(FailureReason.PosProductNotFound,
                    $"The Poster product id '{line.ExternalProductId}' of '{line.Name}' is not a number, so Poster cannot know it.",
                    $"Check the Poster product id of '{line.Name}' in the pickup point's external IDs.",
                    MessageRef.Of("poster.build.product", ("id", line.ExternalProductId), ("name", line.Name)),
                    MessageRef.Of("hint.poster.build.product", ("name", line.Name)));
                return null!;
            }

            long? variantId = null;
            if (!string.IsNullOrWhiteSpace(line.ExternalVariantId))
            {
                if (!TryId(line.ExternalVariantId, out var parsed))
                {
                    failure = new(FailureReason.PosModificationNotFound,
                        $"The Poster variant id '{line.ExternalVariantId}' of '{line.Name}' is not a number.",
                        $"Check the Poster variant (modificator) id of '{line.Name}' in the pickup point's external IDs.",
                        MessageRef.Of("poster.build.variant", ("id", line.ExternalVariantId), ("name", line.Name)),
                        MessageRef.Of("hint.poster.build.variant", ("name", line.Name)));
                    return null!;
                }

                variantId = parsed;
            }

            var modifiers = new List<PosterModification>(line.Modifiers.Count);
            foreach (var modifier in line.Modifiers)
            {
                if (!TryId(modifier.ExternalId, out var modifierId))
                {
                    failure = new(FailureReason.PosModificationNotFound,
                        $"The Poster modifier id '{modifier.ExternalId}' of '{modifier.Name}' ('{line.Name}') is not a number.",
                        $"Check the Poster dish modifier id of '{modifier.Name}' in the pickup point's external IDs.",
                        MessageRef.Of("poster.build.modifier", ("id", modifier.ExternalId), ("modifier", modifier.Name), ("name", line.Name)),
                        MessageRef.Of("hint.poster.build.modifier", ("modifier", modifier.Name)));
                    return null!;
                }

                modifiers.Add(new PosterModification(modifierId, Normalize(modifier.Quantity)));
            }

            products.Add(new PosterProduct
            {
                ProductId = productId,
                Count = Normalize(line.Quantity),
                ModificatorId = variantId,
                Modification = ModificationString(modifiers),
                Price = PosHttp.ToMinor(line.Price, order.Currency),
            });
        }

        var promotions = new List<PosterPromotion>(order.Promotions.Count);
        foreach (var promotion in order.Promotions)
        {
            if (!TryId(promotion.ExternalId, out var promotionId))
            {
                failure = new(FailureReason.PosRequestInvalid,
                    $"The Poster promotion id '{promotion.ExternalId}' of '{promotion.Name}' is not a number.",
                    $"Check the Poster promotion id of '{promotion.Name}' in the pickup point's external IDs.");
                return null!;
            }

            // PosPromotion does not say which lines it covers, so every line is offered as involved and
            // Poster applies the promotion by its own rules.
            promotions.Add(new PosterPromotion(promotionId,
                products.Select(p => new PosterInvolvedProduct(p.ProductId, p.Count, p.Modification)).ToList()));
        }

        var delivery = string.Equals(order.DeliveryType, "delivery", StringComparison.OrdinalIgnoreCase);
        return new PosterIncomingOrderRequest
        {
            SpotId = target.PosterSpotId ?? 0,
            Phone = NullIfBlank(order.CustomerPhone) ?? FirstPhone(order.Address?.Phones),
            FirstName = NullIfBlank(order.CustomerName),
            Email = NullIfBlank(order.CustomerEmail),
            ServiceMode = delivery ? 3 : 2,
            ClientAddress = delivery && order.Address is { } address ? ClientAddress(address) : null,
            DeliveryPrice = delivery && order.DeliveryPrice > 0 ? PosHttp.ToMinor(order.DeliveryPrice, order.Currency) : null,
            DeliveryTime = order.DeliveryTime is { } at ? LocalTime(at, order.TimeZone) : null,
            Comment = Comment(order),
            Products = products,
            Promotion = promotions.Count == 0 ? null : promotions,

            // Only a real prepayment: an unpaid order declared paid would close the check wrongly at the register.
            Payment = order.Paid ? new PosterPayment(1, PosHttp.ToMinor(order.Total, order.Currency), order.Currency.ToUpperInvariant()) : null,
        };
    }

    public static string Comment(PosOrder order) =>
        string.IsNullOrWhiteSpace(order.Comment) ? Marker(order.Number) : $"{order.Comment.Trim()} {Marker(order.Number)}";

    /// <summary>Wall-clock time at the pickup point, as Poster wants it.</summary>
    public static string LocalTime(DateTimeOffset at, string timeZone) =>
        ToLocal(at, timeZone).ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    public static DateTime ToLocal(DateTimeOffset at, string timeZone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone)
            ? TimeZoneInfo.ConvertTime(at, zone).DateTime
            : at.DateTime;

    private static string? ModificationString(List<PosterModification> modifiers) =>
        modifiers.Count == 0 ? null : JsonSerializer.Serialize(modifiers, PosterJson.Options);

    private static PosterClientAddress ClientAddress(PosAddress address)
    {
        var address1 = Join(", ", address.Street, address.House);
        var address2 = Join(", ",
            Labelled("entrance", address.Entrance), Labelled("floor", address.Floor), Labelled("apt.", address.Apartment));
        return new PosterClientAddress(address1, address2, NullIfBlank(address.Comment));
    }

    private static string? Labelled(string label, string? value) => string.IsNullOrWhiteSpace(value) ? null : $"{label} {value.Trim()}";

    private static string? Join(string separator, params string?[] parts)
    {
        var present = parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim()).ToList();
        return present.Count == 0 ? null : string.Join(separator, present);
    }

    private static string? FirstPhone(string? phones) =>
        phones?.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool TryId(string? value, out long id) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    // 2.000m → 2 on the wire.
    private static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;
}
