using OrderHub.Api.Features.Audit;
using OrderHub.Api.Features.Catalog;
using OrderHub.Api.Features.Fiscal;
using OrderHub.Api.Features.Inbox;
using OrderHub.Api.Features.Orders;
using OrderHub.Api.Features.Orders.SendHeldOrder;
using OrderHub.Api.Features.Parking;
using OrderHub.Api.Features.PosFeed;
using OrderHub.Api.Features.Reconciliation;
using OrderHub.Api.Features.Telegram;
using OrderHub.Api.Features.Telegram.ReceiveTelegramUpdate;
using OrderHub.Api.Features.Tenancy.Cities;
using OrderHub.Api.Features.Tenancy.Companies;
using OrderHub.Api.Features.Tenancy.ExternalIds;
using OrderHub.Api.Features.Tenancy.PickupPoints;
using OrderHub.Api.Features.Tenancy.PosIntegrations;
using OrderHub.Api.Features.Users;
using OrderHub.Api.Features.Webhooks.ReceiveDotsEvent;
using OrderHub.Api.Features.Webhooks.ReceivePosStatus;
using OrderHub.Api.Features.Webhooks.ReceivePosterEvent;

namespace OrderHub.Api.Features;

public static class EndpointRegistration
{
    /// <summary>
    /// Every feature's endpoints: webhooks open (signed), <c>/api</c> behind an API key. Reading needs any role;
    /// changes name their policy (<see cref="Security.AccessScope"/>): admin, manage-settings, edit-mappings.
    /// </summary>
    public static void MapOrderHubEndpoints(this IEndpointRouteBuilder app)
    {
        ReceiveDotsEventEndpoint.Map(app);
        ReceivePosStatusEndpoint.Map(app);
        ReceivePosterEventEndpoint.Map(app);
        ReceiveTelegramUpdateEndpoint.Map(app);
        PosFeedEndpoints.MapReceiver(app);

        var api = app.MapGroup("/api").RequireAuthorization();
        OrderEndpoints.Map(api);
        InboxEndpoints.Map(api);
        ParkingEndpoints.Map(api);
        CityEndpoints.Map(api);
        CompanyEndpoints.Map(api);
        PickupPointEndpoints.Map(api);
        PosIntegrationEndpoints.Map(api);
        ExternalIdEndpoints.Map(api);
        UserEndpoints.Map(api);
        AuditEndpoints.Map(api);
        CatalogEndpoints.Map(api);
        FiscalEndpoints.Map(api);
        TelegramEndpoints.Map(api);

        // Go-live (issue 18): shadow mode and test orders.
        Shadow.ShadowEndpoints.Map(api);
        TestOrders.TestOrderEndpoints.Map(api);
        PosFeedEndpoints.Map(api);
        SendHeldOrderEndpoint.Map(api);
        ReconciliationEndpoints.Map(api);
    }
}
