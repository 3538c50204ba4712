using System.Text;
using System.Text.Json.Nodes;
using OrderHub.Integrations.Dots;

namespace OrderHub.UnitTests.Dots;

public sealed class DotsEventParserTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "dots", name));

    private static DotsParseResult Parse(string json) => DotsEventParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void The_delivery_sample_parses_with_every_field()
    {
        var result = Parse(Fixture("order-accepted-delivery.json"));

        result.IsValid.ShouldBeTrue();
        var order = result.Event!.Order!;
        result.Event.EventType.ShouldBe(DotsEventTypes.OrderAccepted);
        result.Event.OccurredAt.ShouldBe(DateTimeOffset.Parse("2026-11-20T16:42:07Z"));
        result.Event.OccurredAt!.Value.Offset.ShouldBe(TimeSpan.Zero);
        order.Number.ShouldBe("DT-104233");
        order.Items.Count.ShouldBe(3);
        order.Items[0].Modifiers.Select(m => m.Id).ShouldBe(["dots-mod-extra-mozzarella", "dots-mod-thin-crust"]);
        order.Items[1].VariantId.ShouldBe("dots-var-cola-05");
        order.Promotions.Single().Discount.ShouldBe(56.00m);
        order.Address!.Phones.ShouldBe(["+380671234567", "+380501112233"]);
        order.ComputedTotal.ShouldBe(order.Total);
    }

    [Theory]
    [InlineData("order-accepted-pickup-cash.json")]
    [InlineData("order-status-changed.json")]
    [InlineData("order-cancelled.json")]
    public void Every_sample_parses(string fixture) => Parse(Fixture(fixture)).IsValid.ShouldBeTrue();

    [Fact]
    public void A_cancel_carries_its_reason_and_actor()
    {
        var change = Parse(Fixture("order-cancelled.json")).Event!.StatusChange!;

        change.Status.ShouldBe("cancelled");
        change.Reason.ShouldBe("Клієнт відмовився");
        change.ChangedBy.ShouldBe("manager:olena.k");
    }

    [Fact]
    public void Unknown_fields_are_accepted()
    {
        var json = JsonNode.Parse(Fixture("order-accepted-delivery.json"))!;
        json["order"]!["loyaltyCard"] = "X-1";
        json["order"]!["items"]![0]!["allergens"] = new JsonArray("gluten");

        Parse(json.ToJsonString()).IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_path()
    {
        var json = JsonNode.Parse(Fixture("order-accepted-delivery.json"))!;
        json["order"]!["items"]![0]!["quantity"] = 0;
        json["order"]!["items"]![1]!["price"] = "42";
        json["order"]!["customer"] = null;

        var result = Parse(json.ToJsonString());

        result.IsValid.ShouldBeFalse();
        result.Errors.Keys.ShouldBe(["order.customer", "order.items[0].quantity", "order.items[1].price"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("{\"version\":\"1\",")]
    [InlineData("{\"version\":\"1\"}{}")]
    public void Anything_but_one_json_object_is_a_body_error(string body) =>
        Parse(body).Errors.Keys.ShouldContain("body");

    [Fact]
    public void Invalid_utf8_is_a_body_error() =>
        DotsEventParser.Parse(new byte[] { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}' }).Errors.Keys.ShouldContain("body");

    [Fact]
    public void A_lone_surrogate_in_text_is_refused()
    {
        var json = Fixture("order-accepted-delivery.json").Replace("\"Тірамісу\"", "\"\\ud800\"", StringComparison.Ordinal);

        Parse(json).Errors.Keys.ShouldContain("order.items[2].name");
    }

    [Fact]
    public void An_unknown_event_type_needs_no_order()
    {
        var result = Parse("{\"version\":\"1\",\"eventId\":\"e1\",\"event\":\"menu.updated\"}");

        result.IsValid.ShouldBeTrue();
        result.Event!.IsKnownType.ShouldBeFalse();
    }

    [Fact]
    public void Numbers_too_large_for_decimal_are_refused_not_thrown()
    {
        var json = Fixture("order-accepted-delivery.json").Replace("\"total\": 819.00", "\"total\": 1e400", StringComparison.Ordinal);

        Parse(json).Errors.Keys.ShouldContain("order.total");
    }

    [Theory]
    [InlineData("{\"a\":1}", "order.items")]
    [InlineData("\"pizza\"", "order.items")]
    [InlineData("3", "order.items")]
    public void An_array_field_of_another_type_is_refused_naming_it(string value, string field)
    {
        var json = Fixture("order-accepted-delivery.json").Replace("\"items\": [", "\"items\": " + value + ", \"was\": [", StringComparison.Ordinal);

        Parse(json).Errors.Keys.ShouldContain(field);
    }

    [Fact]
    public void Promotions_phones_and_modifiers_of_another_type_are_refused_naming_them()
    {
        var json = JsonNode.Parse(Fixture("order-accepted-delivery.json"))!;
        json["order"]!["promotions"] = new JsonObject { ["id"] = "p" };
        json["order"]!["address"]!["phones"] = "+380671234567";
        json["order"]!["items"]![0]!["modifiers"] = "cheese";

        Parse(json.ToJsonString()).Errors.Keys.ShouldBe(["order.promotions", "order.address.phones", "order.items[0].modifiers"], ignoreOrder: true);
    }

    /// <summary>Every field of the sample swapped for every other JSON type: a result, never an exception.</summary>
    [Fact]
    public void Every_field_swapped_for_every_other_type_is_a_result_not_an_exception()
    {
        var sample = JsonNode.Parse(Fixture("order-accepted-delivery.json"))!;
        var paths = Paths(sample).ToList();
        string[] values = ["{\"a\":1}", "{}", "[1]", "[]", "\"pizza\"", "3", "-1.5", "true", "null"];
        var tried = 0;
        foreach (var path in paths)
        {
            foreach (var value in values)
            {
                var copy = sample.DeepClone();
                var target = copy;
                foreach (var step in path.SkipLast(1))
                {
                    target = step is int i ? target![i] : target![(string)step];
                }

                if (path[^1] is int index)
                {
                    target!.AsArray()[index] = JsonNode.Parse(value);
                }
                else
                {
                    target!.AsObject()[(string)path[^1]] = JsonNode.Parse(value);
                }

                var result = Parse(copy.ToJsonString());
                (result.IsValid || result.Errors.Count > 0).ShouldBeTrue();
                tried++;
            }
        }

        tried.ShouldBeGreaterThan(500);
    }

    [Theory]
    [InlineData("{\"version\":\"1\",\"eventId\":\"e1\",\"eventId\":\"e2\",\"event\":\"menu.updated\"}", "eventId")]
    [InlineData("{\"version\":\"1\",\"eventId\":\"e1\",\"event\":\"menu.updated\",\"order\":{\"companyId\":\"B\",\"companyId\":\"A\"}}", "order.companyId")]
    [InlineData("{\"version\":\"1\",\"eventId\":\"e1\",\"event\":\"x\",\"o\":[{\"a\":1,\"a\":1}]}", "o[0].a")]
    public void A_property_written_twice_is_refused_naming_it(string json, string field) =>
        Parse(json).Errors.Keys.ShouldBe([field]);

    private static IEnumerable<object[]> Paths(JsonNode node, object[]? prefix = null)
    {
        prefix ??= [];
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o)
                {
                    object[] path = [.. prefix, name];
                    yield return path;
                    if (child is not null)
                    {
                        foreach (var inner in Paths(child, path))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    object[] path = [.. prefix, i];
                    yield return path;
                    foreach (var inner in Paths(a[i]!, path))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    [Fact]
    public void Random_mutations_of_the_sample_never_throw()
    {
        var sample = Encoding.UTF8.GetBytes(Fixture("order-accepted-delivery.json"));
        var random = new Random(20261124);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = (byte[])sample.Clone();
            var flips = random.Next(1, 8);
            for (var f = 0; f < flips; f++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var length = random.Next(2) == 0 ? bytes.Length : random.Next(bytes.Length);
            var result = DotsEventParser.Parse(bytes.AsMemory(0, length));
            (result.IsValid || result.Errors.Count > 0).ShouldBeTrue();
        }
    }
}
