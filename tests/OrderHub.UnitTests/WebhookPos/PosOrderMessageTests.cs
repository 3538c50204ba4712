using System.Text.Json;
using OrderHub.Integrations.WebhookPos;
using OrderHub.UnitTests.Poster;

namespace OrderHub.UnitTests.WebhookPos;

public sealed class PosOrderMessageTests
{
    private static JsonElement Schema()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OrderHub.sln")))
        {
            dir = dir.Parent;
        }

        dir.ShouldNotBeNull();
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.FullName, "openapi", "pos-order-v1.schema.json"))).RootElement;
    }

    private static JsonElement Message() =>
        JsonDocument.Parse(PosOrderMessageBuilder.Serialize(PosOrderMessageBuilder.Build(PosTestOrders.Order()))).RootElement;

    [Fact]
    public void The_message_has_every_field_the_published_schema_requires()
    {
        var defs = Schema().GetProperty("$defs");
        var message = Message();

        Required(defs.GetProperty("posOrder"), message);
        Required(defs.GetProperty("order"), message.GetProperty("order"));
        Required(defs.GetProperty("order").GetProperty("properties").GetProperty("lines").GetProperty("items"), message.GetProperty("order").GetProperty("lines")[0]);
        Required(defs.GetProperty("order").GetProperty("properties").GetProperty("delivery"), message.GetProperty("order").GetProperty("delivery"));

        static void Required(JsonElement schema, JsonElement value)
        {
            foreach (var name in schema.GetProperty("required").EnumerateArray())
            {
                value.TryGetProperty(name.GetString()!, out _).ShouldBeTrue($"missing {name}");
            }

            foreach (var property in value.EnumerateObject())
            {
                schema.GetProperty("properties").TryGetProperty(property.Name, out _).ShouldBeTrue($"{property.Name} is not in the schema");
            }
        }
    }

    [Fact]
    public void Money_is_sent_as_decimals_and_as_minor_units()
    {
        var order = Message().GetProperty("order");

        order.GetProperty("total").GetDecimal().ShouldBe(524m);
        order.GetProperty("totalMinor").GetInt64().ShouldBe(52400);
        order.GetProperty("delivery").GetProperty("priceMinor").GetInt64().ShouldBe(5000);
        order.GetProperty("delivery").GetProperty("localTime").GetString().ShouldBe("2026-07-01 18:30:00");
        order.GetProperty("lines")[0].GetProperty("priceMinor").GetInt64().ShouldBe(18950);
        order.GetProperty("lines")[0].GetProperty("lineTotalMinor").GetInt64().ShouldBe(42900);
    }

    [Fact]
    public void The_body_is_the_same_on_every_attempt() =>
        PosOrderMessageBuilder.Serialize(PosOrderMessageBuilder.Build(PosTestOrders.Order()))
            .ShouldBe(PosOrderMessageBuilder.Serialize(PosOrderMessageBuilder.Build(PosTestOrders.Order())));
}
