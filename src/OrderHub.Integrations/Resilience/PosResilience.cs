using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace OrderHub.Integrations.Resilience;

/// <summary>
/// Every POS call runs through a Microsoft.Extensions.Http.Resilience pipeline of its own POS integration: a
/// per-attempt timeout inside a circuit breaker, and no retry. The pipeline is chosen by the request's
/// <see cref="CircuitKey"/> option, not by host: two integrations may share a host (one webhook receiver for many
/// restaurants), and one failing must not pause the other.
/// </summary>
public static class PosResilience
{
    public const string CircuitKeyName = "OrderHub.PosCircuitKey";

    /// <summary>The request option that names the circuit: <c>poster:{integrationId:N}</c> or <c>webhook:{integrationId:N}</c>.</summary>
    public static readonly HttpRequestOptionsKey<string> CircuitKey = new(CircuitKeyName);

    public static string PosterCircuit(Guid integrationId) => "poster:" + integrationId.ToString("N");

    public static string WebhookCircuit(Guid integrationId) => "webhook:" + integrationId.ToString("N");

    /// <summary>
    /// Adds the POS pipeline to a POS client (options <see cref="PosResilienceOptions"/>). Throws
    /// <see cref="TimeoutRejectedException"/> when an attempt times out and
    /// <see cref="Polly.CircuitBreaker.BrokenCircuitException"/> while the integration's circuit is open; circuits
    /// opening and closing are told to every <see cref="IPosCircuitObserver"/>.
    /// </summary>
    public static IHttpClientBuilder AddPosResilience(this IHttpClientBuilder builder)
    {
        builder.AddResilienceHandler("pos", static (pipeline, context) =>
            {
                var key = context.InstanceName;
                var o = context.ServiceProvider.GetRequiredService<IOptions<PosResilienceOptions>>().Value;
                var observers = context.ServiceProvider.GetServices<IPosCircuitObserver>().ToArray();

                // Breaker outside the timeout, so timeouts count as failures. No retry strategy on purpose: a create
                // must never be re-sent in-request (Poster has no idempotency key); the outbox re-drives later.
                pipeline
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
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
                                observer.CircuitOpened(key);
                            }

                            return ValueTask.CompletedTask;
                        },
                        OnClosed = _ =>
                        {
                            foreach (var observer in observers)
                            {
                                observer.CircuitClosed(key);
                            }

                            return ValueTask.CompletedTask;
                        },
                    })
                    .AddTimeout(new HttpTimeoutStrategyOptions { Timeout = o.AttemptTimeout });
            })
            // Every POS client names the integration; the fallback only serves the factory's probe at build time.
            .SelectPipelineBy(static _ => request =>
                request.Options.TryGetValue(CircuitKey, out var key) && !string.IsNullOrEmpty(key)
                    ? key
                    : "host:" + (request.RequestUri?.Authority ?? "unknown"));
        return builder;
    }

    /// <summary>Transient outcomes: the ones that count towards opening a circuit.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500
            || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        _ => false,
    };
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
