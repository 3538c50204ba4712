using OrderHub.Integrations.Pos;

namespace OrderHub.Api.Dispatching;

/// <summary>When the next attempt runs after a failed one. Pure, so tests pin it with a fixed random source.</summary>
public sealed class RetrySchedule(DispatcherOptions options, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    /// <summary>
    /// The pause after attempt <paramref name="attempt"/> (1-based) failed: the schedule's step with jitter, at
    /// least the throttle pause after a 429 or a timeout, and the POS's Retry-After when it asks for longer
    /// (clamped to <see cref="DispatcherOptions.MaximumRetryAfter"/>).
    /// </summary>
    public TimeSpan PauseAfter(int attempt, PosPushResult result)
    {
        var steps = options.RetrySchedule;
        var step = steps[Math.Clamp(attempt - 1, 0, steps.Length - 1)];
        var jitter = 1 + options.Jitter * (2 * _random() - 1);
        var pause = TimeSpan.FromMilliseconds(step.TotalMilliseconds * jitter);

        var throttled = result.HttpStatus == 429 || result.Outcome == PosPushOutcome.Ambiguous;
        if (throttled && pause < options.MinimumPauseAfterThrottle)
        {
            pause = options.MinimumPauseAfterThrottle;
        }

        if (result.RetryAfter is { } asked && asked > pause)
        {
            pause = asked < options.MaximumRetryAfter ? asked : options.MaximumRetryAfter;
        }

        return pause;
    }
}
