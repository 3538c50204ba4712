using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Dispatching;
using OrderHub.Api.Features.PosFeed;
using OrderHub.Domain.Export;
using OrderHub.Domain.Orders;
using OrderHub.FunctionalTests.Infrastructure;
using static OrderHub.FunctionalTests.Infrastructure.Eventually;
using OrderHub.FunctionalTests.Intake;
using OrderHub.Integrations.WebhookPos;
using OrderHub.Integrations.Webhooks;
using OrderHub.Simulators;

namespace OrderHub.FunctionalTests.PosFeed;

/// <summary>
/// The catch-up feed of a webhook POS receiver, through HTTP, the real dispatcher and the webhook POS simulator:
/// a receiver that was down pulls exactly what it missed, its acknowledged cursor survives a restart, and only
/// the integration's own feed token reads it.
/// </summary>
public abstract class PosFeedTests(ITestDatabase database) : ProviderTestBase(database)
{
    private const string WebhookTarget = "pos/orders";

    protected PosSimulatorServer Pos { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => PosSettings(Pos);

    private static Dictionary<string, string?> PosSettings(PosSimulatorServer pos) => new()
    {
        ["Dispatcher:Enabled"] = "true",
        ["Dispatcher:PollInterval"] = "00:00:00.200",
        ["Dispatcher:DrainTimeout"] = "00:00:05",
        // The outage answers 503 at once; nothing times out on purpose. A call cut off by the attempt timeout is unclear
        // and retried a minute later on the test clock, which does not move by itself: with 1 s a cold first call on a
        // loaded run (the first order, and the first after the restart) left its order short of Exported.
        ["Pos:Resilience:AttemptTimeout"] = "00:00:10",
        ["Pos:Resilience:MinimumThroughput"] = "1000",
        // One instance: a message is served as soon as it is stored (the test clock does not move by itself).
        ["PosFeed:Settle"] = "00:00:00",
    };

    private OrderHubFactory? _restarted;

    public override async Task InitializeAsync()
    {
        await Pos.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        if (_restarted is not null)
        {
            await _restarted.DisposeAsync();
        }

        await base.DisposeAsync();
        await Pos.DisposeAsync();
    }

    [Fact]
    public async Task A_receiver_that_was_down_pulls_exactly_what_it_missed_and_its_acknowledged_cursor_survives_a_restart()
    {
        var tenant = await new TestTenant().WithWebhookPos(Pos.WebhookPosUrl, Pos.WebhookSecret).CreateAsync(Factory);
        var integrationId = await IntegrationOfAsync(tenant.KyivPointId);
        var token = PosFeedToken.Derive(Pos.WebhookSecret, integrationId);

        // Up: the first order is pushed, and it is in the feed too (the receiver dedupes by webhook-id).
        var first = await AcceptAsync(tenant, 1);
        await WaitForStateAsync(Factory, first, ExportState.Exported);
        var page = await FeedAsync(Factory, integrationId, token, after: 0);
        page.Messages.Select(m => m.WebhookId).ShouldBe([$"oh_{first:N}_create_1"]);
        page.Messages[0].WebhookId.ShouldBe(Pos.Orders(WebhookTarget).ShouldHaveSingleItem().MessageId);
        (await AckAsync(Factory, integrationId, token, page.Cursor)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Down: two orders are attempted and refused by the receiver (503).
        await Pos.FaultsAsync(new FaultSettings { Outage = true });
        var second = await AcceptAsync(tenant, 2);
        var third = await AcceptAsync(tenant, 3);
        await WaitForFirstAttemptAsync(second);
        await WaitForFirstAttemptAsync(third);
        Pos.Orders(WebhookTarget).Count.ShouldBe(1, "the receiver was down: nothing more reached it");

        // Back: from its acknowledged position it gets exactly the two it missed, signed as the pushes are.
        var missed = await FeedAsync(Factory, integrationId, token, after: null);
        missed.AckedCursor.ShouldBe(page.Cursor);
        missed.Messages.Select(m => m.WebhookId).ShouldBe([$"oh_{second:N}_create_1", $"oh_{third:N}_create_1"]);
        missed.HasMore.ShouldBeFalse();
        foreach (var message in missed.Messages)
        {
            message.Type.ShouldBe("pos-order");
            StandardWebhookSignature.Verify([Pos.WebhookSecret], message.WebhookId, message.WebhookTimestamp, message.WebhookSignature,
                Encoding.UTF8.GetBytes(message.Body), Factory.Clock.GetUtcNow()).ShouldBe(SignatureFailure.None);
        }

        var body = JsonDocument.Parse(missed.Messages[0].Body).RootElement;
        body.GetProperty("type").GetString().ShouldBe("pos-order");
        body.GetProperty("order").GetProperty("orderId").GetGuid().ShouldBe(second);
        body.GetProperty("order").GetProperty("totalMinor").GetInt64().ShouldBe(81900);

        // A page of one says there is more, and its cursor reads on.
        var one = await FeedAsync(Factory, integrationId, token, after: page.Cursor, limit: 1);
        one.Messages.Count.ShouldBe(1);
        one.HasMore.ShouldBeTrue();
        (await FeedAsync(Factory, integrationId, token, after: one.Cursor)).Messages.Single().WebhookId.ShouldBe($"oh_{third:N}_create_1");

        (await AckAsync(Factory, integrationId, token, missed.Cursor)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var status = await Factory.CreateApiClient().GetFromJsonAsync<PosFeedStatusDto>($"/api/pickup-points/{tenant.KyivPointId}/pos-feed");
        status!.AckedCursor.ShouldBe(missed.Cursor);
        status.Behind.ShouldBe(0);

        // Restart: a new host on the same database; the receiver's position is where it left it.
        await Pos.ClearFaultsAsync();
        await Factory.DisposeAsync();
        _restarted = new OrderHubFactory(Database, PosSettings(Pos));
        _ = _restarted.Server;
        var fourth = await AcceptAsync(tenant, 4, _restarted);
        await WaitForStateAsync(_restarted, fourth, ExportState.Exported);

        var after = await FeedAsync(_restarted, integrationId, token, after: missed.Cursor);
        after.Messages.Select(m => m.WebhookId).ShouldBe([$"oh_{fourth:N}_create_1"]);
        var resumed = await FeedAsync(_restarted, integrationId, token, after: null);
        resumed.AckedCursor.ShouldBe(missed.Cursor);
        resumed.Messages.Select(m => m.WebhookId).ShouldBe([$"oh_{fourth:N}_create_1"]);
        var behind = await _restarted.CreateApiClient().GetFromJsonAsync<PosFeedStatusDto>($"/api/pickup-points/{tenant.KyivPointId}/pos-feed");
        behind!.Behind.ShouldBe(1);
    }

    [Fact]
    public async Task Only_the_integration_s_own_feed_token_reads_its_feed()
    {
        var tenant = await new TestTenant().WithWebhookPos(Pos.WebhookPosUrl, Pos.WebhookSecret).CreateAsync(Factory);
        var kyiv = await IntegrationOfAsync(tenant.KyivPointId);
        var lviv = await IntegrationOfAsync(tenant.LvivPointId);
        var order = await AcceptAsync(tenant, 1);
        await WaitForStateAsync(Factory, order, ExportState.Exported);
        var token = PosFeedToken.Derive(Pos.WebhookSecret, kyiv);

        (await FeedAsync(Factory, kyiv, token, after: 0)).Messages.Count.ShouldBe(1);
        await (await GetFeedAsync(kyiv, PosFeedToken.Derive(StandardWebhookSignature.GenerateSecret(), kyiv))).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await GetFeedAsync(kyiv, null)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        // A company API key is not a feed credential.
        var withApiKey = Factory.CreateApiClient();
        await (await withApiKey.GetAsync($"/api/pos-feed/{kyiv}?after=0")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        // Kyiv's token on Lviv's feed: a valid token, of another integration.
        await (await GetFeedAsync(lviv, token)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await AckAsync(Factory, lviv, token, 0)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await FeedAsync(Factory, lviv, PosFeedToken.Derive(Pos.WebhookSecret, lviv), after: 0)).Messages.ShouldBeEmpty();
        await (await GetFeedAsync(Guid.NewGuid(), token)).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        // The cursor cannot pass the newest message, nor move back.
        await (await AckAsync(Factory, kyiv, token, 1_000_000)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var latest = (await FeedAsync(Factory, kyiv, token, after: 0)).Cursor;
        (await AckAsync(Factory, kyiv, token, latest)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var back = await (await AckAsync(Factory, kyiv, token, 0)).ShouldBeAsync<PosFeedStatusDto>(HttpStatusCode.OK);
        back.AckedCursor.ShouldBe(latest);
    }

    private Task<HttpResponseMessage> GetFeedAsync(Guid integrationId, string? token)
    {
        var client = Factory.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client.GetAsync($"/api/pos-feed/{integrationId}?after=0");
    }

    private static async Task<PosFeedPageDto> FeedAsync(OrderHubFactory factory, Guid integrationId, string token, long? after, int? limit = null)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var query = string.Join("&", new[] { after is { } a ? $"after={a}" : null, limit is { } l ? $"limit={l}" : null }.OfType<string>());
        return await (await client.GetAsync($"/api/pos-feed/{integrationId}?{query}")).ShouldBeAsync<PosFeedPageDto>(HttpStatusCode.OK);
    }

    private static Task<HttpResponseMessage> AckAsync(OrderHubFactory factory, Guid integrationId, string token, long cursor)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.PostAsJsonAsync($"/api/pos-feed/{integrationId}/ack", new { cursor });
    }

    private Task<Guid> IntegrationOfAsync(Guid pointId) =>
        Factory.WithDbAsync(db => db.PosIntegrations.Where(i => i.PickupPointId == pointId).Select(i => i.Id).SingleAsync());

    private async Task<Guid> AcceptAsync(TestTenant tenant, int n, OrderHubFactory? factory = null)
    {
        factory ??= Factory;
        var body = Fixtures.Json(Fixtures.AcceptedDelivery);
        body["eventId"] = $"evt_feed_{n}_{Guid.NewGuid():N}";
        var order = body["order"]!.AsObject();
        order["id"] = Guid.NewGuid().ToString();
        order["number"] = $"FD-{n:D4}";
        var sender = new DotsSender(factory.CreateClient(), tenant.Key, tenant.Secret, factory.Clock);
        var receipt = await (await sender.SendAsync(body)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        return receipt.OrderId!.Value;
    }

    /// <summary>Waits until the first attempt's outcome is written (the receiver refused it).</summary>
    private Task WaitForFirstAttemptAsync(Guid order) =>
        WaitUntilAsync(() => Factory.WithDbAsync(db => db.ExportQueue.AnyAsync(e =>
            e.OrderId == order && e.Kind == ExportQueueKind.Create && e.Attempts == 1 && e.LeaseOwner == null && e.LastAttemptAt != null)),
            $"the first attempt of order {order}");

    private static Task WaitForStateAsync(OrderHubFactory factory, Guid order, ExportState state) =>
        WaitUntilAsync(() => factory.WithDbAsync(db => db.Orders.AnyAsync(o => o.Id == order && o.ExportState == state)), $"order {order} to reach {state}");
}

public sealed class SqlitePosFeedTests() : PosFeedTests(new SqliteTestDatabase());

public sealed class PostgresPosFeedTests() : PosFeedTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerPosFeedTests() : PosFeedTests(new SqlServerTestDatabase());
