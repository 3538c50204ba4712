using Polly;

namespace OrderHub.Integrations.Resilience;

/// <summary>
/// Runs every POS request through its target's pipeline (per-attempt timeout + circuit breaker, no retry).
/// The client names the target with <see cref="PosResilience.CircuitKey"/>; without it the host is the key.
/// Throws <see cref="Polly.Timeout.TimeoutRejectedException"/> on timeout and
/// <see cref="Polly.CircuitBreaker.BrokenCircuitException"/> while the target's circuit is open.
/// </summary>
public sealed class PosResilienceHandler(PosCircuitRegistry circuits) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var key = request.Options.TryGetValue(PosResilience.CircuitKey, out var named) && !string.IsNullOrEmpty(named)
            ? named
            : request.RequestUri?.Authority ?? "unknown";

        var pipeline = circuits.For(key);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.Handler.SendInnerAsync(state.Request, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);

            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
