using Microsoft.EntityFrameworkCore.Diagnostics;
using OrderHub.Integrations.Resilience;
using OrderHub.Integrations.Telegram;

namespace OrderHub.Api.Alerts;

public static class AlertsRegistration
{
    /// <summary>Telegram alerts and reports: the outbox writer and its interceptor, the sender, the update poller, the clock.</summary>
    public static IServiceCollection AddOrderHubAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelegramOptions>()
            .Bind(configuration.GetSection(TelegramOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => !o.Validate().Any(), "Telegram options are inconsistent: see TelegramOptions.Validate (durations positive; PublicBaseUrl for webhooks).")
            .ValidateOnStart();
        services.AddTelegramBotClient(configuration);
        services.AddSingleton<TelegramPacer>();
        services.AddSingleton<AlertWriter>();
        services.AddSingleton<AlertInterceptor>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<AlertInterceptor>());
        services.AddSingleton<CircuitAlertObserver>();
        services.AddSingleton<IPosCircuitObserver>(sp => sp.GetRequiredService<CircuitAlertObserver>());
        services.AddScoped<ReportBuilder>();
        services.AddScoped<TelegramUpdateHandler>();
        services.AddScoped<RegisterOperationRecorder>();
        services.AddSingleton<AlertSender>();
        services.AddSingleton<AlertClock>();
        services.AddSingleton<TelegramUpdatePoller>();

        var section = configuration.GetSection(TelegramOptions.SectionName);
        if (section.GetValue(nameof(TelegramOptions.Enabled), true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<AlertSender>());
            services.AddHostedService(sp => sp.GetRequiredService<AlertClock>());
            if (section.GetValue(nameof(TelegramOptions.UpdatesMode), TelegramUpdatesMode.Polling) == TelegramUpdatesMode.Polling)
            {
                services.AddHostedService(sp => sp.GetRequiredService<TelegramUpdatePoller>());
            }
        }

        return services;
    }
}
