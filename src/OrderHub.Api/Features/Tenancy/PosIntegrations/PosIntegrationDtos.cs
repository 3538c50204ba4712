using AutoMapper;
using OrderHub.Api.Messages;
using OrderHub.Api.Shared;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Features.Tenancy.PosIntegrations;

/// <summary>The POS of a pickup point. Its secret is write-only: only <see cref="HasSecret"/> says whether one is stored.</summary>
public record PosIntegrationDto
{
    public Guid Id { get; init; }
    public Guid PickupPointId { get; init; }

    /// <summary>Poster or Webhook.</summary>
    public string Kind { get; init; } = "";
    public bool Enabled { get; init; }
    public bool AutoSyncOnAcceptance { get; init; }

    /// <summary>Live or Shadow (issue 18: built and checked, never sent); switched by <c>PUT …/pos-integration/mode</c>, not by this PUT.</summary>
    public string Mode { get; init; } = "Live";

    /// <summary>True: the Poster account, webhook URL and token/secret this point leaves out come from the company's default integration.</summary>
    public bool InheritCompanyCredentials { get; init; }

    /// <summary>Deprecated: the old name of <see cref="InheritCompanyCredentials"/>, the same value; removed in the next version.</summary>
    [Obsolete("Use InheritCompanyCredentials.")]
    public bool UseCompanyDefaults => InheritCompanyCredentials;
    public string? PosterAccount { get; init; }
    public long? PosterSpotId { get; init; }
    public string? WebhookUrl { get; init; }

    /// <summary>Whether a Poster token or webhook secret is stored.</summary>
    public bool HasSecret { get; init; }

    /// <summary>Why the integration is off (the POS answered 410 Gone, or an operator disabled it).</summary>
    public string? DisabledReason { get; init; }

    /// <summary>The last "test connection": when, whether it worked, and if not why and what to fix.</summary>
    public DateTimeOffset? LastCheckAt { get; init; }
    public bool? LastCheckOk { get; init; }
    public string? LastCheckMessage { get; init; }
    public string? LastCheckReason { get; init; }
    public string? LastCheckFixHint { get; init; }

    /// <summary>The last time auto-sync was switched on below 100 % coverage with an override: when, by whom, why, the coverage then.</summary>
    public DateTimeOffset? AutoSyncOverrideAt { get; init; }
    public string? AutoSyncOverrideBy { get; init; }
    public string? AutoSyncOverrideReason { get; init; }
    public decimal? AutoSyncOverrideCoverage { get; init; }

    /// <summary>What was missing then (the first items), as text.</summary>
    public string? AutoSyncOverrideMissing { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// Only on GET: where each effective field comes from, <c>point</c> (the point's own, overridden) or
    /// <c>company</c> (inherited from the company's default). Keys: kind, enabled, autoSyncOnAcceptance,
    /// posterAccount, posterSpotId, webhookUrl, secret.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Sources { get; init; }

    /// <summary>Only on GET: false when the point has no integration of its own and uses the company's default.</summary>
    public bool? HasOwnIntegration { get; init; }
}

/// <summary>The saved integration, plus the webhook secret OrderHub generated for it, shown this once.</summary>
public sealed record SavedPosIntegrationDto : PosIntegrationDto
{
    /// <summary>
    /// Set only when a webhook integration was saved without a secret and OrderHub generated one: configure it in
    /// the POS now, it cannot be read again.
    /// </summary>
    public string? GeneratedSecret { get; init; }
}

public sealed class PosIntegrationMappingProfile : Profile
{
    public PosIntegrationMappingProfile()
    {
        // The disabled reason in the reader's language (the request's UI culture): the row keeps the English.
        CreateMap<PosIntegration, PosIntegrationDto>()
            .ForMember(d => d.DisabledReason, o => o.MapFrom(s => PosDisabledReasons.Render(s.DisabledReason, MessageCatalog.CurrentLanguage)))
            .ForMember(d => d.InheritCompanyCredentials, o => o.MapFrom(s => s.UseCompanyDefaults))
            .ForMember(d => d.HasSecret, o => o.MapFrom(s => s.SecretProtected != null))
            .ForMember(d => d.Sources, o => o.Ignore())
            .ForMember(d => d.HasOwnIntegration, o => o.Ignore());
        CreateMap<PosIntegration, SavedPosIntegrationDto>()
            .ForMember(d => d.DisabledReason, o => o.MapFrom(s => PosDisabledReasons.Render(s.DisabledReason, MessageCatalog.CurrentLanguage)))
            .ForMember(d => d.InheritCompanyCredentials, o => o.MapFrom(s => s.UseCompanyDefaults))
            .ForMember(d => d.HasSecret, o => o.MapFrom(s => s.SecretProtected != null))
            .ForMember(d => d.Sources, o => o.Ignore())
            .ForMember(d => d.HasOwnIntegration, o => o.Ignore())
            .ForMember(d => d.GeneratedSecret, o => o.Ignore());
    }
}
