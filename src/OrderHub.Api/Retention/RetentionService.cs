using Microsoft.Extensions.Options;

namespace OrderHub.Api.Retention;

/// <summary>Runs a <see cref="RetentionRunner"/> pass at start-up and then every <see cref="RetentionOptions.Interval"/>.</summary>
public sealed partial class RetentionService(
    IServiceScopeFactory scopes,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<RetentionRunner>().RunOnceAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The next pass starts where this one stopped: every step is idempotent.
                    LogPassFailed(logger, exception);
                }

                await Task.Delay(options.Value.Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention pass failed; the next one retries")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}

public static class RetentionRegistration
{
    public static IServiceCollection AddOrderHubRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RetentionOptions>()
            .Bind(configuration.GetSection(RetentionOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => !o.Validate().Any(), "Retention options are inconsistent: durations positive, RawPayloadAge ≤ HistoryAge.")
            .ValidateOnStart();
        services.AddScoped<RetentionRunner>();
        if (configuration.GetValue(RetentionOptions.SectionName + ":" + nameof(RetentionOptions.Enabled), true))
        {
            services.AddHostedService<RetentionService>();
        }

        return services;
    }
}
