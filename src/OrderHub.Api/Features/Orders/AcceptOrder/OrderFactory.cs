using OrderHub.Domain.Orders;
using OrderHub.Integrations.Dots;

namespace OrderHub.Api.Features.Orders.AcceptOrder;

/// <summary>Builds the stored order from the Dots contract: the one place that knows both shapes.</summary>
public static class OrderFactory
{
    public static Order Create(Guid companyId, Guid pickupPointId, DotsOrder dots, DateTimeOffset? acceptedAt, string rawPayload, DateTimeOffset now)
    {
        var order = new Order
        {
            CompanyId = companyId,
            PickupPointId = pickupPointId,
            DotsOrderId = dots.Id,
            Number = dots.Number,
            DotsStatus = dots.Status,
            DeliveryType = dots.DeliveryType,
            PaymentType = dots.PaymentType,
            Paid = dots.Paid,
            Currency = dots.Currency,
            DeliveryPrice = dots.DeliveryPrice,
            Total = dots.Total,
            Persons = dots.Persons,
            Comment = dots.Comment,
            DeliveryTime = dots.DeliveryTime,
            AcceptedBy = dots.AcceptedBy,
            CustomerName = dots.Customer.Name,
            CustomerPhone = dots.Customer.Phone,
            CustomerEmail = dots.Customer.Email,
            RawPayload = rawPayload,
            AcceptedAt = acceptedAt ?? now,
            ReceivedAt = now,
            UpdatedAt = now,
            Address = dots.Address is not { } a ? null : new OrderAddress
            {
                Street = a.Street,
                House = a.House,
                Entrance = a.Entrance,
                Floor = a.Floor,
                Apartment = a.Apartment,
                Comment = a.Comment,
                ReceiptContact = a.ReceiptContact,
                Phones = a.Phones.Count == 0 ? null : string.Join(',', a.Phones),
            },
        };

        for (var i = 0; i < dots.Items.Count; i++)
        {
            var item = dots.Items[i];
            var line = new OrderLine
            {
                OrderId = order.Id,
                Position = i,
                DotsProductId = item.ProductId,
                DotsVariantId = item.VariantId,
                Name = item.Name,
                Quantity = item.Quantity,
                Price = item.Price,
            };
            for (var j = 0; j < item.Modifiers.Count; j++)
            {
                var m = item.Modifiers[j];
                line.Modifiers.Add(new OrderLineModifier
                {
                    OrderLineId = line.Id,
                    Position = j,
                    DotsModifierId = m.Id,
                    DotsGroupId = m.GroupId,
                    Name = m.Name,
                    Quantity = m.Quantity,
                    Price = m.Price,
                });
            }

            order.Lines.Add(line);
        }

        for (var i = 0; i < dots.Promotions.Count; i++)
        {
            var p = dots.Promotions[i];
            order.Promotions.Add(new OrderPromotion
            {
                OrderId = order.Id,
                Position = i,
                DotsPromotionId = p.Id,
                Name = p.Name,
                Discount = p.Discount,
            });
        }

        return order;
    }
}
