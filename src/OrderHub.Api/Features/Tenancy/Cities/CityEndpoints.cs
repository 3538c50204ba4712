using MediatR;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Tenancy.Cities;

public static class CityEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var cities = api.MapGroup("/cities").WithTags("Cities");
        cities.MapGet("/", (IMediator m, CancellationToken ct) => m.Send(new GetCitiesQuery(), ct))
            .WithName("GetCities").WithSummary("Every city, by name")
            .Produces<IReadOnlyList<CityDto>>();
        cities.MapPost("/", async (IMediator m, SaveCityCommand command, CancellationToken ct) =>
            {
                var city = await m.Send(command with { Id = null }, ct);
                return TypedResults.Created($"/api/cities/{city.Id}", city);
            })
            .RequireAuthorization(AccessScope.AdminPolicy)
            .WithName("CreateCity").WithSummary("Add a Dots city")
            .Produces<CityDto>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        cities.MapGet("/{id:guid}", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetCityQuery(id), ct))
            .WithName("GetCity").WithSummary("One city")
            .Produces<CityDto>().ProducesProblem(StatusCodes.Status404NotFound);
        cities.MapPut("/{id:guid}", (IMediator m, Guid id, SaveCityCommand command, CancellationToken ct) => m.Send(command with { Id = id }, ct))
            .RequireAuthorization(AccessScope.AdminPolicy)
            .WithName("UpdateCity").WithSummary("Change a city's Dots id or name")
            .Produces<CityDto>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
