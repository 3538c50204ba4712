using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Refit;

namespace OrderHub.Integrations.Fiscal;

public static class FiscalClientRegistration
{
    /// <summary>Both fiscal clients through Refit interfaces (<see cref="ICheckboxApi"/>, <see cref="ICashalotApi"/>), bodies buffered so every call carries a Content-Length; redirects off, no retry handler (a sell must not be repeated in-request).</summary>
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
        // Checkbox through Refit; bodies buffered, so every request carries a Content-Length (some gateways refuse chunked).
        services.TryAddTransient<CheckboxClient>();
        var checkbox = services.AddRefitGeneratedClient<ICheckboxApi>(new RefitSettings { Buffered = true })
            .ConfigureHttpClient((sp, http) =>
            {
                var o = sp.GetRequiredService<IOptions<FiscalOptions>>().Value;
                http.BaseAddress = new Uri(o.CheckboxBaseUrl.TrimEnd('/') + "/");
                http.DefaultRequestHeaders.Add("X-Client-Name", o.ClientName);
                http.DefaultRequestHeaders.Add("X-Client-Version", "1.0");
            });
        // Cashalot through Refit too; the client passes its body as bytes (a Content-Length on every call).
        services.TryAddTransient<CashalotClient>();
        var cashalot = services.AddRefitGeneratedClient<ICashalotApi>()
            .ConfigureHttpClient((sp, c) => c.BaseAddress = new Uri(sp.GetRequiredService<IOptions<FiscalOptions>>().Value.CashalotUrl));
        foreach (var builder in new[] { checkbox, cashalot })
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
