using MediatR;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Tenancy.Companies;

public static class CompanyEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var companies = api.MapGroup("/companies").WithTags("Companies");
        companies.MapGet("/", (IMediator m, Guid? cityId, CancellationToken ct) => m.Send(new GetCompaniesQuery(cityId), ct))
            .WithName("GetCompanies").WithSummary("Every company (optionally of one city), by name; never their secrets")
            .Produces<IReadOnlyList<CompanyDto>>();
        companies.MapPost("/", async (IMediator m, CreateCompanyCommand command, CancellationToken ct) =>
            {
                var company = await m.Send(command, ct);
                return TypedResults.Created($"/api/companies/{company.Id}", company);
            })
            .RequireAuthorization(AccessScope.AdminPolicy)
            .WithName("CreateCompany").WithSummary("Add a company; the response carries its new signing secret, once")
            .Produces<CompanyWithSecretDto>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        companies.MapGet("/{id:guid}", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetCompanyQuery(id), ct))
            .WithName("GetCompany").WithSummary("One company, without its secrets")
            .Produces<CompanyDto>().ProducesProblem(StatusCodes.Status404NotFound);
        companies.MapPut("/{id:guid}", (IMediator m, Guid id, UpdateCompanyCommand command, CancellationToken ct) => m.Send(command with { Id = id }, ct))
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("UpdateCompany").WithSummary("Change a company's city, Dots id or name (the key is fixed)")
            .Produces<CompanyDto>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        companies.MapPost("/{id:guid}/signing-secret/rotate", (IMediator m, Guid id, CancellationToken ct) => m.Send(new RotateSigningSecretCommand(id), ct))
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("RotateSigningSecret")
            .WithSummary("Replace the signing secret; the new one is returned once, the old one stays valid for 24 h")
            .Produces<CompanyWithSecretDto>().ProducesProblem(StatusCodes.Status404NotFound);
        companies.MapPut("/{id:guid}/signing-secret", (IMediator m, Guid id, SetSigningSecretCommand command, CancellationToken ct) =>
                m.Send(command with { CompanyId = id }, ct))
            .RequireAuthorization(AccessScope.ManageSettingsPolicy)
            .WithName("SetSigningSecret")
            .WithSummary("Store the signing secret Dots issued (write-only, never returned); the old one stays valid for 24 h")
            .Produces<CompanyDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
