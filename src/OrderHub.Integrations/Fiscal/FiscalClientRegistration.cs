using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Refit;

namespace OrderHub.Integrations.Fiscal;

public static class FiscalClientRegistration
{
    /// <summary>Checkbox as a typed HttpClient, Cashalot as a Refit interface (bodies buffered: a Content-Length on every call); redirects off, no retry handler (a sell must not be repeated in-request).</summary>
    public static IServiceCollection AddOrderHubFiscalClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FiscalOptions>().Bind(configuration.GetSection(FiscalOptions.SectionName))
            .PostConfigure(o =>
            {
                // The binder appends configured array items to the default array: a configured schedule replaces it whole.
                var steps = configuration.GetSection(FiscalOptions.SectionName + ":" + nameof(FiscalOptions.RetrySchedule));
                if (steps.GetChildren().Any())
                {
                    o.RetrySchedule = steps.Get<TimeSpan[]>() ?? o.RetrySchedule;
                }
            })
            .ValidateDataAnnotations()
            .Validate(o => o.RetrySchedule.Length > 0 && o.RetrySchedule.All(t => t > TimeSpan.Zero) && o.AttemptTimeout > TimeSpan.Zero
                           && o.LeaseDuration > o.AttemptTimeout * 6, "Fiscal: RetrySchedule needs positive pauses; LeaseDuration must exceed 6 × AttemptTimeout (an attempt makes up to six calls).")
            .ValidateOnStart();
        services.AddTransient<CashalotClient>();
        // The generated client (Refit 16's AddRefitClient needs the separate reflection request builder).
        var cashalot = services.AddRefitGeneratedClient<ICashalotApi>()
            .ConfigureHttpClient((sp, c) => c.BaseAddress = new Uri(sp.GetRequiredService<IOptions<FiscalOptions>>().Value.CashalotUrl));
        foreach (var builder in new[] { services.AddHttpClient<CheckboxClient>(), cashalot })
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
