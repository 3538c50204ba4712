using OrderHub.Domain.History;
using OrderHub.Domain.Orders;

namespace OrderHub.UnitTests.Domain;

public sealed class OrderStateTests
{
    [Fact]
    public void A_line_costs_quantity_times_price_plus_modifiers_per_unit()
    {
        var line = new OrderLine
        {
            Quantity = 2,
            Price = 245m,
            Modifiers = [new OrderLineModifier { Quantity = 1, Price = 35m }, new OrderLineModifier { Quantity = 2, Price = 5m }],
        };

        line.LineTotal.ShouldBe(2 * (245m + 35m + 10m));
    }

    [Fact]
    public void The_total_is_lines_minus_promotions_plus_delivery()
    {
        var order = new Order
        {
            DeliveryPrice = 60m,
            Lines = [new OrderLine { Quantity = 3, Price = 42m }],
            Promotions = [new OrderPromotion { Discount = 6m }],
        };

        order.ComputedTotal.ShouldBe(126m - 6m + 60m);
    }

    [Fact]
    public void A_queued_order_can_be_exported_and_then_not_cancelled_before_export()
    {
        var order = new Order();
        order.MarkQueued();
        order.MarkExported();

        order.TryCancelBeforeExport().ShouldBeFalse();
        order.ExportState.ShouldBe(ExportState.Exported);
        order.CanBeExported.ShouldBeFalse();
    }

    [Fact]
    public void A_failed_order_can_be_queued_again()
    {
        var order = new Order();
        order.MarkQueued();
        order.MarkFailed(FailureReason.NoPosIntegration);

        order.CanBeExported.ShouldBeTrue();
        order.MarkQueued();
        order.Problem.ShouldBeNull();
    }

    [Fact]
    public void A_cancelled_order_cannot_be_queued()
    {
        var order = new Order();
        order.TryCancelBeforeExport().ShouldBeTrue();

        Should.Throw<InvalidOperationException>(order.MarkQueued);
    }

    [Fact]
    public void Only_a_queued_order_can_be_marked_exported() =>
        Should.Throw<InvalidOperationException>(new Order().MarkExported);
}
