using OrderHub.Api.Features.Orders;
using OrderHub.Api.Features.Webhooks.ReceiveDotsEvent;

namespace OrderHub.Api.Features;

public static class EndpointRegistration
{
    /// <summary>Every feature's endpoints: webhooks open (signed), <c>/api</c> behind an API key.</summary>
    public static void MapOrderHubEndpoints(this IEndpointRouteBuilder app)
    {
        ReceiveDotsEventEndpoint.Map(app);

        var api = app.MapGroup("/api").RequireAuthorization();
        OrderEndpoints.Map(api);
    }
}
