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
public sealed class PosCircuitRegistry(IOptions<PosResilienceOptions> options, TimeProvider timeProvider) : IDisposable
{
    private readonly ResiliencePipelineRegistry<string> registry = new();

    public ResiliencePipeline<HttpResponseMessage> For(string circuitKey) =>
        registry.GetOrAddPipeline<HttpResponseMessage>(circuitKey, builder => Build(builder, options.Value, timeProvider));

    /// <summary>Transient outcomes: the ones that count towards opening a circuit.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500
            || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        _ => false,
    };

    private static void Build(ResiliencePipelineBuilder<HttpResponseMessage> builder, PosResilienceOptions o, TimeProvider timeProvider)
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
            })
            .AddTimeout(o.AttemptTimeout);
    }

    public void Dispose() => registry.Dispose();
}
