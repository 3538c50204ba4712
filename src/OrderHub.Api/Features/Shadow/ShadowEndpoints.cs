using System.Security.Claims;
using MediatR;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Shadow;

public static class ShadowEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var point = api.MapGroup("/pickup-points/{id:guid}").WithTags("Go-live");
        point.MapPut("/pos-integration/mode", (IMediator m, Guid id, SetPosModeCommand command, ClaimsPrincipal user, CancellationToken ct) =>
                m.Send(command with { PickupPointId = id, Actor = user.Actor() }, ct))
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("SetPosMode")
            .WithSummary("Switch the point's POS integration between Live and Shadow; going live passes the auto-sync coverage gate and is audited")
            .Produces<PosModeDto>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        point.MapGet("/shadow-readiness", (IMediator m, Guid id, int? days, CancellationToken ct) => m.Send(new GetShadowReadinessQuery(id, days), ct))
            .WithName("GetShadowReadiness")
            .WithSummary("Share of the last N days' orders (default 7) that would have reached the POS cleanly, and the problems by kind with their fixes")
            .Produces<ShadowReadinessDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
