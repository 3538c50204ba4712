using System.Security.Claims;
using MediatR;
using OrderHub.Api.Features.Orders.ExportOrder;
using OrderHub.Api.Features.Reconciliation.GetReconciliations;
using OrderHub.Api.Features.Reconciliation.RedriveMissingOrder;
using OrderHub.Api.Features.Reconciliation.RunReconciliation;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Reconciliation;

/// <summary>Daily reconciliation of a pickup point's orders with its register: run one, list them, read one, re-drive a missing order.</summary>
public static class ReconciliationEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/pickup-points/{id:guid}/reconciliations").WithTags("Reconciliation");
        group.MapPost("", async (IMediator m, Guid id, RunReconciliationRequest? body, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var run = await m.Send(new RunReconciliationCommand(id, body?.Day, user.Actor()), ct);
                return TypedResults.Created($"/api/pickup-points/{id}/reconciliations/{run.Id}", run);
            })
            .WithName("RunReconciliation")
            .WithSummary("Compare the point's day (its time zone; yesterday by default) with what the register has, now; replaces that day's earlier run")
            .Produces<ReconciliationRunDto>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetReconciliationsQuery(id), ct))
            .WithName("GetReconciliations").WithSummary("The point's reconciliations, newest day first")
            .Produces<IReadOnlyList<ReconciliationRunDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{runId:guid}", (IMediator m, Guid id, Guid runId, CancellationToken ct) => m.Send(new GetReconciliationQuery(id, runId), ct))
            .WithName("GetReconciliation").WithSummary("One reconciliation with its findings, each linked to its order")
            .Produces<ReconciliationRunDto>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{runId:guid}/findings/{findingId:guid}/redrive", async (IMediator m, Guid id, Guid runId, Guid findingId, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var result = await m.Send(new RedriveMissingOrderCommand(id, runId, findingId, user.Actor()), ct);
                return TypedResults.Accepted($"/api/orders/{result.OrderId}", result);
            })
            .WithName("RedriveMissingOrder")
            .WithSummary("Send an order the reconciliation found missing at the register again (the operator's export; a lost exported order is a forced resend)")
            .Produces<ExportOrderResult>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
