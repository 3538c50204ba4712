namespace OrderHub.Api.Dispatching;

public static class DispatcherRegistration
{
    /// <summary>The export queue's dispatcher and retry schedule. POS clients are registered apart.</summary>
    public static IServiceCollection AddOrderHubDispatcher(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DispatcherOptions>()
            .Bind(configuration.GetSection(DispatcherOptions.SectionName))
            .PostConfigure(o =>
            {
                // The binder appends configured array items to the default array, so a configured schedule
                // would only extend the default one: a configured schedule replaces it whole.
                var steps = configuration.GetSection(DispatcherOptions.SectionName + ":" + nameof(DispatcherOptions.RetrySchedule));
                if (steps.GetChildren().Any())
                {
                    o.RetrySchedule = steps.Get<TimeSpan[]>() ?? o.RetrySchedule;
                }
            })
            .ValidateDataAnnotations()
            .Validate(o => !o.Validate().Any(), "Dispatcher options are inconsistent: LeaseDuration must exceed AttemptTimeout by 10 s; durations positive.")
            .ValidateOnStart();
        services.AddSingleton(sp => new RetrySchedule(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DispatcherOptions>>().Value));
        services.AddSingleton<PosRequestBuilder>();
        services.AddScoped<ExportAttemptRunner>();
        services.AddScoped<ExportOutcomeWriter>();
        services.AddSingleton<ExportDispatcher>();
        if (configuration.GetValue(DispatcherOptions.SectionName + ":" + nameof(DispatcherOptions.Enabled), true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<ExportDispatcher>());
        }

        return services;
    }
}
