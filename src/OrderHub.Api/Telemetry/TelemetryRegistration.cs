using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrderHub.Integrations.Resilience;

namespace OrderHub.Api.Telemetry;

public static class TelemetryRegistration
{
    /// <summary>
    /// Traces and metrics through OpenTelemetry (ASP.NET Core, HttpClient, EF Core; OrderHub's meter and Polly's),
    /// exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter's own OTEL_* settings
    /// apply); without it nothing leaves the process.
    /// </summary>
    public static IServiceCollection AddOrderHubTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<OrderHubMetrics>();
        services.AddSingleton<IPosCircuitObserver>(sp => sp.GetRequiredService<OrderHubMetrics>());
        services.AddSingleton<QueueMetricsSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueMetricsSampler>());

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("OrderHub"))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter(OrderHubMetrics.MeterName, "Polly"));
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }
}
