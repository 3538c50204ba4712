using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderHub.Api.Dispatching;
using OrderHub.Integrations.Pos;

namespace OrderHub.UnitTests.Dispatching;

public sealed class RetryScheduleTests
{
    private static readonly DispatcherOptions Options = new();

    private static PosPushResult Failure(int? status = 503, TimeSpan? retryAfter = null, PosPushOutcome outcome = PosPushOutcome.Retryable) =>
        new() { Outcome = outcome, Message = "down", HttpStatus = status, RetryAfter = retryAfter };

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 30)]
    [InlineData(3, 120)]
    [InlineData(4, 300)]
    [InlineData(8, 7200)]
    [InlineData(20, 7200)]
    public void Without_jitter_the_pause_follows_the_schedule_and_the_last_step_repeats(int attempt, int seconds)
    {
        var schedule = new RetrySchedule(Options, () => 0.5);

        schedule.PauseAfter(attempt, Failure()).ShouldBe(TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public void Jitter_stays_within_twenty_percent_either_way()
    {
        new RetrySchedule(Options, () => 0.0).PauseAfter(2, Failure()).ShouldBe(TimeSpan.FromSeconds(24));
        new RetrySchedule(Options, () => 1.0).PauseAfter(2, Failure()).ShouldBe(TimeSpan.FromSeconds(36));
    }

    [Fact]
    public void A_429_or_an_unclear_attempt_waits_at_least_a_minute()
    {
        var schedule = new RetrySchedule(Options, () => 0.5);

        schedule.PauseAfter(1, Failure(429)).ShouldBe(TimeSpan.FromSeconds(60));
        schedule.PauseAfter(1, Failure(null, outcome: PosPushOutcome.Ambiguous)).ShouldBe(TimeSpan.FromSeconds(60));
        schedule.PauseAfter(4, Failure(429)).ShouldBe(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void Retry_after_is_honoured_when_longer_and_clamped_to_an_hour()
    {
        var schedule = new RetrySchedule(Options, () => 0.5);

        schedule.PauseAfter(1, Failure(503, TimeSpan.FromSeconds(90))).ShouldBe(TimeSpan.FromSeconds(90));
        schedule.PauseAfter(1, Failure(503, TimeSpan.FromSeconds(2))).ShouldBe(TimeSpan.FromSeconds(5));
        schedule.PauseAfter(1, Failure(429, TimeSpan.FromDays(2))).ShouldBe(TimeSpan.FromHours(1));
    }

    [Fact]
    public void Options_refuse_a_lease_that_does_not_outlast_an_attempt()
    {
        new DispatcherOptions { LeaseDuration = TimeSpan.FromSeconds(50), AttemptTimeout = TimeSpan.FromSeconds(45) }
            .Validate().ShouldNotBeEmpty();
        Options.Validate().ShouldBeEmpty();
    }

    [Fact]
    public void A_configured_retry_schedule_replaces_the_default_instead_of_being_appended_to_it()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dispatcher:RetrySchedule:0"] = "00:00:01",
            ["Dispatcher:RetrySchedule:1"] = "00:00:03",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddOrderHubDispatcher(configuration).BuildServiceProvider();

        services.GetRequiredService<IOptions<DispatcherOptions>>().Value.RetrySchedule
            .ShouldBe([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)]);
    }

    [Fact]
    public void Without_configuration_the_retry_schedule_is_the_documented_default()
    {
        var configuration = new ConfigurationBuilder().Build();
        using var services = new ServiceCollection().AddLogging().AddOrderHubDispatcher(configuration).BuildServiceProvider();

        services.GetRequiredService<IOptions<DispatcherOptions>>().Value.RetrySchedule.Length.ShouldBe(8);
    }
}
