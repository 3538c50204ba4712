using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.FunctionalTests.Intake;

public sealed class SqliteWebhookRefusalTests() : WebhookRefusalTests(new SqliteTestDatabase());

public sealed class PostgresWebhookRefusalTests() : WebhookRefusalTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerWebhookRefusalTests() : WebhookRefusalTests(new SqlServerTestDatabase());

/// <summary>Every bad delivery gets a clear 4xx ProblemDetails and leaves nothing behind.</summary>
public abstract class WebhookRefusalTests(ITestDatabase database) : ProviderTestBase(database)
{
    /// <summary>A change to the delivery sample and the field the refusal must name.</summary>
    public static TheoryData<string, string> BadBodies() => new()
    {
        { "missing-items", "order.items" },
        { "empty-items", "order.items" },
        { "quantity-as-text", "order.items[0].quantity" },
        { "zero-quantity", "order.items[1].quantity" },
        { "negative-quantity", "order.items[2].quantity" },
        { "negative-price", "order.items[0].price" },
        { "modifier-without-id", "order.items[0].modifiers[0].id" },
        { "total-off-by-a-hryvnia", "order.total" },
        { "missing-total", "order.total" },
        { "paid-as-string", "order.paid" },
        { "unknown-delivery-type", "order.deliveryType" },
        { "bad-currency", "order.currency" },
        { "huge-name", "order.items[0].name" },
        { "too-many-items", "order.items" },
        { "order-is-array", "order" },
        { "unsupported-version", "version" },
        { "missing-event-id", "eventId" },
        { "bad-occurred-at", "occurredAt" },
        { "another-company", "order.companyId" },
        { "three-decimals-price", "order.items[0].price" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_order_is_refused_naming_the_field_and_nothing_is_stored(string change, string field)
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var body = Fixtures.Json(Fixtures.AcceptedDelivery);
        var order = body["order"]!.AsObject();
        var items = order["items"]!.AsArray();
        switch (change)
        {
            case "missing-items": order.Remove("items"); break;
            case "empty-items": items.Clear(); break;
            case "quantity-as-text": items[0]!["quantity"] = "two"; break;
            case "zero-quantity": items[1]!["quantity"] = 0; break;
            case "negative-quantity": items[2]!["quantity"] = -1; break;
            case "negative-price": items[0]!["price"] = -245.00m; break;
            case "modifier-without-id": items[0]!["modifiers"]![0]!.AsObject().Remove("id"); break;
            case "total-off-by-a-hryvnia": order["total"] = 820.00m; break;
            case "missing-total": order.Remove("total"); break;
            case "paid-as-string": order["paid"] = "yes"; break;
            case "unknown-delivery-type": order["deliveryType"] = "teleport"; break;
            case "bad-currency": order["currency"] = "hryvnia"; break;
            case "huge-name": items[0]!["name"] = new string('x', 100_000); break;
            case "too-many-items":
                for (var i = 0; i < 250; i++)
                {
                    items.Add(JsonNode.Parse(items[2]!.ToJsonString()));
                }

                break;
            case "order-is-array": body["order"] = new JsonArray(); break;
            case "unsupported-version": body["version"] = "2"; break;
            case "missing-event-id": body.Remove("eventId"); break;
            case "bad-occurred-at": body["occurredAt"] = "yesterday"; break;
            case "another-company": order["companyId"] = "someone-elses-company"; break;
            case "three-decimals-price": items[0]!["price"] = 245.001m; break;
            default: throw new ArgumentOutOfRangeException(nameof(change));
        }

        var response = await tenant.Sender(Factory).SendAsync(body, "evt_bad_" + change);

        var status = field is "order.total" && change == "total-off-by-a-hryvnia" || field == "order.companyId"
            ? HttpStatusCode.UnprocessableEntity
            : HttpStatusCode.BadRequest;
        await response.ShouldBeProblemAsync(status, field);
        await ShouldHaveStoredNothingAsync();
    }

    [Fact]
    public async Task Broken_json_is_refused_as_a_bad_body()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);

        var response = await tenant.Sender(Factory).SendRawAsync("{\"version\":\"1\",\"eventId\":", "evt_broken");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "body");
        await ShouldHaveStoredNothingAsync();
    }

    [Fact]
    public async Task Deeply_nested_json_is_refused_as_a_bad_body()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var deep = new string('[', 5000) + new string(']', 5000);

        var response = await tenant.Sender(Factory).SendRawAsync(deep, "evt_deep");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "body");
        await ShouldHaveStoredNothingAsync();
    }

    [Fact]
    public async Task A_body_over_256_KB_is_refused_with_413()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var body = Fixtures.Json(Fixtures.AcceptedDelivery);
        body["padding"] = new string('x', 300 * 1024);

        var response = await tenant.Sender(Factory).SendAsync(body);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        await ShouldHaveStoredNothingAsync();
    }

    [Fact]
    public async Task A_signature_made_with_another_secret_is_refused_with_401()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);

        var response = await tenant.Sender(Factory).SendRawAsync(
            Fixtures.Read(Fixtures.AcceptedDelivery), "evt_1", signingSecret: StandardWebhookSignature.GenerateSecret());

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString()!.ShouldContain("No signature matches");
        await ShouldHaveStoredNothingAsync();
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_refused_with_401()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var body = Fixtures.Read(Fixtures.AcceptedDelivery);
        var bytes = Encoding.UTF8.GetBytes(body);
        var now = Factory.Clock.GetUtcNow();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/dots/{tenant.Key}")
        {
            Content = new StringContent(body.Replace("819.00", "19.00", StringComparison.Ordinal), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", "evt_x");
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString());
        request.Headers.Add("webhook-signature", StandardWebhookSignature.Sign(tenant.Secret, "evt_x", now, bytes));

        var response = await Factory.CreateClient().SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await ShouldHaveStoredNothingAsync();
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    public async Task A_timestamp_more_than_five_minutes_away_is_refused_with_401(int minutes)
    {
        var tenant = await new TestTenant().CreateAsync(Factory);

        var response = await tenant.Sender(Factory).SendRawAsync(
            Fixtures.Read(Fixtures.AcceptedDelivery), "evt_1", Factory.Clock.GetUtcNow().AddMinutes(minutes));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString()!.ShouldContain("5 minutes");
        await ShouldHaveStoredNothingAsync();
    }

    [Fact]
    public async Task Missing_signature_headers_are_refused_with_401()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);

        var response = await Factory.CreateClient().PostAsync(
            $"/webhooks/dots/{tenant.Key}", new StringContent(Fixtures.Read(Fixtures.AcceptedDelivery), Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await ShouldHaveStoredNothingAsync();
    }

    [Fact]
    public async Task An_unknown_company_key_is_refused_with_404()
    {
        await new TestTenant().CreateAsync(Factory);
        var stranger = new DotsSender(Factory.CreateClient(), "no-such-company", StandardWebhookSignature.GenerateSecret(), Factory.Clock);

        var response = await stranger.SendFixtureAsync(Fixtures.AcceptedDelivery);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await ShouldHaveStoredNothingAsync();
    }

    [Fact]
    public async Task A_non_json_content_type_is_refused_with_415()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var body = Fixtures.Read(Fixtures.AcceptedDelivery);
        var now = Factory.Clock.GetUtcNow();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/dots/{tenant.Key}") { Content = new StringContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        request.Headers.Add("webhook-id", "evt_1");
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString());
        request.Headers.Add("webhook-signature", StandardWebhookSignature.Sign(tenant.Secret, "evt_1", now, Encoding.UTF8.GetBytes(body)));

        var response = await Factory.CreateClient().SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await ShouldHaveStoredNothingAsync();
    }

    [Fact]
    public async Task The_API_refuses_calls_without_a_valid_key_with_401_ProblemDetails()
    {
        var client = Factory.CreateClient();

        await (await client.GetAsync("/api/orders")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        client.DefaultRequestHeaders.Add("X-Api-Key", "not-a-key-we-know-of-0000");
        await (await client.GetAsync("/api/orders")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Health_endpoints_are_open_and_ready_reports_the_database()
    {
        var client = Factory.CreateClient();

        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ready = await client.GetAsync("/health/ready");

        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync()).ShouldContain("migrations applied");
    }

    private async Task ShouldHaveStoredNothingAsync()
    {
        (await CountAsync(db => db.Orders)).ShouldBe(0);
        (await CountAsync(db => db.InboundEvents)).ShouldBe(0);
        (await CountAsync(db => db.OrderActions)).ShouldBe(0);
        (await CountAsync(db => db.ExportQueue)).ShouldBe(0);
    }
}
