using OrderHub.Api.Security;
using OrderHub.Domain.Export;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Pos;

namespace OrderHub.Api.Dispatching;

/// <summary>Turns a stored order and its pickup point's integration into what a POS client sends.</summary>
public sealed class PosRequestBuilder(SecretProtector secrets)
{
    public PosTarget Target(PosIntegration integration) => new()
    {
        IntegrationId = integration.Id,
        PickupPointId = integration.PickupPointId,
        Kind = integration.Kind,
        PosterAccount = integration.PosterAccount,
        PosterSpotId = integration.PosterSpotId,
        WebhookUrl = integration.WebhookUrl,
        Secret = integration.SecretProtected is null ? "" : secrets.Unprotect(integration.SecretProtected),
    };

    /// <summary>
    /// The order as the POS got it from <paramref name="createEntry"/>, the entry that created it there (a
    /// cancellation refers to that message). A forced re-export (generation 2 and on) carries the generation in
    /// the number, so the cashier sees "#1234/2" and the Poster marker of the first export does not match the second.
    /// </summary>
    public static PosOrder Order(Order order, PickupPoint point, ExportQueueEntry createEntry) => new()
    {
        OrderId = order.Id,
        MessageId = createEntry.MessageId,
        DotsOrderId = order.DotsOrderId,
        Number = createEntry.Generation == 1 ? order.Number : $"{order.Number}/{createEntry.Generation}",
        DeliveryType = order.DeliveryType,
        PaymentType = order.PaymentType,
        Paid = order.Paid,
        Currency = order.Currency,
        DeliveryPrice = order.DeliveryPrice,
        Total = order.Total,
        Persons = order.Persons,
        Comment = order.Comment,
        DeliveryTime = order.DeliveryTime,
        AcceptedAt = order.AcceptedAt,
        TimeZone = point.TimeZone,
        CustomerName = order.CustomerName,
        CustomerPhone = order.CustomerPhone,
        CustomerEmail = order.CustomerEmail,
        Address = order.Address is { } a
            ? new PosAddress(a.Street, a.House, a.Entrance, a.Floor, a.Apartment, a.Comment, a.Phones)
            : null,
        Lines = order.Lines.OrderBy(l => l.Position).Select(l => new PosLine(
            l.DotsProductId,
            l.ExternalProductId ?? throw Unresolved(order),
            l.DotsVariantId,
            l.ExternalVariantId,
            l.Name,
            l.Quantity,
            l.Price,
            l.LineTotal,
            l.Modifiers.OrderBy(m => m.Position)
                .Select(m => new PosModifier(m.DotsModifierId, m.ExternalId ?? throw Unresolved(order), m.DotsGroupId, m.Name, m.Quantity, m.Price))
                .ToList())).ToList(),
        Promotions = order.Promotions.OrderBy(p => p.Position)
            .Select(p => new PosPromotion(p.DotsPromotionId, p.ExternalId ?? throw Unresolved(order), p.Name, p.Discount))
            .ToList(),
    };

    private static InvalidOperationException Unresolved(Order order) =>
        new($"Order {order.Id} was queued with an unresolved external id; resolution must complete before queueing.");
}
