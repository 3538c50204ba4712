using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Domain.History;
using OrderHub.Integrations.Pos;
using OrderHub.Integrations.Poster;
using OrderHub.Simulators;

namespace OrderHub.IntegrationTests;

public sealed class PosterClientTests : IAsyncLifetime
{
    private readonly SimulatorHost host = new();

    public Task InitializeAsync() => host.InitializeAsync();

    public Task DisposeAsync() => host.DisposeAsync();

    [Fact]
    public async Task An_order_is_delivered_to_Poster_with_kopecks_and_the_marker()
    {
        var order = Orders.Valid("1234");

        var result = await host.Poster.CreateOrderAsync(host.PosterTarget(), order, CancellationToken.None);

        result.Outcome.ShouldBe(PosPushOutcome.Delivered, result.Message);
        result.PosOrderId.ShouldNotBeNullOrEmpty();
        result.PosStatus.ShouldBe("new");
        result.HttpStatus.ShouldBe(200);
        result.RequestExcerpt.ShouldNotBeNull();
        result.RequestExcerpt.ShouldNotContain(SimulatorHost.PosterToken);
        result.RequestExcerpt.ShouldNotContain("+380501234567");

        var stored = host.Simulator.Orders("poster/demo").ShouldHaveSingleItem();
        stored.PosOrderId.ShouldBe(result.PosOrderId);
        var body = stored.Body!.AsObject();
        body["comment"]!.GetValue<string>().ShouldBe("Ring twice [Dots #1234]");
        body["products"]![0]!["price"]!.GetValue<long>().ShouldBe(18950);
        body["products"]![0]!["modification"]!.GetValue<string>().ShouldBe("""[{"m":19,"a":1}]""");
        body["payment"]!["sum"]!.GetValue<long>().ShouldBe(52400);
        body["service_mode"]!.GetValue<int>().ShouldBe(3);
    }

    public static TheoryData<int, FailureReason, string> ErrorCodes() => new()
    {
        { 11, FailureReason.PosAuthRejected, "nested" },
        { 12, FailureReason.PosAuthRejected, "flat" },
        { 20, FailureReason.PosRequestInvalid, "nested" },
        { 34, FailureReason.PosRequestInvalid, "flat" },
        { 37, FailureReason.PosPhoneInvalid, "nested" },
        { 41, FailureReason.PosProductNotFound, "flat" },
        { 42, FailureReason.PosModificationNotFound, "nested" },
        { 60, FailureReason.PosSpotNotFound, "flat" },
        { 88, FailureReason.PosPaymentSumMismatch, "nested" },
        { 4001, FailureReason.PosCurrencyMismatch, "flat" },
        { 999, FailureReason.PosRejected, "nested" },
    };

    [Theory]
    [MemberData(nameof(ErrorCodes))]
    public async Task Each_Poster_error_code_is_a_permanent_failure_with_its_reason(int code, FailureReason reason, string shape)
    {
        await host.FaultsAsync(new FaultSettings { PosterErrorCode = code, PosterErrorShape = shape });

        var result = await host.Poster.CreateOrderAsync(host.PosterTarget(), Orders.Valid(), CancellationToken.None);

        result.Outcome.ShouldBe(PosPushOutcome.Permanent, result.Message);
        result.Reason.ShouldBe(reason);
        result.PosErrorCode.ShouldBe(code.ToString(System.Globalization.CultureInfo.InvariantCulture));
        result.FixHint.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Poster_validation_refuses_a_wrong_token_an_unknown_spot_product_and_modifier_and_a_bad_phone()
    {
        var order = Orders.Valid();
        (await host.Poster.CreateOrderAsync(host.PosterTarget(token: "861052:ffffffffffffffffffffffffffffffff"), order, default)).Reason.ShouldBe(FailureReason.PosAuthRejected);
        (await host.Poster.CreateOrderAsync(host.PosterTarget(spot: 99), order, default)).Reason.ShouldBe(FailureReason.PosSpotNotFound);
        (await host.Poster.CreateOrderAsync(host.PosterTarget(), order with { CustomerPhone = "12" }, default)).Reason.ShouldBe(FailureReason.PosPhoneInvalid);

        var unknownProduct = await host.Poster.CreateOrderAsync(host.PosterTarget(),
            order with { Lines = [order.Lines[0] with { ExternalProductId = "555" }] }, default);
        unknownProduct.Reason.ShouldBe(FailureReason.PosProductNotFound);
        unknownProduct.FixHint.ShouldBe("Check the Poster product id of 'Margherita' (Poster id 555) in the pickup point's external IDs.");

        var unknownVariant = await host.Poster.CreateOrderAsync(host.PosterTarget(),
            order with { Lines = [order.Lines[1] with { ExternalVariantId = "4" }] }, default);
        unknownVariant.Reason.ShouldBe(FailureReason.PosModificationNotFound);

        host.Simulator.Orders().ShouldBeEmpty();
    }

    [Fact]
    public async Task Accept_then_timeout_is_ambiguous_and_the_lookup_finds_the_one_order()
    {
        await host.FaultsAsync(new FaultSettings { AcceptThenTimeoutRate = 1, TimeoutDelayMs = 5_000 });
        var target = host.PosterTarget();
        var order = Orders.Valid("5150");

        var attempt = await host.Poster.CreateOrderAsync(target, order, CancellationToken.None);

        attempt.Outcome.ShouldBe(PosPushOutcome.Ambiguous, attempt.Message);
        await host.FaultsAsync(new FaultSettings());

        var found = await host.Poster.FindExistingAsync(target, order, order.AcceptedAt, CancellationToken.None);

        found.ShouldNotBeNull();
        found.Outcome.ShouldBe(PosPushOutcome.Delivered, found.Message);
        found.FoundExisting.ShouldBeTrue();
        var stored = host.Simulator.Orders("poster/demo").ShouldHaveSingleItem();
        found.PosOrderId.ShouldBe(stored.PosOrderId);
        (await host.StatsAsync()).UniqueOrders.ShouldBe(1);

        (await host.Poster.FindExistingAsync(target, Orders.Valid("515"), order.AcceptedAt, CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task The_lookup_window_starts_at_the_first_attempt_not_at_acceptance()
    {
        var target = host.PosterTarget();

        // Accepted three hours ago and exported by hand just now: the lookup lists the orders from a margin
        // (15 min) before the first attempt on, so it finds the order sent now...
        var order = Orders.Valid("5160") with { AcceptedAt = DateTimeOffset.UtcNow.AddHours(-3) };
        var attemptStarted = DateTimeOffset.UtcNow;
        (await host.Poster.CreateOrderAsync(target, order, CancellationToken.None)).Outcome.ShouldBe(PosPushOutcome.Delivered);

        var found = await host.Poster.FindExistingAsync(target, order, attemptStarted, CancellationToken.None);

        found.ShouldNotBeNull().FoundExisting.ShouldBeTrue();

        // ...and nothing Poster received before that margin: a first attempt said to start 20 min from now
        // cannot have made the order Poster already holds, so the lookup does not list it.
        (await host.Poster.FindExistingAsync(target, order, attemptStarted.AddMinutes(20), CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task A_lookup_that_fails_is_retryable_so_nothing_is_sent()
    {
        await host.FaultsAsync(new FaultSettings { ErrorRate = 1 });

        var lookup = await host.Poster.FindExistingAsync(host.PosterTarget(), Orders.Valid(), DateTimeOffset.UtcNow, CancellationToken.None);

        lookup.ShouldNotBeNull().Outcome.ShouldBe(PosPushOutcome.Retryable);
    }

    [Fact]
    public async Task A_5xx_is_retryable()
    {
        await host.FaultsAsync(new FaultSettings { ErrorRate = 1 });

        var result = await host.Poster.CreateOrderAsync(host.PosterTarget(), Orders.Valid(), CancellationToken.None);

        result.Outcome.ShouldBe(PosPushOutcome.Retryable);
        result.HttpStatus.ShouldBe(500);
    }

    [Fact]
    public async Task A_429_is_retryable_after_the_time_Poster_asks()
    {
        await host.FaultsAsync(new FaultSettings { TooManyRequestsRate = 1, RetryAfterSeconds = 42 });

        var result = await host.Poster.CreateOrderAsync(host.PosterTarget(), Orders.Valid(), CancellationToken.None);

        result.Outcome.ShouldBe(PosPushOutcome.Retryable);
        result.RetryAfter.ShouldBe(TimeSpan.FromSeconds(42));
    }

    [Fact]
    public async Task A_dropped_connection_after_sending_is_ambiguous()
    {
        await host.FaultsAsync(new FaultSettings { Outage = true, OutageMode = "drop" });

        var result = await host.Poster.CreateOrderAsync(host.PosterTarget(), Orders.Valid(), CancellationToken.None);

        result.Outcome.ShouldBe(PosPushOutcome.Ambiguous, result.Message);
    }

    [Fact]
    public async Task A_refused_connection_is_retryable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var services = new ServiceCollection().AddLogging()
            .AddOrderHubPosClients(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Poster:BaseUrlTemplate"] = $"http://127.0.0.1:{port}/poster/{{account}}/api/",
            }).Build())
            .BuildServiceProvider();
        await using var _ = services;

        var result = await services.GetRequiredService<PosterClient>().CreateOrderAsync(host.PosterTarget(), Orders.Valid(), CancellationToken.None);

        result.Outcome.ShouldBe(PosPushOutcome.Retryable, result.Message);
        result.Message.ShouldNotContain(SimulatorHost.PosterToken);
    }

    [Fact]
    public async Task The_status_is_read_back_after_the_cashier_accepts()
    {
        var target = host.PosterTarget();
        var created = await host.Poster.CreateOrderAsync(target, Orders.Valid(), CancellationToken.None);
        (await host.Poster.GetOrderStatusAsync(target, created.PosOrderId!, default)).PosStatus.ShouldBe("new");

        (await host.Control.PostAsync($"control/poster/demo/orders/{created.PosOrderId}/status/1", null)).EnsureSuccessStatusCode();

        var status = await host.Poster.GetOrderStatusAsync(target, created.PosOrderId!, default);
        status.Outcome.ShouldBe(PosPushOutcome.Delivered);
        status.PosStatus.ShouldBe("accepted");

        var missing = await host.Poster.GetOrderStatusAsync(target, "987654", default);
        missing.Outcome.ShouldBe(PosPushOutcome.Permanent);
        missing.PosErrorCode.ShouldBe("32");
    }

    [Fact]
    public async Task Test_connection_checks_the_token_and_the_spot()
    {
        (await host.Poster.TestConnectionAsync(host.PosterTarget(), default)).Ok.ShouldBeTrue();

        var wrongSpot = await host.Poster.TestConnectionAsync(host.PosterTarget(spot: 5), default);
        wrongSpot.Ok.ShouldBeFalse();
        wrongSpot.Reason.ShouldBe(FailureReason.PosSpotNotFound);
        wrongSpot.FixHint!.ShouldContain("1 'Khreshchatyk'");

        var wrongToken = await host.Poster.TestConnectionAsync(host.PosterTarget(token: "1:2"), default);
        wrongToken.Ok.ShouldBeFalse();
        wrongToken.Reason.ShouldBe(FailureReason.PosAuthRejected);
    }

    [Fact]
    public async Task Cancel_says_a_person_must_act_at_the_register_and_sends_nothing()
    {
        var result = await host.Poster.CancelOrderAsync(host.PosterTarget(), Orders.Valid("88"), "customer left", default);

        result.Outcome.ShouldBe(PosPushOutcome.Permanent);
        result.Message.ShouldContain("register");
        (await host.StatsAsync()).Received.ShouldBe(0);
    }
}
