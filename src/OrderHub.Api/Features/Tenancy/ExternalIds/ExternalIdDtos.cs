using AutoMapper;
using OrderHub.Domain.Mappings;

namespace OrderHub.Api.Features.Tenancy.ExternalIds;

/// <summary>One stored external id: a company default, or a pickup point's override.</summary>
public sealed record ExternalIdDto
{
    /// <summary>Product, Variant, Modifier or Promotion.</summary>
    public string Kind { get; init; } = "";
    public string DotsId { get; init; } = "";
    public string ExternalId { get; init; } = "";
    public string? Name { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>What a pickup point sends to its POS for one Dots item.</summary>
public sealed record EffectiveExternalIdDto
{
    public string Kind { get; init; } = "";
    public string DotsId { get; init; } = "";

    /// <summary>The id the POS gets; null when the item would be reported missing.</summary>
    public string? ExternalId { get; init; }

    /// <summary>
    /// <c>overridden</c> (the point's own id), <c>inherited</c> (the company default) or <c>missing</c> (only an
    /// override exists and the point uses company defaults, which ignores it).
    /// </summary>
    public string Source { get; init; } = "";
    public string? Name { get; init; }

    /// <summary>The company default, if any.</summary>
    public string? CompanyExternalId { get; init; }

    /// <summary>The point's own override, if any (ignored while the point's <c>useCompanyExternalIds</c> is on).</summary>
    public string? PointExternalId { get; init; }
}

/// <summary>The answer to a bulk upsert.</summary>
public sealed record UpsertExternalIdsResult(int Created, int Updated);

/// <summary>The answer to a bulk delete.</summary>
public sealed record DeleteExternalIdsResult(int Deleted);

public sealed class ExternalIdMappingProfile : Profile
{
    public ExternalIdMappingProfile() => CreateMap<ExternalIdMapping, ExternalIdDto>();
}
