using AutoMapper;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Features.Tenancy.PickupPoints;

/// <summary>A pickup point (a Dots company address).</summary>
public sealed record PickupPointDto
{
    public Guid Id { get; init; }
    public Guid CompanyId { get; init; }

    /// <summary>The Dots <c>companyAddressId</c> that routes order events here.</summary>
    public string DotsAddressId { get; init; } = "";
    public string Name { get; init; } = "";
    public string Address { get; init; } = "";

    /// <summary>IANA time zone id.</summary>
    public string TimeZone { get; init; } = "";

    /// <summary>True: every external id comes from the company's defaults and the point's own overrides are ignored.</summary>
    public bool UseCompanyExternalIds { get; init; }

    /// <summary>Deprecated: the old name of <see cref="UseCompanyExternalIds"/>, the same value; removed in the next version.</summary>
    [Obsolete("Use UseCompanyExternalIds.")]
    public bool UseCompanyDefaults => UseCompanyExternalIds;

    // Held pre-orders (issue 18).

    /// <summary>False (default): orders with a delivery time go to the POS at once. True: held until the delivery time minus <see cref="PreparationMinutes"/>.</summary>
    public bool HoldScheduledOrders { get; init; }

    /// <summary>Minutes before the delivery time a held order reaches the POS.</summary>
    public int PreparationMinutes { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed class PickupPointMappingProfile : Profile
{
    public PickupPointMappingProfile() => CreateMap<PickupPoint, PickupPointDto>()
        .ForMember(d => d.UseCompanyExternalIds, o => o.MapFrom(s => s.UseCompanyDefaults));
}
