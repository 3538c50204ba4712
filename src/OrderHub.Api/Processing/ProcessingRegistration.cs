using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OrderHub.Api.Processing;

public static class ProcessingRegistration
{
    /// <summary>
    /// The processing engine's shared parts: the instance's lease name, the queues' wake-up signals and the
    /// interceptor that wakes a queue when a save adds or changes its rows. Registered after the interceptors that
    /// add queue rows while saving (alerts), so their rows wake the queue too. The queues register themselves.
    /// </summary>
    public static IServiceCollection AddOrderHubProcessing(this IServiceCollection services)
    {
        services.AddSingleton<InstanceIdentity>();
        services.AddSingleton<QueueWake>();
        services.AddSingleton<QueueWakeInterceptor>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<QueueWakeInterceptor>());
        return services;
    }
}
