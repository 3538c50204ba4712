using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrderHub.FunctionalTests.Infrastructure;

namespace OrderHub.FunctionalTests.Intake;

public sealed class SqliteWebhookFuzzTests() : WebhookFuzzTests(new SqliteTestDatabase());

public sealed class PostgresWebhookFuzzTests() : WebhookFuzzTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerWebhookFuzzTests() : WebhookFuzzTests(new SqlServerTestDatabase());

/// <summary>
/// Drives <c>POST /webhooks/dots/{key}</c> with correctly signed, randomly mutated copies of the delivery sample:
/// types swapped (object ↔ array ↔ string ↔ number ↔ bool ↔ null) at every field, fields removed or written twice,
/// numbers at the limits and unicode edge cases. Nothing may answer 5xx, every refusal is a ProblemDetails naming
/// a field, and a refused event leaves no row behind.
/// </summary>
public abstract class WebhookFuzzTests(ITestDatabase database) : ProviderTestBase(database)
{
    private const int Bodies = 2_000;

    /// <summary>A value written verbatim into the body (escapes a JsonNode cannot hold, such as a lone surrogate).</summary>
    private const string RawMarker = "\u0001raw:";

    private static readonly Func<JsonNode?>[] TypeSwaps =
    [
        () => new JsonObject { ["a"] = 1 },
        () => new JsonObject(),
        () => new JsonArray(1, "x"),
        () => new JsonArray(),
        () => JsonValue.Create("pizza"),
        () => JsonValue.Create(3),
        () => JsonValue.Create(true),
        () => null,
    ];

    private static readonly string[] LimitNumbers =
    [
        "0", "-0", "-1", "1e400", "-1e400", "1e-400", "79228162514264337593543950336", "10000000.01", "10000000", "10000.001",
        "10000.0001", "2147483648", "-2147483649", "0.001", "1.005", "1E2", "9999999.99",
    ];

    private static readonly string[] UnicodeStrings =
    [
        "\"\\u0000\"", "\"\\ud800\"", "\"x\\udc00y\"", "\"\\u202eRTL\"", "\"🍕🍕\"", "\"e\\u0301\"", "\"\\u200b\"", "\"\\ufeffBOM\"",
        "\"\\n\\r\\t\"", "\"\"", "\" \"", "\"" + new string('ї', 300) + "\"", "\"" + new string('x', 5_000) + "\"", "\"\\u001b[31m\"",
        "\"a\\\"b\\\\c\"",
    ];

    [Fact]
    public async Task Two_thousand_signed_mutated_bodies_never_answer_5xx_and_every_refusal_names_a_field_and_stores_nothing()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var sender = tenant.Sender(Factory);
        var random = new Random(20261206);
        var refusedEvents = new List<string>();
        var refusedOrders = new List<string>();
        var statuses = new Dictionary<int, int>();
        var arrayTypeSwaps = 0;

        for (var i = 0; i < Bodies; i++)
        {
            var body = Fixtures.Json(Fixtures.AcceptedDelivery);
            var eventId = $"fz-{i}";
            body["eventId"] = eventId;
            body["order"]!["id"] = $"fz-order-{i}";
            var duplicate = (Path: (string?)null, Name: (string?)null);
            var mutations = random.Next(1, 4);
            for (var m = 0; m < mutations; m++)
            {
                var nodes = Walk(body).ToList();
                var (parent, key, node) = nodes[random.Next(nodes.Count)];
                switch (random.Next(6))
                {
                    case 0 or 1:
                        arrayTypeSwaps += node is JsonArray ? 1 : 0;
                        Set(parent, key, TypeSwaps[random.Next(TypeSwaps.Length)]());
                        break;
                    case 2:
                        if (parent is JsonObject o && key is string name)
                        {
                            o.Remove(name);
                        }

                        break;
                    case 3:
                        if (parent is JsonObject && key is string)
                        {
                            duplicate = (PathOf(parent), (string)key);
                        }

                        break;
                    case 4:
                        Set(parent, key, JsonValue.Create(RawMarker + LimitNumbers[random.Next(LimitNumbers.Length)]));
                        break;
                    default:
                        Set(parent, key, JsonValue.Create(RawMarker + UnicodeStrings[random.Next(UnicodeStrings.Length)]));
                        break;
                }
            }

            var text = Write(body, duplicate.Path, duplicate.Name, random);
            var response = await sender.SendRawAsync(text, eventId);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var answer = await response.Content.ReadAsStringAsync();
            status.ShouldBeLessThan(500, $"{text}\n→ {answer}");
            if (status < 300)
            {
                continue;
            }

            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", $"{text}\n→ {answer}");
            var problem = JsonDocument.Parse(answer).RootElement;
            problem.TryGetProperty("errors", out var errors).ShouldBeTrue($"{text}\n→ {answer}");
            errors.EnumerateObject().ShouldNotBeEmpty($"{text}\n→ {answer}");
            refusedEvents.Add(eventId);
            refusedOrders.Add($"fz-order-{i}");
        }

        // The run must have hit what it is for: many refusals, and arrays swapped for other types.
        refusedEvents.Count.ShouldBeGreaterThan(Bodies / 2, string.Join(", ", statuses));
        arrayTypeSwaps.ShouldBeGreaterThan(50);
        (await CountAsync(db => db.InboxEvents.Where(e => refusedEvents.Contains(e.WebhookId)))).ShouldBe(0);
        (await CountAsync(db => db.InboundEvents.Where(e => refusedEvents.Contains(e.WebhookId)))).ShouldBe(0);
        (await CountAsync(db => db.Orders.Where(o => refusedOrders.Contains(o.DotsOrderId)))).ShouldBe(0);
    }

    private static IEnumerable<(JsonNode Parent, object Key, JsonNode? Node)> Walk(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o.ToList())
                {
                    yield return (o, name, child);
                    if (child is not null)
                    {
                        foreach (var inner in Walk(child))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    yield return (a, i, a[i]);
                    if (a[i] is { } child)
                    {
                        foreach (var inner in Walk(child))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
        }
    }

    private static void Set(JsonNode parent, object key, JsonNode? value)
    {
        if (parent is JsonObject o)
        {
            o[(string)key] = value;
        }
        else
        {
            ((JsonArray)parent)[(int)key] = value;
        }
    }

    private static string PathOf(JsonNode node) => node.GetPath();

    /// <summary>Writes the tree, expanding raw values and writing one property twice (the copy first, with another value).</summary>
    private static string Write(JsonNode root, string? duplicatePath, string? duplicateName, Random random)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteNode(writer, root, duplicatePath, duplicateName, random);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node, string? duplicatePath, string? duplicateName, Random random)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject o:
                writer.WriteStartObject();
                foreach (var (name, child) in o)
                {
                    if (name == duplicateName && o.GetPath() == duplicatePath)
                    {
                        writer.WritePropertyName(name);
                        WriteNode(writer, random.Next(2) == 0 ? child?.DeepClone() : JsonValue.Create("other"), null, null, random);
                    }

                    writer.WritePropertyName(name);
                    WriteNode(writer, child, duplicatePath, duplicateName, random);
                }

                writer.WriteEndObject();
                break;
            case JsonArray a:
                writer.WriteStartArray();
                foreach (var child in a)
                {
                    WriteNode(writer, child, duplicatePath, duplicateName, random);
                }

                writer.WriteEndArray();
                break;
            case JsonValue v when v.TryGetValue<string>(out var s) && s.StartsWith(RawMarker, StringComparison.Ordinal):
                writer.WriteRawValue(s[RawMarker.Length..], skipInputValidation: true);
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
