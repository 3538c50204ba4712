using System.Text.Json;
using OrderHub.Domain.History;
using OrderHub.Integrations.Pos;
using OrderHub.Integrations.Poster;

namespace OrderHub.UnitTests.Poster;

public sealed class PosterRequestBuilderTests
{
    private static JsonElement Build(PosOrder order)
    {
        var request = PosterRequestBuilder.Build(PosTestOrders.Poster(), order, out var failure);
        failure.ShouldBeNull();
        return JsonDocument.Parse(JsonSerializer.Serialize(request, PosterJson.Options)).RootElement;
    }

    [Fact]
    public void Prices_and_delivery_price_are_sent_in_kopecks()
    {
        var json = Build(PosTestOrders.Order());

        json.GetProperty("products")[0].GetProperty("price").GetInt64().ShouldBe(18950);
        json.GetProperty("products")[1].GetProperty("price").GetInt64().ShouldBe(4500);
        json.GetProperty("delivery_price").GetInt64().ShouldBe(5000);
    }

    [Fact]
    public void Dish_modifiers_are_a_JSON_string_and_the_variant_is_modificator_id()
    {
        var json = Build(PosTestOrders.Order());

        var margherita = json.GetProperty("products")[0];
        margherita.GetProperty("product_id").GetInt64().ShouldBe(113);
        margherita.GetProperty("count").GetDecimal().ShouldBe(2m);
        margherita.GetProperty("modification").ValueKind.ShouldBe(JsonValueKind.String);
        margherita.GetProperty("modification").GetString().ShouldBe("""[{"m":19,"a":1}]""");
        margherita.TryGetProperty("modificator_id", out _).ShouldBeFalse();

        var cola = json.GetProperty("products")[1];
        cola.GetProperty("modificator_id").GetInt64().ShouldBe(3);
        cola.TryGetProperty("modification", out _).ShouldBeFalse();
    }

    [Fact]
    public void Comment_ends_with_the_Dots_order_marker()
    {
        Build(PosTestOrders.Order("1234")).GetProperty("comment").GetString().ShouldBe("Ring twice [Dots #1234]");
        Build(PosTestOrders.Order("77") with { Comment = null }).GetProperty("comment").GetString().ShouldBe("[Dots #77]");
    }

    [Fact]
    public void Payment_is_sent_only_when_the_order_is_paid()
    {
        var paid = Build(PosTestOrders.Order()).GetProperty("payment");
        paid.GetProperty("type").GetInt32().ShouldBe(1);
        paid.GetProperty("sum").GetInt64().ShouldBe(52400);
        paid.GetProperty("currency").GetString().ShouldBe("UAH");

        Build(PosTestOrders.Order() with { Paid = false, PaymentType = "cash" }).TryGetProperty("payment", out _).ShouldBeFalse();
    }

    [Fact]
    public void Delivery_is_service_mode_3_with_client_address_and_pickup_is_2_without()
    {
        var delivery = Build(PosTestOrders.Order());
        delivery.GetProperty("service_mode").GetInt32().ShouldBe(3);
        var address = delivery.GetProperty("client_address");
        address.GetProperty("address1").GetString().ShouldBe("Khreshchatyk, 22");
        address.GetProperty("address2").GetString().ShouldBe("entrance 3, floor 5, apt. 41");
        address.GetProperty("comment").GetString().ShouldBe("Code 41K");

        var pickup = Build(PosTestOrders.Order() with { DeliveryType = "pickup", DeliveryPrice = 0 });
        pickup.GetProperty("service_mode").GetInt32().ShouldBe(2);
        pickup.TryGetProperty("client_address", out _).ShouldBeFalse();
        pickup.TryGetProperty("delivery_price", out _).ShouldBeFalse();
    }

    [Fact]
    public void Delivery_time_is_local_wall_clock_time_of_the_pickup_point()
    {
        // 15:30 UTC on 1 July is 18:30 in Kyiv (UTC+3, summer).
        Build(PosTestOrders.Order()).GetProperty("delivery_time").GetString().ShouldBe("2026-07-01 18:30:00");

        // Winter: UTC+2.
        Build(PosTestOrders.Order() with { DeliveryTime = new DateTimeOffset(2026, 1, 10, 9, 0, 0, TimeSpan.Zero) })
            .GetProperty("delivery_time").GetString().ShouldBe("2026-01-10 11:00:00");
    }

    [Fact]
    public void Customer_fields_and_spot_are_sent()
    {
        var json = Build(PosTestOrders.Order());
        json.GetProperty("spot_id").GetInt64().ShouldBe(1);
        json.GetProperty("phone").GetString().ShouldBe("+380501234567");
        json.GetProperty("first_name").GetString().ShouldBe("Olena");
        json.GetProperty("email").GetString().ShouldBe("olena@example.com");
    }

    [Fact]
    public void A_non_numeric_product_id_fails_before_sending_and_names_the_product()
    {
        var order = PosTestOrders.Order() with
        {
            Lines = [new PosLine("p-x", "MARG-1", null, null, "Margherita", 1m, 100m, 100m, [])],
        };

        PosterRequestBuilder.Build(PosTestOrders.Poster(), order, out var failure);

        failure.ShouldNotBeNull();
        failure.Reason.ShouldBe(FailureReason.PosProductNotFound);
        failure.FixHint.ShouldContain("'Margherita'");
    }

    [Fact]
    public void Promotions_list_the_order_products_as_involved()
    {
        var json = Build(PosTestOrders.Order() with { Promotions = [new PosPromotion("promo-1", "9", "Two for one", 20m)] });

        var promotion = json.GetProperty("promotion")[0];
        promotion.GetProperty("id").GetInt64().ShouldBe(9);
        promotion.GetProperty("involved_products").GetArrayLength().ShouldBe(2);
    }
}
