using OrderHub.Api.Shared;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;

namespace OrderHub.UnitTests.Domain;

public sealed class HeldPreOrdersTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 14, 0, 0, TimeSpan.Zero);

    private static PickupPoint Point(bool hold, int minutes = 40) => new() { HoldScheduledOrders = hold, PreparationMinutes = minutes, TimeZone = "Europe/Kyiv" };

    private static Order Order(DateTimeOffset? delivery) => new() { DeliveryTime = delivery };

    [Fact]
    public void A_holding_point_holds_a_pre_order_until_delivery_time_minus_preparation() =>
        HeldPreOrders.HoldUntil(Point(hold: true), Order(Now.AddHours(2)), Now).ShouldBe(Now.AddHours(2).AddMinutes(-40));

    [Fact]
    public void A_point_that_sends_at_once_holds_nothing() =>
        HeldPreOrders.HoldUntil(Point(hold: false), Order(Now.AddHours(2)), Now).ShouldBeNull();

    [Fact]
    public void An_order_without_a_delivery_time_goes_at_once() =>
        HeldPreOrders.HoldUntil(Point(hold: true), Order(null), Now).ShouldBeNull();

    [Theory]
    [InlineData(40)]
    [InlineData(10)]
    [InlineData(-5)]
    public void An_order_due_now_or_in_the_past_goes_at_once(int minutesToDelivery) =>
        HeldPreOrders.HoldUntil(Point(hold: true), Order(Now.AddMinutes(minutesToDelivery)), Now).ShouldBeNull();

    [Fact]
    public void The_held_time_reads_in_the_point_s_time_zone() =>
        HeldPreOrders.LocalTime(new DateTimeOffset(2026, 12, 6, 16, 50, 0, TimeSpan.Zero), "Europe/Kyiv").ShouldBe("18:50");
}
