using System.Net;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Timeout;

namespace OrderHub.Integrations.Resilience;

/// <summary>
/// One resilience pipeline per POS target (circuit key), so one failing pickup point's POS opens only its own
/// circuit. Singleton: the circuits must outlive the transient handlers that use them.
/// </summary>
public sealed class PosCircuitRegistry(IOptions<PosResilienceOptions> options, TimeProvider timeProvider, IEnumerable<IPosCircuitObserver> observers) : IDisposable
{
    private readonly ResiliencePipelineRegistry<string> registry = new();
    private readonly IPosCircuitObserver[] observers = [.. observers];

    public ResiliencePipeline<HttpResponseMessage> For(string circuitKey) =>
        registry.GetOrAddPipeline<HttpResponseMessage>(circuitKey, builder => Build(builder, circuitKey, options.Value, timeProvider, this.observers));

    /// <summary>Transient outcomes: the ones that count towards opening a circuit.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500
            || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        _ => false,
    };

    private static void Build(ResiliencePipelineBuilder<HttpResponseMessage> builder, string circuitKey, PosResilienceOptions o, TimeProvider timeProvider, IPosCircuitObserver[] observers)
    {
        builder.TimeProvider = timeProvider;

        // Breaker outside the timeout, so timeouts count as failures. No retry strategy on purpose: a create
        // must never be re-sent in-request (Poster has no idempotency key); the outbox re-drives later.
        builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = o.FailureRatio,
                MinimumThroughput = o.MinimumThroughput,
                SamplingDuration = o.SamplingDuration,
                BreakDuration = o.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                OnOpened = _ =>
                {
                    foreach (var observer in observers)
                    {
                        observer.CircuitOpened(circuitKey);
                    }

                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    foreach (var observer in observers)
                    {
                        observer.CircuitClosed(circuitKey);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(o.AttemptTimeout);
    }

    public void Dispose() => registry.Dispose();
}

/// <summary>
/// Hears a POS circuit open (the POS stopped answering) and close again (it recovered). Called on the request's
/// path: an observer must return at once and do its work elsewhere.
/// </summary>
public interface IPosCircuitObserver
{
    /// <summary><paramref name="circuitKey"/> is <c>poster:{integrationId:N}</c> or <c>webhook:{integrationId:N}</c>.</summary>
    void CircuitOpened(string circuitKey);

    void CircuitClosed(string circuitKey);
}
