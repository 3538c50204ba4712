using OrderHub.Integrations.Pos;
using OrderHub.Simulators;

namespace OrderHub.IntegrationTests;

public sealed class CircuitBreakerTests : IAsyncLifetime
{
    private readonly SimulatorHost host = new();

    public Task InitializeAsync()
    {
        host.Settings["Pos:Resilience:MinimumThroughput"] = "3";
        host.Settings["Pos:Resilience:FailureRatio"] = "0.5";
        host.Settings["Pos:Resilience:BreakDuration"] = "00:01:00";
        return host.InitializeAsync();
    }

    public Task DisposeAsync() => host.DisposeAsync();

    [Fact]
    public async Task The_circuit_opens_for_a_failing_target_while_another_target_still_delivers()
    {
        await host.FaultsAsync(new FaultSettings { Target = "pos/failing", Outage = true });
        var failing = host.WebhookTarget("failing");
        var healthy = host.WebhookTarget("healthy");

        var results = new List<PosPushResult>();
        for (var i = 0; i < 6; i++)
        {
            results.Add(await host.Webhook.CreateOrderAsync(failing, Orders.Valid(), CancellationToken.None));
        }

        results.ShouldAllBe(r => r.Outcome == PosPushOutcome.Retryable);
        results.Last().Message.ShouldContain("circuit open");
        results.Last().HttpStatus.ShouldBeNull();
        var stats = await host.StatsAsync();
        stats.Targets.Single(t => t.Target == "pos/failing").Received.ShouldBe(3);

        var other = await host.Webhook.CreateOrderAsync(healthy, Orders.Valid(), CancellationToken.None);
        other.Outcome.ShouldBe(PosPushOutcome.Delivered, other.Message);

        var poster = await host.Poster.CreateOrderAsync(host.PosterTarget(), Orders.Valid(), CancellationToken.None);
        poster.Outcome.ShouldBe(PosPushOutcome.Delivered, poster.Message);
    }

    [Fact]
    public async Task Timeouts_count_towards_opening_the_circuit()
    {
        await host.FaultsAsync(new FaultSettings { Target = "pos/slow", AcceptThenTimeoutRate = 1, TimeoutDelayMs = 5_000 });
        var slow = host.WebhookTarget("slow");

        var outcomes = new List<PosPushOutcome>();
        for (var i = 0; i < 4; i++)
        {
            outcomes.Add((await host.Webhook.CreateOrderAsync(slow, Orders.Valid(), CancellationToken.None)).Outcome);
        }

        outcomes.ShouldBe([PosPushOutcome.Ambiguous, PosPushOutcome.Ambiguous, PosPushOutcome.Ambiguous, PosPushOutcome.Retryable]);
    }
}
