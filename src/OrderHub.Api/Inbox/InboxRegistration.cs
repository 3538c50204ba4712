using OrderHub.Api.Processing;
using OrderHub.Api.Security;

namespace OrderHub.Api.Inbox;

public static class InboxRegistration
{
    /// <summary>The intake's company cache, the inbox writer and its processor.</summary>
    public static IServiceCollection AddOrderHubInbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InboxOptions>()
            .Bind(configuration.GetSection(InboxOptions.SectionName))
            .PostConfigure(o =>
            {
                // The binder appends configured items to the default array: a configured list replaces it whole.
                var delays = configuration.GetSection(InboxOptions.SectionName + ":" + nameof(InboxOptions.RetryDelays));
                if (delays.GetChildren().Any())
                {
                    o.RetryDelays = delays.Get<TimeSpan[]>() ?? o.RetryDelays;
                }
            })
            .ValidateDataAnnotations()
            .Validate(o => o.LeaseDuration > TimeSpan.Zero && o.PollInterval > TimeSpan.Zero && o.RetryDelays.All(d => d >= TimeSpan.Zero),
                "Inbox: LeaseDuration and PollInterval must be positive, RetryDelays not negative.")
            .ValidateOnStart();
        services.AddOptions<CompanySigningKeysOptions>().Bind(configuration.GetSection(CompanySigningKeysOptions.SectionName));
        services.AddSingleton<CompanySigningKeys>();
        services.AddSingleton<InboxWriter>();
        services.AddSingleton<InboxProcessor>();
        if (configuration.GetValue(InboxOptions.SectionName + ":" + nameof(InboxOptions.ProcessorEnabled), true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<InboxProcessor>());
        }

        return services;
    }
}
