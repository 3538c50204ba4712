using OrderHub.Domain.History;
using OrderHub.Integrations.Pos;
using OrderHub.Integrations.Webhooks;
using OrderHub.Simulators;

namespace OrderHub.IntegrationTests;

public sealed class WebhookPosClientTests : IAsyncLifetime
{
    private readonly SimulatorHost host = new();

    public Task InitializeAsync() => host.InitializeAsync();

    public Task DisposeAsync() => host.DisposeAsync();

    [Fact]
    public async Task A_signed_pos_order_v1_is_delivered_and_the_POS_order_id_read()
    {
        var order = Orders.Valid("4321");

        var result = await host.Webhook.CreateOrderAsync(host.WebhookTarget(), order, CancellationToken.None);

        result.Outcome.ShouldBe(PosPushOutcome.Delivered, result.Message);
        var stored = host.Simulator.Orders("pos/orders").ShouldHaveSingleItem();
        result.PosOrderId.ShouldBe(stored.PosOrderId);
        stored.MessageId.ShouldBe(order.MessageId);
        var body = stored.Body!.AsObject();
        body["type"]!.GetValue<string>().ShouldBe("pos-order");
        body["version"]!.GetValue<int>().ShouldBe(1);
        body["order"]!["number"]!.GetValue<string>().ShouldBe("4321");
        body["order"]!["totalMinor"]!.GetValue<long>().ShouldBe(52400);
        body["order"]!["total"]!.GetValue<decimal>().ShouldBe(524m);
        body["order"]!["lines"]![0]!["posProductId"]!.GetValue<string>().ShouldBe("113");
        body["order"]!["lines"]![0]!["modifiers"]![0]!["priceMinor"]!.GetValue<long>().ShouldBe(2500);
        result.RequestExcerpt!.ShouldNotContain("+380501234567");
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_by_the_POS_and_reads_as_auth_rejected()
    {
        var result = await host.Webhook.CreateOrderAsync(host.WebhookTarget(secret: StandardWebhookSignature.GenerateSecret()), Orders.Valid(), CancellationToken.None);

        result.Outcome.ShouldBe(PosPushOutcome.Permanent);
        result.Reason.ShouldBe(FailureReason.PosAuthRejected);
        result.HttpStatus.ShouldBe(401);
        host.Simulator.Orders().ShouldBeEmpty();
    }

    [Fact]
    public async Task The_same_webhook_id_twice_makes_one_order_at_the_POS()
    {
        var target = host.WebhookTarget();
        var order = Orders.Valid();

        var first = await host.Webhook.CreateOrderAsync(target, order, CancellationToken.None);
        var second = await host.Webhook.CreateOrderAsync(target, order, CancellationToken.None);

        first.Outcome.ShouldBe(PosPushOutcome.Delivered);
        second.Outcome.ShouldBe(PosPushOutcome.Delivered);
        second.PosOrderId.ShouldBe(first.PosOrderId);
        var stats = await host.StatsAsync();
        stats.Received.ShouldBe(2);
        stats.UniqueOrders.ShouldBe(1);
        stats.Duplicates.ShouldBe(1);
    }

    [Fact]
    public async Task A_timeout_after_acceptance_is_ambiguous_and_a_resend_is_safe()
    {
        await host.FaultsAsync(new FaultSettings { AcceptThenTimeoutRate = 1, TimeoutDelayMs = 5_000 });
        var target = host.WebhookTarget();
        var order = Orders.Valid();

        (await host.Webhook.CreateOrderAsync(target, order, CancellationToken.None)).Outcome.ShouldBe(PosPushOutcome.Ambiguous);
        await host.FaultsAsync(new FaultSettings());
        (await host.Webhook.FindExistingAsync(target, order, DateTimeOffset.UtcNow, CancellationToken.None)).ShouldBeNull();
        (await host.Webhook.CreateOrderAsync(target, order, CancellationToken.None)).Outcome.ShouldBe(PosPushOutcome.Delivered);

        var stats = await host.StatsAsync();
        stats.UniqueOrders.ShouldBe(1);
        stats.Duplicates.ShouldBe(1);
    }

    [Theory]
    [InlineData(410, FailureReason.PosGone)]
    [InlineData(403, FailureReason.PosAuthRejected)]
    [InlineData(400, FailureReason.PosRejected)]
    [InlineData(422, FailureReason.PosRejected)]
    public async Task A_4xx_is_permanent_with_its_reason(int status, FailureReason reason)
    {
        await host.FaultsAsync(new FaultSettings { StatusCode = status });

        var result = await host.Webhook.CreateOrderAsync(host.WebhookTarget(), Orders.Valid(), CancellationToken.None);

        result.Outcome.ShouldBe(PosPushOutcome.Permanent);
        result.Reason.ShouldBe(reason);
        result.HttpStatus.ShouldBe(status);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(408)]
    [InlineData(302)]
    public async Task A_5xx_408_or_redirect_is_retryable(int status)
    {
        await host.FaultsAsync(new FaultSettings { StatusCode = status });

        var result = await host.Webhook.CreateOrderAsync(host.WebhookTarget(), Orders.Valid(), CancellationToken.None);

        result.Outcome.ShouldBe(PosPushOutcome.Retryable);
        result.HttpStatus.ShouldBe(status);
    }

    [Fact]
    public async Task A_429_is_retryable_after_the_time_the_POS_asks()
    {
        await host.FaultsAsync(new FaultSettings { TooManyRequestsRate = 1, RetryAfterSeconds = 17 });

        var result = await host.Webhook.CreateOrderAsync(host.WebhookTarget(), Orders.Valid(), CancellationToken.None);

        result.Outcome.ShouldBe(PosPushOutcome.Retryable);
        result.RetryAfter.ShouldBe(TimeSpan.FromSeconds(17));
    }

    [Fact]
    public async Task Cancel_sends_a_signed_cancellation_with_its_own_webhook_id()
    {
        var target = host.WebhookTarget();
        var order = Orders.Valid();

        var result = await host.Webhook.CancelOrderAsync(target, order, "customer changed their mind", CancellationToken.None);

        result.Outcome.ShouldBe(PosPushOutcome.Delivered, result.Message);
        var stored = host.Simulator.Orders().ShouldHaveSingleItem();
        stored.Kind.ShouldBe("cancel");
        stored.MessageId.ShouldBe(order.MessageId + ".cancel");
        stored.Body!["type"]!.GetValue<string>().ShouldBe("pos-order.cancelled");
        stored.Body!["reason"]!.GetValue<string>().ShouldBe("customer changed their mind");
    }

    [Fact]
    public async Task Test_connection_sends_a_signed_ping()
    {
        (await host.Webhook.TestConnectionAsync(host.WebhookTarget(), default)).Ok.ShouldBeTrue();

        var wrong = await host.Webhook.TestConnectionAsync(host.WebhookTarget(secret: StandardWebhookSignature.GenerateSecret()), default);
        wrong.Ok.ShouldBeFalse();
        wrong.Reason.ShouldBe(FailureReason.PosAuthRejected);
    }
}
