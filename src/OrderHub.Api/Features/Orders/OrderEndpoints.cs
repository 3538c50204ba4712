using System.Security.Claims;
using MediatR;
using OrderHub.Api.Features.Orders.ExportOrder;
using OrderHub.Api.Features.Orders.GetOrder;
using OrderHub.Api.Features.Orders.GetOrderByDotsId;
using OrderHub.Api.Features.Orders.GetOrders;
using OrderHub.Api.Features.Orders.GetUnrouted;
using OrderHub.Api.Features.Orders.RedriveFailedOrders;
using OrderHub.Api.Features.Orders.ReplayUnrouted;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Orders;

public static class OrderEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var orders = api.MapGroup("/orders").WithTags("Orders");
        orders.MapGet("/", (IMediator m, [AsParameters] GetOrdersQuery query, CancellationToken ct) => m.Send(query, ct))
            .WithName("GetOrders").WithSummary("List orders, newest first, filtered by pickup point, state, time and problems")
            .Produces<Page<OrderSummaryDto>>().ProducesValidationProblem();
        orders.MapGet("/{id:guid}", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetOrderQuery(id), ct))
            .WithName("GetOrder").WithSummary("An order with its lines, external ids and full history")
            .Produces<OrderDetailsDto>().ProducesProblem(StatusCodes.Status404NotFound);
        orders.MapGet("/{id:guid}/payload", async (IMediator m, Guid id, CancellationToken ct) =>
                Results.Text(await m.Send(new GetOrderPayloadQuery(id), ct), "application/json"))
            .WithName("GetOrderPayload").WithSummary("The accepting Dots event exactly as it arrived; 410 once retention pruned it")
            .Produces<string>(contentType: "application/json").ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);
        orders.MapPost("/{id:guid}/export", async (IMediator m, Guid id, ExportOrderRequest? body, ClaimsPrincipal user, CancellationToken ct) =>
                TypedResults.Accepted($"/api/orders/{id}", await m.Send(new ExportOrderCommand(id, user.Actor(), body?.Force ?? false, body?.Reason), ct)))
            .WithName("ExportOrder").WithSummary("Resolve the order again with today's mappings and queue it for the POS; force with a reason sends an exported order again")
            .Produces<ExportOrderResult>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        orders.MapPost("/redrive-failed", async (IMediator m, RedriveFailedOrdersRequest body, ClaimsPrincipal user, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new RedriveFailedOrdersCommand(body.PickupPointId, body.FailedSince, user.Actor()), ct)))
            .WithName("RedriveFailedOrders").WithSummary("Export again every failed order of a pickup point (after a POS outage), oldest first")
            .Produces<RedriveFailedOrdersResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/companies/{companyId:guid}/dots-orders/{dotsOrderId}", (IMediator m, Guid companyId, string dotsOrderId, CancellationToken ct) =>
                m.Send(new GetOrderByDotsIdQuery(companyId, dotsOrderId), ct))
            .WithTags("Orders").WithName("GetOrderByDotsId").WithSummary("The order with this Dots order id (the webhook answer's order link); 404 until processed")
            .Produces<OrderDetailsDto>().ProducesProblem(StatusCodes.Status404NotFound);

        var unrouted = api.MapGroup("/unrouted").WithTags("Unrouted events");
        unrouted.MapGet("/", (IMediator m, Guid? companyId, CancellationToken ct) => m.Send(new GetUnroutedQuery(companyId), ct))
            .WithName("GetUnrouted").WithSummary("Events whose pickup point is not configured, oldest first")
            .Produces<IReadOnlyList<UnroutedEventDto>>();
        unrouted.MapPost("/{id:guid}/replay", async (IMediator m, Guid id, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var outcome = await m.Send(new ReplayUnroutedCommand(id, user.Actor()), ct);
                return outcome.Kind == InboundOutcomeKind.Unrouted
                    ? Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Unknown pickup point",
                        detail: "The pickup point is still not configured; add it and replay again.")
                    : Results.Ok(DotsEventReceipt.From(outcome));
            })
            .WithName("ReplayUnrouted").WithSummary("Process an unrouted event again after configuring its pickup point")
            .Produces<DotsEventReceipt>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }
}
