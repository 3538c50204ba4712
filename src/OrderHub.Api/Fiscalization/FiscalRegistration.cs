using OrderHub.Integrations.Fiscal;

namespace OrderHub.Api.Fiscalization;

public static class FiscalRegistration
{
    /// <summary>The fiscal clients, the receipt worker (unless <c>Fiscal:WorkerEnabled</c> is false) and its services.</summary>
    public static IServiceCollection AddOrderHubFiscal(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOrderHubFiscalClients(configuration);
        services.AddScoped<FiscalSetup>();
        services.AddScoped<SaleReceipts>();
        services.AddScoped<FiscalAttemptRunner>();
        services.AddScoped<ShiftCloser>();
        services.AddSingleton<FiscalWorker>();
        if (configuration.GetValue(FiscalOptions.SectionName + ":" + nameof(FiscalOptions.WorkerEnabled), true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<FiscalWorker>());
        }

        return services;
    }
}
