using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Dispatching;
using OrderHub.Api.Features.Orders;
using OrderHub.Domain.Export;
using OrderHub.Domain.Orders;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;
using OrderHub.Integrations.Webhooks;
using OrderHub.Simulators;
using static OrderHub.FunctionalTests.Infrastructure.Eventually;

namespace OrderHub.FunctionalTests.Export;

/// <summary>
/// Accepted orders through the real dispatcher and POS clients to the POS simulators on loopback: what arrives,
/// once, through outages, unclear answers, restarts and refusals.
/// </summary>
public abstract class ExportTests(ITestDatabase database) : ExportTestBase(database)
{
    /// <summary>Long enough that no cold first call is cut off: these tests wait for outcomes, not for timeouts.</summary>
    protected override TimeSpan AttemptTimeout => TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_delivery_fixture_arrives_at_Poster_with_spot_service_mode_kopecks_and_the_modification_string()
    {
        var tenant = await PosterTenant().CreateAsync(Factory);

        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitForStateAsync(order, ExportState.Exported);

        var body = Pos.SingleBody(PosterTarget);
        body.GetProperty("spot_id").GetInt64().ShouldBe(1);
        body.GetProperty("service_mode").GetInt32().ShouldBe(3);
        body.GetProperty("phone").GetString().ShouldBe("+380671234567");
        body.GetProperty("delivery_price").GetInt64().ShouldBe(6000);
        body.GetProperty("comment").GetString()!.ShouldContain("[Dots #DT-104233]");
        body.GetProperty("payment").GetProperty("sum").GetInt64().ShouldBe(81900);
        var products = body.GetProperty("products").EnumerateArray().ToList();
        products.Count.ShouldBe(3);
        products[0].GetProperty("product_id").GetInt64().ShouldBe(101);
        products[0].GetProperty("count").GetDecimal().ShouldBe(2);
        products[0].GetProperty("price").GetInt64().ShouldBe(24500);
        products[0].GetProperty("modification").GetString().ShouldBe("""[{"m":11,"a":1},{"m":12,"a":1}]""");
        products[1].GetProperty("modificator_id").GetInt64().ShouldBe(2011);
        body.GetProperty("promotion")[0].GetProperty("id").GetInt64().ShouldBe(7);

        var details = await GetOrderAsync(order);
        details.PosOrderId.ShouldBe(Pos.Orders(PosterTarget)[0].PosOrderId);
        var attempt = details.History.Single(h => h.Action == "export.attempt");
        attempt.Outcome.ShouldBe("Success");
        attempt.Details!.ShouldContain("token=***");
        attempt.Details!.ShouldNotContain(PosSimulatorServer.PosterToken);
        attempt.Details!.ShouldNotContain("+380671234567");
    }

    [Fact]
    public async Task The_webhook_POS_receives_a_signed_pos_order_and_its_status_report_comes_back()
    {
        var tenant = await new TestTenant().WithWebhookPos(Pos.WebhookPosUrl, Pos.WebhookSecret).CreateAsync(Factory);

        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitForStateAsync(order, ExportState.Exported);

        // The simulator keeps only orders whose Standard Webhooks signature it verified with the secret.
        var received = Pos.Orders(WebhookTarget).ShouldHaveSingleItem();
        received.MessageId.ShouldBe($"oh_{order:N}_create_1");
        var body = JsonSerializer.SerializeToElement(received.Body);
        body.GetProperty("type").GetString().ShouldBe("pos-order");
        body.GetProperty("order").GetProperty("orderId").GetGuid().ShouldBe(order);
        body.GetProperty("order").GetProperty("totalMinor").GetInt64().ShouldBe(81900);

        var integrationId = await Factory.WithDbAsync(db => db.PosIntegrations.Where(i => i.PickupPointId == tenant.KyivPointId).Select(i => i.Id).SingleAsync());
        var report = await SignedPostAsync($"/webhooks/pos/{integrationId}", new { orderId = order, status = "accepted", posOrderId = received.PosOrderId }, Pos.WebhookSecret);
        report.StatusCode.ShouldBe(HttpStatusCode.OK);
        var forged = await SignedPostAsync($"/webhooks/pos/{integrationId}", new { orderId = order, status = "rejected" }, StandardWebhookSignature.GenerateSecret());
        await forged.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        var details = await GetOrderAsync(order);
        details.PosStatus.ShouldBe("accepted");
        details.History.Last().Action.ShouldBe("pos.status");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Door_codes_and_the_order_comment_reach_the_POS_in_full_but_are_masked_in_the_history(bool poster)
    {
        const string doorCode = "Домофон 17, не працює дзвінок";
        const string orderComment = "Без цибулі, будь ласка";
        var tenant = await (poster ? PosterTenant() : new TestTenant().WithWebhookPos(Pos.WebhookPosUrl, Pos.WebhookSecret)).CreateAsync(Factory);

        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitForStateAsync(order, ExportState.Exported);

        var received = Pos.Orders(poster ? PosterTarget : WebhookTarget).ShouldHaveSingleItem();
        var wire = JsonSerializer.Serialize(received.Body, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        wire.ShouldContain(doorCode);
        wire.ShouldContain(orderComment);
        var attempt = (await GetOrderAsync(order)).History.Single(h => h.Action == "export.attempt");
        // Details and the excerpt in it are JSON with non-ASCII escaped: read the excerpt's text itself.
        var request = System.Text.RegularExpressions.Regex.Unescape(
            JsonDocument.Parse(attempt.Details.ShouldNotBeNull()).RootElement.GetProperty("request").GetString().ShouldNotBeNull());
        request.ShouldNotContain("Домофон");
        request.ShouldNotContain("цибулі");
        request.ShouldContain("***");
        if (poster)
        {
            request.ShouldContain("[Dots #DT-104233]");
        }
    }

    [Fact]
    public async Task Five_concurrent_copies_of_an_event_make_one_POS_order()
    {
        var tenant = await PosterTenant().CreateAsync(Factory);
        var sender = tenant.Sender(Factory);

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => sender.SendFixtureAsync(Fixtures.AcceptedDelivery)));

        responses.Count(r => r.StatusCode == HttpStatusCode.Accepted).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(4);
        var order = await Factory.WithDbAsync(db => db.Orders.Select(o => o.Id).SingleAsync());
        await WaitForStateAsync(order, ExportState.Exported);
        await Task.Delay(300);
        Pos.Stats().UniqueOrders.ShouldBe(1);
        Pos.Orders(PosterTarget).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_POS_down_for_a_while_gets_the_order_once_after_recovery_on_the_retry_schedule()
    {
        var tenant = await PosterTenant().CreateAsync(Factory);
        await Pos.FaultsAsync(new FaultSettings { Outage = true });

        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        var first = await WaitForAttemptsAsync(order, 1);
        var firstPause = first.NextAttemptAt - first.LastAttemptAt!.Value;
        firstPause.TotalSeconds.ShouldBeInRange(4, 6); // 5 s ± 20 %

        Factory.Clock.Advance(TimeSpan.FromSeconds(7));
        Wake();
        var second = await WaitForAttemptsAsync(order, 2);
        (second.NextAttemptAt - second.LastAttemptAt!.Value).TotalSeconds.ShouldBeInRange(24, 36); // 30 s ± 20 %
        (await GetOrderAsync(order)).ExportState.ShouldBe("Queued");
        // The POS answered both attempts (unavailable): neither can have created the order, so no lookup is due.
        second.MayHaveReachedPos.ShouldBeFalse();

        await Pos.ClearFaultsAsync();
        Factory.Clock.Advance(TimeSpan.FromSeconds(37));
        Wake();
        await WaitForStateAsync(order, ExportState.Exported);

        Pos.Orders(PosterTarget).Count.ShouldBe(1);
        var attempts = (await GetOrderAsync(order)).History.Where(h => h.Action == "export.attempt").ToList();
        attempts.Select(a => a.Outcome).ShouldBe(["Warning", "Warning", "Success"]);
        attempts[0].Message.ShouldContain("Next attempt at");
    }

    [Fact]
    public async Task An_order_the_POS_has_not_taken_within_the_maximum_age_fails_with_a_hint()
    {
        var tenant = await PosterTenant().CreateAsync(Factory);
        await Pos.FaultsAsync(new FaultSettings { Outage = true });

        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitForAttemptsAsync(order, 1);
        Factory.Clock.Advance(TimeSpan.FromSeconds(7));
        Wake();
        await WaitForAttemptsAsync(order, 2);
        Factory.Clock.Advance(TimeSpan.FromSeconds(37));
        Wake();
        await WaitForStateAsync(order, ExportState.Failed);

        var details = await GetOrderAsync(order);
        details.Problem.ShouldBe("PosUnreachable");
        var last = details.History.Last(h => h.Action == "export.attempt");
        last.Message.ShouldContain("Gave up");
        last.FixHint!.ShouldContain("export the order again");
        (await EntryAsync(order)).State.ShouldBe(ExportQueueState.Failed);
        Pos.Orders(PosterTarget).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_host_stopped_mid_attempt_and_started_again_completes_the_order_once()
    {
        var tenant = await PosterTenant().CreateAsync(Factory);
        await Pos.FaultsAsync(new FaultSettings { AcceptThenTimeoutRate = 1, TimeoutDelayMs = 2500 });
        var settings = new Dictionary<string, string?>(PosSettings())
        {
            ["Dispatcher:DrainTimeout"] = "00:00:00",
        };
        var crashing = new OrderHubFactory(Database, settings);
        crashing.Clock.Set(Factory.Clock.GetUtcNow());
        _ = crashing.Server;

        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery, crashing);
        await WaitUntilAsync(() => Task.FromResult(Pos.Orders(PosterTarget).Count == 1), "the order at Poster");
        await crashing.DisposeAsync(); // stops without draining: the attempt in flight is abandoned to its lease

        var entry = await EntryAsync(order);
        entry.State.ShouldBe(ExportQueueState.Pending);
        entry.LeaseUntil.ShouldNotBeNull();
        (await GetOrderAsync(order)).ExportState.ShouldBe("Queued");

        await Pos.ClearFaultsAsync();
        Factory.Clock.Set(entry.LeaseUntil.Value.AddSeconds(1));
        Wake();
        await WaitForStateAsync(order, ExportState.Exported);

        Pos.Orders(PosterTarget).Count.ShouldBe(1);
        (await EntryAsync(order)).Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task A_permanent_Poster_error_stops_at_once_with_its_reason_and_hint()
    {
        var tenant = await PosterTenant().CreateAsync(Factory);
        await Pos.FaultsAsync(new FaultSettings { PosterErrorCode = 41, PosterErrorShape = "flat" });

        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitForStateAsync(order, ExportState.Failed);

        var details = await GetOrderAsync(order);
        details.Problem.ShouldBe("PosProductNotFound");
        var attempt = details.History.Single(h => h.Action == "export.attempt");
        attempt.Reason.ShouldBe("PosProductNotFound");
        attempt.FixHint.ShouldNotBeNullOrWhiteSpace();
        var entry = await EntryAsync(order);
        entry.State.ShouldBe(ExportQueueState.Failed);
        entry.Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task A_410_from_the_webhook_POS_fails_the_order_and_disables_the_integration()
    {
        var tenant = await new TestTenant().WithWebhookPos(Pos.WebhookPosUrl, Pos.WebhookSecret).CreateAsync(Factory);
        await Pos.FaultsAsync(new FaultSettings { StatusCode = 410 });

        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitForStateAsync(order, ExportState.Failed);

        (await GetOrderAsync(order)).Problem.ShouldBe("PosGone");
        var integration = await Factory.WithDbAsync(db => db.PosIntegrations.SingleAsync(i => i.PickupPointId == tenant.KyivPointId));
        integration.Enabled.ShouldBeFalse();
        integration.DisabledReason!.ShouldContain("410");

        // Read through the API, the reason is in the reader's language.
        using var ukrainian = new HttpRequestMessage(HttpMethod.Get, $"/api/pickup-points/{tenant.KyivPointId}/pos-integration");
        ukrainian.Headers.AcceptLanguage.ParseAdd("uk");
        var read = await (await Factory.CreateApiClient().SendAsync(ukrainian)).ShouldBeAsync<System.Text.Json.JsonElement>(System.Net.HttpStatusCode.OK);
        read.GetProperty("disabledReason").GetString()!.ShouldStartWith("POS відповів 410 Gone ");
        var english = await Factory.CreateApiClient().GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/pickup-points/{tenant.KyivPointId}/pos-integration");
        english.GetProperty("disabledReason").GetString().ShouldBe(integration.DisabledReason);
    }

    [Fact]
    public async Task A_cancel_after_export_reaches_the_webhook_POS_as_a_signed_cancellation()
    {
        var tenant = await new TestTenant().WithWebhookPos(Pos.WebhookPosUrl, Pos.WebhookSecret).CreateAsync(Factory);
        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitForStateAsync(order, ExportState.Exported);

        await (await tenant.Sender(Factory).SendFixtureAsync(Fixtures.Cancelled)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        await WaitUntilAsync(() => Task.FromResult(Pos.Orders(WebhookTarget).Any(o => o.Kind == "cancel")), "the cancellation at the webhook POS");

        var cancel = Pos.Orders(WebhookTarget).Single(o => o.Kind == "cancel");
        cancel.MessageId.ShouldBe($"oh_{order:N}_create_1.cancel");
        // Dots' own reason, not a generic one.
        cancel.Body!["reason"]!.GetValue<string>().ShouldBe("Клієнт відмовився");
        await WaitUntilAsync(async () => (await GetOrderAsync(order)).History.Any(h => h.Action == "pos.cancel_attempt"), "the cancel attempt in the history");
        var told = (await GetOrderAsync(order)).History.Last(h => h.Action == "pos.cancel_attempt");
        told.Outcome.ShouldBe("Success");
        told.Message.ShouldContain("cancelled in Dots («Клієнт відмовився»)");
    }

    [Fact]
    public async Task A_cancel_after_export_to_Poster_marks_the_order_for_action_at_the_register()
    {
        var tenant = await PosterTenant().CreateAsync(Factory);
        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitForStateAsync(order, ExportState.Exported);

        await (await tenant.Sender(Factory).SendFixtureAsync(Fixtures.Cancelled)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);

        var details = await GetOrderAsync(order);
        details.Problem.ShouldBe("CancelledAfterExport");
        details.History.Last().Action.ShouldBe("pos.register_action_needed");
        // The alert is made from this row: it carries Dots' reason.
        details.History.Last().Message.ShouldContain("Cancelled in Dots («Клієнт відмовився») after it reached Poster");
        Pos.Orders(PosterTarget).Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_exported_order_is_sent_again_only_by_force_with_a_reason_as_a_new_message()
    {
        var tenant = await PosterTenant().CreateAsync(Factory);
        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitForStateAsync(order, ExportState.Exported);
        var api = Factory.CreateApiClient();

        (await api.PostAsync($"/api/orders/{order}/export", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        await (await api.PostAsJsonAsync($"/api/orders/{order}/export", new { force = true })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "reason");
        (await api.PostAsJsonAsync($"/api/orders/{order}/export", new { force = true, reason = "The register lost it after a restart" }))
            .StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await WaitUntilAsync(() => Task.FromResult(Pos.Orders(PosterTarget).Count == 2), "the second order at Poster");
        await WaitForStateAsync(order, ExportState.Exported);

        var comments = Pos.Orders(PosterTarget).Select(o => JsonSerializer.SerializeToElement(o.Body).GetProperty("comment").GetString()).ToList();
        comments[1]!.ShouldContain("[Dots #DT-104233/2]");
        var details = await GetOrderAsync(order);
        details.History.ShouldContain(h => h.Action == "export.forced" && h.Message.Contains("The register lost it") && h.Actor == "user:tests");
    }

    [Fact]
    public async Task Failed_orders_of_a_pickup_point_are_re_driven_in_bulk_after_an_outage()
    {
        var tenant = await PosterTenant().CreateAsync(Factory);
        await Pos.FaultsAsync(new FaultSettings { PosterErrorCode = 60 });
        var delivery = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitForStateAsync(delivery, ExportState.Failed);
        (await GetOrderAsync(delivery)).Problem.ShouldBe("PosSpotNotFound");

        await Pos.ClearFaultsAsync();
        var response = await Factory.CreateApiClient().PostAsJsonAsync("/api/orders/redrive-failed", new { pickupPointId = tenant.KyivPointId });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requeued").GetInt32().ShouldBe(1);

        await WaitForStateAsync(delivery, ExportState.Exported);
        Pos.Orders(PosterTarget).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_cashier_accepting_at_Poster_comes_back_through_Poster_s_webhook()
    {
        var tenant = await PosterTenant().CreateAsync(Factory);
        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitForStateAsync(order, ExportState.Exported);
        var posOrderId = Pos.Orders(PosterTarget)[0].PosOrderId;

        // The simulated Poster posts its signed incoming_order hook to OrderHub, which reads the status back.
        var hook = await PosterHookAsync(posOrderId, PosSimulatorServer.PosterAppSecret);
        hook.StatusCode.ShouldBe(HttpStatusCode.OK);
        Pos.Simulator.SetStatus(PosterTarget, posOrderId, 1).ShouldBeTrue();
        (await PosterHookAsync(posOrderId, PosSimulatorServer.PosterAppSecret, time: "1764000001")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await PosterHookAsync(posOrderId, "wrong-secret")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        var details = await GetOrderAsync(order);
        details.PosStatus.ShouldBe("accepted");
        details.History.Count(h => h.Action == "pos.status").ShouldBe(2);
    }

    private async Task<HttpResponseMessage> SignedPostAsync(string path, object body, string secret)
    {
        var json = JsonSerializer.Serialize(body);
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var timestamp = Factory.Clock.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(StandardWebhookSignature.IdHeader, id);
        request.Headers.Add(StandardWebhookSignature.TimestampHeader, timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(StandardWebhookSignature.SignatureHeader, StandardWebhookSignature.Sign(secret, id, timestamp, System.Text.Encoding.UTF8.GetBytes(json)));
        return await Factory.CreateClient().SendAsync(request);
    }

    private async Task<HttpResponseMessage> PosterHookAsync(string posOrderId, string secret, string time = "1764000000")
    {
        var hook = new OrderHub.Integrations.Poster.PosterWebhook(PosSimulatorServer.PosterAccount, "861052", "incoming_order", posOrderId, "changed", time, null, "");
        var verify = OrderHub.Integrations.Poster.PosterWebhookVerifier.Compute(hook, secret);
        return await Factory.CreateClient().PostAsJsonAsync("/webhooks/poster", new
        {
            account = hook.Account, account_number = "861052", @object = "incoming_order", object_id = posOrderId, action = "changed", time, verify,
        });
    }
}

public sealed class SqliteExportTests() : ExportTests(new SqliteTestDatabase());

public sealed class PostgresExportTests() : ExportTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerExportTests() : ExportTests(new SqlServerTestDatabase());
