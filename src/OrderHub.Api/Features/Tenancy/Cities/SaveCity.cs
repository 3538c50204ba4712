using System.Text.Json.Serialization;
using AutoMapper;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Features.Tenancy.Cities;

/// <summary>Creates a city (no <see cref="Id"/>) or replaces an existing city's fields.</summary>
public sealed record SaveCityCommand : IRequest<CityDto>
{
    /// <summary>From the route on update; null on create.</summary>
    [JsonIgnore]
    public Guid? Id { get; init; }

    /// <summary>The Dots city id (e.g. "kyiv"); unique.</summary>
    public string? DotsCityId { get; init; }
    public string? Name { get; init; }
}

public sealed class SaveCityValidator : AbstractValidator<SaveCityCommand>
{
    public SaveCityValidator()
    {
        RuleFor(c => c.DotsCityId).DotsId();
        RuleFor(c => c.Name).DisplayName();
    }
}

public sealed class SaveCityHandler(OrderHubDbContext db, IMapper mapper, TimeProvider time) : IRequestHandler<SaveCityCommand, CityDto>
{
    public async Task<CityDto> Handle(SaveCityCommand request, CancellationToken cancellationToken)
    {
        var city = request.Id is { } id
            ? await db.Cities.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw ProblemException.NotFound("City", id)
            : db.Cities.Add(new City { CreatedAt = time.GetUtcNow() }).Entity;

        var dotsCityId = request.DotsCityId!;
        if (await db.Cities.AnyAsync(c => c.DotsCityId == dotsCityId && c.Id != city.Id, cancellationToken))
        {
            throw TenancyRules.Taken("dotsCityId", "City", dotsCityId);
        }

        city.DotsCityId = dotsCityId;
        city.Name = request.Name!;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw TenancyRules.Taken("dotsCityId", "City", dotsCityId);
        }

        return mapper.Map<CityDto>(city);
    }
}
