using System.Security.Claims;
using MediatR;
using OrderHub.Api.Features.Orders;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Parking;

/// <summary>Parked orders: named queues (company defaults, point overrides) and the orders waiting for export in them.</summary>
public static class ParkingEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        MapScope(api, "/companies/{id:guid}/parked-queues", isPoint: false, "the company's default queues");
        MapScope(api, "/pickup-points/{id:guid}/parked-queues", isPoint: true, "the pickup point's own and renamed queues");
        api.MapGet("/pickup-points/{id:guid}/parked-queues/effective", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetEffectiveParkedQueuesQuery(id), ct))
            .WithTags("Parked orders").WithName("GetEffectiveParkedQueues")
            .WithSummary("The point's queues: company defaults (renamed where the point overrides them), then its own")
            .Produces<IReadOnlyList<ParkedQueueDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/pickup-points/{id:guid}/parked", (IMediator m, Guid id, ClaimsPrincipal user, CancellationToken ct) => m.Send(new GetParkedOrdersQuery(id, user), ct))
            .WithTags("Parked orders").WithName("GetParkedOrders")
            .WithSummary("The point's orders waiting for export, by queue, filtered by the caller's parked visibility (own, same role, all)")
            .Produces<ParkedOrdersDto>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/orders/{id:guid}/park", (IMediator m, Guid id, ParkOrderRequest body, ClaimsPrincipal user, CancellationToken ct) =>
                m.Send(new ParkOrderCommand(id, body.Queue, user.Actor(), user.FindFirstValue(ClaimTypes.Role) ?? ""), ct))
            .WithTags("Parked orders").WithName("ParkOrder")
            .WithSummary("Put an order waiting for export into a queue of its point (null: out of its queue)")
            .Produces<OrderSummaryDto>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static void MapScope(IEndpointRouteBuilder api, string route, bool isPoint, string what)
    {
        var name = isPoint ? "PickupPoint" : "Company";
        api.MapGet(route, (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetParkedQueuesQuery(id, isPoint), ct))
            .WithTags("Parked orders").WithName($"Get{name}ParkedQueues").WithSummary($"List {what}")
            .Produces<IReadOnlyList<ParkedQueueDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut(route, (IMediator m, Guid id, SaveParkedQueuesCommand command, CancellationToken ct) => m.Send(command with { Id = id, IsPoint = isPoint }, ct))
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithTags("Parked orders").WithName($"Save{name}ParkedQueues").WithSummary($"Replace {what} (in order)")
            .Produces<IReadOnlyList<ParkedQueueDto>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
