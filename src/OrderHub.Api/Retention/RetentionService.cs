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
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
        services.AddScoped<RetentionRunner>();
        if (configuration.GetValue(RetentionOptions.SectionName + ":" + nameof(RetentionOptions.Enabled), true))
        {
            services.AddHostedService<RetentionService>();
        }

        return services;
    }
}

/// <summary>Names each inconsistency of <see cref="RetentionOptions"/> at start-up.</summary>
internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options) =>
        options.Validate().ToList() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
}
