using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Outbound;
using OrderHub.Integrations.Poster;
using OrderHub.Integrations.Resilience;
using OrderHub.Integrations.WebhookPos;
using Refit;

namespace OrderHub.Integrations.Pos;

/// <summary>Picks the client for a target's kind.</summary>
public sealed class PosClients(IEnumerable<IPosClient> clients)
{
    private readonly IReadOnlyDictionary<PosKind, IPosClient> byKind = clients.ToDictionary(c => c.Kind);

    public IPosClient For(PosKind kind) =>
        byKind.TryGetValue(kind, out var client) ? client : throw new InvalidOperationException($"No POS client for {kind}.");

    public IPosClient For(PosTarget target) => For(target.Kind);
}

public static class PosClientRegistration
{
    /// <summary>
    /// Registers <see cref="PosterClient"/> over the Refit client <see cref="IPosterApi"/> and
    /// <see cref="WebhookPosClient"/> over <see cref="IWebhookPosApi"/> as <see cref="IPosClient"/>, each a typed
    /// HttpClient behind <see cref="PosResilience.AddPosResilience"/> (per-attempt timeout, circuit breaker per
    /// integration, no retry), redirects off, bodies buffered (a Content-Length on every request); plus <see cref="PosClients"/>.
    /// Options: <c>Poster</c>, <c>Pos:Resilience</c>.
    /// </summary>
    public static IServiceCollection AddOrderHubPosClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PosterOptions>().Bind(configuration.GetSection(PosterOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.BaseUrlTemplate.Contains("{account}", StringComparison.Ordinal), "Poster:BaseUrlTemplate must contain {account}.")
            .ValidateOnStart();
        services.AddOptions<PosResilienceOptions>().Bind(configuration.GetSection(PosResilienceOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOutboundPolicy(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient<PosterAccountHandler>();
        services.TryAddTransient<WebhookSigningHandler>();

        // Poster: the account's address is set per request (PosterAccountHandler), before the circuit is chosen.
        services.AddRefitGeneratedClient<IPosterApi>(new RefitSettings
            {
                ContentSerializer = new SystemTextJsonContentSerializer(PosterJson.Options),
                Buffered = true,
            })
            .ConfigureHttpClient((sp, http) => Configure(sp, http, PosterAccountHandler.Placeholder))
            .ConfigurePrimaryHttpMessageHandler(PrimaryHandler)
            .AddHttpMessageHandler<PosterAccountHandler>()
            .AddPosResilience();

        // Webhook POS: the signing handler sends to the integration's URL and signs the bytes that go out.
        services.AddRefitGeneratedClient<IWebhookPosApi>(new RefitSettings
            {
                ContentSerializer = new SystemTextJsonContentSerializer(PosOrderMessageBuilder.JsonOptions),
                Buffered = true,
            })
            .ConfigureHttpClient((sp, http) => Configure(sp, http, WebhookSigningHandler.Placeholder))
            .ConfigurePrimaryHttpMessageHandler(PrimaryHandler)
            // The webhook POS URL is set by a tenant: the outbound policy keeps it off OrderHub's own networks,
            // checked on the address actually connected to.
            .UseOutboundPolicy()
            .AddHttpMessageHandler<WebhookSigningHandler>()
            .AddPosResilience();

        services.TryAddTransient<PosterClient>();
        services.TryAddTransient<WebhookPosClient>();
        services.AddTransient<IPosClient>(sp => sp.GetRequiredService<PosterClient>());
        services.AddTransient<IPosClient>(sp => sp.GetRequiredService<WebhookPosClient>());
        services.TryAddTransient<PosClients>();
        return services;
    }

    private static void Configure(IServiceProvider services, HttpClient http, Uri placeholder)
    {
        http.BaseAddress = placeholder;
        // Outside the handler chain: must not cut an attempt short of the pipeline's own timeout.
        http.Timeout = services.GetRequiredService<IOptions<PosResilienceOptions>>().Value.ClientTimeout;
        http.DefaultRequestHeaders.UserAgent.ParseAdd("OrderHub/1.0");
    }

    private static HttpMessageHandler PrimaryHandler(IServiceProvider services)
    {
        var connectTimeout = services.GetRequiredService<IOptions<PosResilienceOptions>>().Value.ConnectTimeout;
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),

            // SocketsHttpHandler.ConnectTimeout surfaces like a request timeout (TaskCanceledException +
            // TimeoutException), which reads as "maybe sent". A connect that never completed sent nothing, so
            // report it as a connection error: Retryable, not Ambiguous.
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(connectTimeout);
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, timeout.Token).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    socket.Dispose();
                    throw new HttpRequestException(HttpRequestError.ConnectionError,
                        $"No connection to {context.DnsEndPoint.Host}:{context.DnsEndPoint.Port} within {connectTimeout.TotalSeconds:0.#} s.");
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }
}
