using OrderHub.Api.Features.TestOrders;

namespace OrderHub.Api.Features.Shadow;

public static class GoLiveRegistration
{
    /// <summary>Shadow mode and test orders (issue 18): their services (the panel registers its texts).</summary>
    public static IServiceCollection AddOrderHubGoLive(this IServiceCollection services)
    {
        services.AddScoped<ShadowExport>();
        services.AddScoped<TestOrderReader>();
        return services;
    }
}
