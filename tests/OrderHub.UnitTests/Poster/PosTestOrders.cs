using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Pos;

namespace OrderHub.UnitTests.Poster;

/// <summary>Valid defaults: a paid delivery of one Margherita with a modifier and a variant-based drink.</summary>
internal static class PosTestOrders
{
    public static PosOrder Order(string number = "1234") => new()
    {
        OrderId = Guid.Parse("5b0f6a52-3f1e-4c1a-9d7e-0a1b2c3d4e5f"),
        MessageId = "msg_5b0f6a52",
        DotsOrderId = "dots-1",
        Number = number,
        DeliveryType = "delivery",
        PaymentType = "online",
        Paid = true,
        Currency = "UAH",
        DeliveryPrice = 50m,
        Total = 50m + 2 * (189.50m + 25m) + 45m,
        Comment = "Ring twice",
        DeliveryTime = new DateTimeOffset(2026, 7, 1, 15, 30, 0, TimeSpan.Zero),
        AcceptedAt = new DateTimeOffset(2026, 7, 1, 14, 50, 0, TimeSpan.Zero),
        TimeZone = "Europe/Kyiv",
        CustomerName = "Olena",
        CustomerPhone = "+380501234567",
        CustomerEmail = "olena@example.com",
        Address = new PosAddress("Khreshchatyk", "22", "3", "5", "41", "Code 41K", null),
        Lines =
        [
            new PosLine("p-margherita", "113", null, null, "Margherita", 2m, 189.50m, 2 * (189.50m + 25m),
                [new PosModifier("m-cheese", "19", "g-extra", "Extra cheese", 1m, 25m)]),
            new PosLine("p-cola", "7", "v-05", "3", "Cola 0.5", 1m, 45m, 45m, []),
        ],
        Promotions = [],
    };

    public static PosTarget Poster(long spot = 1) => new()
    {
        IntegrationId = Guid.Parse("0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a"),
        PickupPointId = Guid.NewGuid(),
        Kind = PosKind.Poster,
        PosterAccount = "demo",
        PosterSpotId = spot,
        Secret = "861052:0123456789abcdef0123456789abcdef",
    };
}
