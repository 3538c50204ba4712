using System.Security.Claims;
using MediatR;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Tenancy.PosIntegrations;

public static class PosIntegrationEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var integration = api.MapGroup("/pickup-points/{id:guid}/pos-integration").WithTags("POS integrations");
        integration.MapGet("/", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetPosIntegrationQuery(id), ct))
            .WithName("GetPosIntegration").WithSummary("The pickup point's POS integration; secrets only as hasSecret")
            .Produces<PosIntegrationDto>().ProducesProblem(StatusCodes.Status404NotFound);
        integration.MapPut("/", (IMediator m, Guid id, SavePosIntegrationCommand command, ClaimsPrincipal user, CancellationToken ct) =>
                m.Send(command with { PickupPointId = id, Actor = user.Actor() }, ct))
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("SavePosIntegration")
            .WithSummary("Create or replace the POS integration; omit the token/secret to keep the stored one")
            .Produces<SavedPosIntegrationDto>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        integration.MapPost("/test", (IMediator m, Guid id, CancellationToken ct) => m.Send(new TestPosConnectionCommand(id), ct))
            .WithName("TestPosConnection")
            .WithSummary("Test the POS connection (Poster: token and spot; webhook: a signed ping); kept as the integration's last check")
            .Produces<PosConnectionCheckDto>().ProducesProblem(StatusCodes.Status404NotFound);
        integration.MapDelete("/", async (IMediator m, Guid id, CancellationToken ct) =>
            {
                await m.Send(new DeletePosIntegrationCommand(id), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("DeletePosIntegration").WithSummary("Remove the POS integration; new orders then wait for export")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        var defaults = api.MapGroup("/companies/{id:guid}/pos-integration").WithTags("POS integrations");
        defaults.MapGet("/", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetCompanyPosIntegrationQuery(id), ct))
            .WithName("GetCompanyPosIntegration").WithSummary("The company's default POS integration; secrets only as hasSecret")
            .Produces<CompanyPosIntegrationDto>().ProducesProblem(StatusCodes.Status404NotFound);
        defaults.MapPut("/", (IMediator m, Guid id, SaveCompanyPosIntegrationCommand command, ClaimsPrincipal user, CancellationToken ct) =>
                m.Send(command with { CompanyId = id, Actor = user.Actor() }, ct))
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("SaveCompanyPosIntegration")
            .WithSummary("Create or replace the company's default POS integration, used by points without their own or with useCompanyDefaults")
            .Produces<CompanyPosIntegrationDto>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        defaults.MapDelete("/", async (IMediator m, Guid id, CancellationToken ct) =>
            {
                await m.Send(new DeleteCompanyPosIntegrationCommand(id), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("DeleteCompanyPosIntegration").WithSummary("Remove the company's default POS integration")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
    }
}
