using AutoMapper;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Features.Tenancy.Companies;

/// <summary>A Dots company. Never carries its signing secrets.</summary>
public record CompanyDto
{
    public Guid Id { get; init; }
    public Guid CityId { get; init; }

    /// <summary>The Dots company id (<c>companyId</c> in order events).</summary>
    public string DotsCompanyId { get; init; } = "";

    /// <summary>The key in the company's webhook URL, <c>/webhooks/dots/{key}</c>.</summary>
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset SecretRotatedAt { get; init; }

    /// <summary>Until when the secret replaced by the last rotation is still accepted; null when none is.</summary>
    public DateTimeOffset? PreviousSecretExpiresAt { get; init; }
}

/// <summary>
/// A company with its new inbound signing secret: the only time the secret leaves OrderHub (on create and on
/// rotation). Give it to Dots; it cannot be read again.
/// </summary>
public sealed record CompanyWithSecretDto : CompanyDto
{
    /// <summary>The <c>whsec_</c> secret Dots signs this company's webhooks with.</summary>
    public string SigningSecret { get; init; } = "";
}

public sealed class CompanyMappingProfile : Profile
{
    public CompanyMappingProfile()
    {
        CreateMap<Company, CompanyDto>();
        CreateMap<Company, CompanyWithSecretDto>().ForMember(d => d.SigningSecret, o => o.Ignore());
    }
}
