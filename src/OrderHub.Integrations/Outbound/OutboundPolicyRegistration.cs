using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrderHub.Integrations.Outbound;

public static class OutboundPolicyRegistration
{
    /// <summary>
    /// Applies <see cref="OutboundAddressPolicy"/> to this client's connections. Call after the primary handler is
    /// configured (it must be a <see cref="SocketsHttpHandler"/>); its own ConnectCallback, if any, still connects.
    /// Options: <c>Outbound</c> (<see cref="OutboundOptions"/>), bound by <see cref="AddOutboundPolicy"/>; unbound,
    /// the strictest policy (https only, no private network).
    /// </summary>
    public static IHttpClientBuilder UseOutboundPolicy(this IHttpClientBuilder builder)
    {
        builder.Services.TryAddSingleton<OutboundAddressPolicy>();
        return builder.ConfigurePrimaryHttpMessageHandler((handler, services) =>
        {
            if (handler is not SocketsHttpHandler sockets)
            {
                throw new InvalidOperationException($"The outbound policy needs a SocketsHttpHandler as the primary handler of '{builder.Name}'.");
            }

            var policy = services.GetRequiredService<OutboundAddressPolicy>();
            var inner = sockets.ConnectCallback;
            sockets.ConnectCallback = (context, cancellationToken) => policy.ConnectAsync(context, inner, cancellationToken);
        });
    }

    /// <summary>The policy and its options from the <c>Outbound</c> section (also used by save-time validators).</summary>
    public static IServiceCollection AddOutboundPolicy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OutboundOptions>().Bind(configuration.GetSection(OutboundOptions.SectionName))
            .Validate(o => o.AllowedPrivateNetworks.All(n => IPNetwork.TryParse(n, out _)),
                "Outbound:AllowedPrivateNetworks: each entry must be a network in CIDR form, such as 10.20.0.0/16.")
            .ValidateOnStart();
        services.TryAddSingleton<OutboundAddressPolicy>();
        return services;
    }
}
