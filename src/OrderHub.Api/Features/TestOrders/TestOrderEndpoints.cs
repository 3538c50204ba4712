using System.Security.Claims;
using MediatR;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.TestOrders;

public static class TestOrderEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/pickup-points/{id:guid}/test-orders").WithTags("Go-live");
        group.MapPost("/", async (IMediator m, Guid id, CreateTestOrderCommand command, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var created = await m.Send(command with { PickupPointId = id, Actor = user.Actor() }, ct);
                return TypedResults.Created($"/api/pickup-points/{id}/test-orders/{created.Id}", created);
            })
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("CreateTestOrder")
            .WithSummary("Send a [TEST] order built from POS catalog items through the real export path; never counted in dashboards or reports")
            .Produces<TestOrderDto>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetTestOrdersQuery(id), ct))
            .WithName("GetTestOrders").WithSummary("The point's latest test orders with what came back from the POS")
            .Produces<IReadOnlyList<TestOrderDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{orderId:guid}", (IMediator m, Guid id, Guid orderId, CancellationToken ct) => m.Send(new GetTestOrderQuery(id, orderId), ct))
            .WithName("GetTestOrder").WithSummary("One test order: its state, POS order id and the POS's answer (excerpts masked)")
            .Produces<TestOrderDto>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{orderId:guid}/cancel", (IMediator m, Guid id, Guid orderId, ClaimsPrincipal user, CancellationToken ct) =>
                m.Send(new CancelTestOrderCommand(id, orderId, user.Actor()), ct))
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("CancelTestOrder")
            .WithSummary("Take a test order off the register: a webhook POS gets pos-order.cancelled; for Poster, what to do at the register")
            .Produces<TestOrderDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
