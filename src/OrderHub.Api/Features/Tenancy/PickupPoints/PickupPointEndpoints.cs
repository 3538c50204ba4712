using MediatR;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Tenancy.PickupPoints;

public static class PickupPointEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var ofCompany = api.MapGroup("/companies/{companyId:guid}/pickup-points").WithTags("Pickup points");
        ofCompany.MapGet("/", (IMediator m, Guid companyId, CancellationToken ct) => m.Send(new GetPickupPointsQuery(companyId), ct))
            .WithName("GetPickupPoints").WithSummary("A company's pickup points, by name")
            .Produces<IReadOnlyList<PickupPointDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        ofCompany.MapPost("/", async (IMediator m, Guid companyId, SavePickupPointCommand command, CancellationToken ct) =>
            {
                var point = await m.Send(command with { CompanyId = companyId, Id = null }, ct);
                return TypedResults.Created($"/api/pickup-points/{point.Id}", point);
            })
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("CreatePickupPoint").WithSummary("Add a pickup point (a Dots company address) to a company")
            .Produces<PickupPointDto>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var points = api.MapGroup("/pickup-points").WithTags("Pickup points");
        points.MapGet("/{id:guid}", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetPickupPointQuery(id), ct))
            .WithName("GetPickupPoint").WithSummary("One pickup point")
            .Produces<PickupPointDto>().ProducesProblem(StatusCodes.Status404NotFound);
        points.MapPut("/{id:guid}", (IMediator m, Guid id, SavePickupPointCommand command, CancellationToken ct) =>
                m.Send(command with { Id = id, CompanyId = null }, ct))
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("UpdatePickupPoint").WithSummary("Change a pickup point; omitted fields keep their values")
            .Produces<PickupPointDto>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
