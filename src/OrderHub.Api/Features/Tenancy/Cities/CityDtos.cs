using AutoMapper;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Features.Tenancy.Cities;

/// <summary>A Dots city.</summary>
public sealed record CityDto
{
    public Guid Id { get; init; }

    /// <summary>The Dots city id as it appears in order events (<c>cityId</c>).</summary>
    public string DotsCityId { get; init; } = "";
    public string Name { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed class CityMappingProfile : Profile
{
    public CityMappingProfile() => CreateMap<City, CityDto>();
}
