using OrderHub.Api.ControlPanel;
using OrderHub.Api.ControlPanel.GoLive;
using OrderHub.Api.Features.TestOrders;

namespace OrderHub.Api.Features.Shadow;

public static class GoLiveRegistration
{
    /// <summary>Shadow mode and test orders (issue 18): their services and their panel texts.</summary>
    public static IServiceCollection AddOrderHubGoLive(this IServiceCollection services)
    {
        services.AddScoped<ShadowExport>();
        services.AddScoped<TestOrderReader>();
        services.AddPanelTexts(GoLiveTexts.All);
        return services;
    }
}
