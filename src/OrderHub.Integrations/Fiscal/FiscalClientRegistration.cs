using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OrderHub.Integrations.Fiscal;

public static class FiscalClientRegistration
{
    /// <summary>Both fiscal clients as typed HttpClients, redirects off, no retry handler (a sell must not be repeated in-request).</summary>
    public static IServiceCollection AddOrderHubFiscalClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FiscalOptions>().Bind(configuration.GetSection(FiscalOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        foreach (var builder in new[] { services.AddHttpClient<CheckboxClient>(), services.AddHttpClient<CashalotClient>() })
        {
            // The per-call timeout is FiscalOptions.AttemptTimeout, applied by the client itself.
            builder.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
            builder.ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
        }

        return services;
    }
}
