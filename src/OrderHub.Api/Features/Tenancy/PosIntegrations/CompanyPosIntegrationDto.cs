using AutoMapper;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Features.Tenancy.PosIntegrations;

/// <summary>A company's default POS integration. Its secret is write-only: only <see cref="HasSecret"/> says whether one is stored.</summary>
public sealed record CompanyPosIntegrationDto
{
    public Guid Id { get; init; }
    public Guid CompanyId { get; init; }

    /// <summary>Poster or Webhook.</summary>
    public string Kind { get; init; } = "";
    public bool Enabled { get; init; }
    public bool AutoSyncOnAcceptance { get; init; }
    public string? PosterAccount { get; init; }
    public string? WebhookUrl { get; init; }
    public bool HasSecret { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

public sealed class CompanyPosIntegrationMappingProfile : Profile
{
    public CompanyPosIntegrationMappingProfile() =>
        CreateMap<CompanyPosIntegration, CompanyPosIntegrationDto>()
            .ForMember(d => d.HasSecret, o => o.MapFrom(s => s.SecretProtected != null));
}
