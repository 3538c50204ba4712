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
}
