using System.Text.Json.Serialization;
using AutoMapper;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Persistence.Configurations;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.History;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Outbound;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Api.Features.Tenancy.PosIntegrations;

/// <summary>
/// Creates or replaces the POS integration of a pickup point. Secrets are write-only: omit <c>token</c> /
/// <c>secret</c> to keep the stored one (same kind only). A webhook integration saved with no secret at all
/// gets a generated one, returned once.
/// </summary>
public sealed record SavePosIntegrationCommand : IRequest<SavedPosIntegrationDto>
{
    [JsonIgnore]
    public Guid PickupPointId { get; init; }

    [JsonIgnore]
    public string Actor { get; init; } = "";

    /// <summary>Poster or Webhook.</summary>
    public string? Kind { get; init; }

    /// <summary>Default true.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Default false.</summary>
    public bool? AutoSyncOnAcceptance { get; init; }

    /// <summary>
    /// Default false. True: the Poster account, webhook URL and token/secret left out here are taken from the
    /// company's default integration, which must exist with the same kind.
    /// </summary>
    public bool? InheritCompanyCredentials { get; init; }

    /// <summary>Deprecated: the old name of <see cref="InheritCompanyCredentials"/>, still accepted for this version.</summary>
    [Obsolete("Use InheritCompanyCredentials.")]
    public bool? UseCompanyDefaults { get; init; }

#pragma warning disable CS0618 // the deprecated name is read here, and only here
    internal bool? InheritCompanyCredentialsOrDeprecated => InheritCompanyCredentials ?? UseCompanyDefaults;

    internal bool BothNamesDisagree => InheritCompanyCredentials is not null && UseCompanyDefaults is not null && InheritCompanyCredentials != UseCompanyDefaults;
#pragma warning restore CS0618

    /// <summary>Poster: the account name (the subdomain of {account}.joinposter.com).</summary>
    public string? PosterAccount { get; init; }

    /// <summary>Poster: the spot_id of this pickup point.</summary>
    public long? PosterSpotId { get; init; }

    /// <summary>Poster: the API token. Write-only.</summary>
    public string? Token { get; init; }

    /// <summary>Webhook: the absolute http(s) URL orders are posted to.</summary>
    public string? WebhookUrl { get; init; }

    /// <summary>Webhook: the <c>whsec_</c> secret OrderHub signs with. Write-only; generated when none is stored.</summary>
    public string? Secret { get; init; }

    /// <summary>
    /// Switching auto-sync on for a point whose mapping coverage is below 100 % is refused (409) unless this
    /// says why it must go on anyway; the override is recorded (who, when, why, the coverage then).
    /// </summary>
    public string? AutoSyncOverrideReason { get; init; }

    /// <summary>Never written to logs: the record's generated ToString would print the secrets.</summary>
    public override string ToString() => $"{nameof(SavePosIntegrationCommand)} {{ PickupPointId = {PickupPointId}, Kind = {Kind} }}";
}

public sealed class SavePosIntegrationValidator : AbstractValidator<SavePosIntegrationCommand>
{
    public SavePosIntegrationValidator(OutboundAddressPolicy outbound)
    {
        RuleFor(c => c.BothNamesDisagree).Equal(false).OverridePropertyName("useCompanyDefaults")
            .WithMessageKey("valid.useCompanyDefaults.pos");
        RuleFor(c => c.Kind).NotEmpty()
            .Must(k => TenancyRules.TryParseName<PosKind>(k, out _)).WithMessageKey("valid.oneOf", ("values", TenancyRules.Names<PosKind>()));

        RuleFor(c => c.AutoSyncOverrideReason).NotEmpty().MaximumLength(Limits.Text).When(c => c.AutoSyncOverrideReason is not null)
            .WithMessageKey("valid.overrideReason", ("max", Limits.Text));
        When(c => IsKind(c, PosKind.Poster), () =>
        {
            RuleFor(c => c.PosterAccount).NotEmpty().MaximumLength(Limits.Key).Matches(TenancyRules.UrlSafe())
                .When(c => c.InheritCompanyCredentialsOrDeprecated != true || c.PosterAccount is not null)
                .WithMessageKey("valid.slug");
            RuleFor(c => c.PosterSpotId).NotNull().GreaterThan(0);
            RuleFor(c => c.Token).NotEmpty().MaximumLength(Limits.Name).When(c => c.Token is not null);
            RuleFor(c => c.WebhookUrl).Null().WithMessageKey("valid.onlyWebhook");
            RuleFor(c => c.Secret).Null().WithMessageKey("valid.onlyWebhookSecret");
        });
        When(c => IsKind(c, PosKind.Webhook), () =>
        {
            RuleFor(c => c.WebhookUrl).NotEmpty().MaximumLength(Limits.Url).Must(IsHttpUrl)
                .When(c => c.InheritCompanyCredentialsOrDeprecated != true || c.WebhookUrl is not null)
                .WithMessageKey("valid.absoluteUrl")
                .DependentRules(() => RuleFor(c => c.WebhookUrl).OutboundUrl(outbound).When(c => c.WebhookUrl is not null));
            RuleFor(c => c.Secret).Must(StandardWebhookSignature.IsValidSecret).When(c => c.Secret is not null)
                .WithMessageKey("valid.whsec");
            RuleFor(c => c.PosterAccount).Null().WithMessageKey("valid.onlyPoster");
            RuleFor(c => c.PosterSpotId).Null().WithMessageKey("valid.onlyPoster");
            RuleFor(c => c.Token).Null().WithMessageKey("valid.onlyPosterToken");
        });
    }

    private static bool IsKind(SavePosIntegrationCommand c, PosKind kind) =>
        TenancyRules.TryParseName<PosKind>(c.Kind, out var parsed) && parsed == kind;

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                                                         && !string.IsNullOrEmpty(uri.Host);
}

public sealed class SavePosIntegrationHandler(
    OrderHubDbContext db, IMapper mapper, SecretProtector protector, TimeProvider time, AccessScope access, CoverageCalculator coverage)
    : IRequestHandler<SavePosIntegrationCommand, SavedPosIntegrationDto>
{
    public async Task<SavedPosIntegrationDto> Handle(SavePosIntegrationCommand request, CancellationToken cancellationToken)
    {
        await access.EnsurePickupPointAsync(request.PickupPointId, cancellationToken);

        var now = time.GetUtcNow();
        var kind = Enum.Parse<PosKind>(request.Kind!, ignoreCase: true);
        var integration = await db.PosIntegrations.FirstOrDefaultAsync(i => i.PickupPointId == request.PickupPointId, cancellationToken);
        if (integration is null)
        {
            integration = db.PosIntegrations.Add(new PosIntegration { PickupPointId = request.PickupPointId, CreatedAt = now }).Entity;
        }
        else if (integration.Kind != kind)
        {
            // A Poster token is no webhook secret and vice versa: a kind change never keeps the old one.
            integration.SecretProtected = null;
        }

        var useDefaults = request.InheritCompanyCredentialsOrDeprecated ?? false;
        if (useDefaults)
        {
            var companyId = await db.PickupPoints.Where(p => p.Id == request.PickupPointId).Select(p => p.CompanyId).FirstAsync(cancellationToken);
            var companyKind = await db.CompanyPosIntegrations.Where(c => c.CompanyId == companyId).Select(c => (PosKind?)c.Kind).FirstOrDefaultAsync(cancellationToken);
            if (companyKind != kind)
            {
                throw ProblemException.Invalid(request.InheritCompanyCredentials is null ? "useCompanyDefaults" : "inheritCompanyCredentials", companyKind is null
                    ? Msg.Of("refusal.noCompanyPos")
                    : Msg.Of("refusal.companyPosKind", ("companyKind", companyKind), ("kind", kind)));
            }
        }

        var autoSync = request.AutoSyncOnAcceptance ?? false;
        if (autoSync && !integration.AutoSyncOnAcceptance)
        {
            await GateAutoSyncAsync(integration, request, now, cancellationToken);
        }

        string? generated = null;
        var newSecret = kind == PosKind.Poster ? request.Token : request.Secret;
        if (newSecret is not null)
        {
            integration.SecretProtected = protector.Protect(newSecret);
        }
        else if (integration.SecretProtected is null && !useDefaults)
        {
            if (kind == PosKind.Poster)
            {
                throw ProblemException.Invalid("token", Msg.Of("refusal.posterToken"));
            }

            generated = StandardWebhookSignature.GenerateSecret();
            integration.SecretProtected = protector.Protect(generated);
        }

        var enabled = request.Enabled ?? true;
        if (enabled)
        {
            integration.DisabledReason = null;
        }
        else if (integration.Enabled || integration.DisabledReason is null)
        {
            integration.DisabledReason = $"Disabled by {request.Actor} at {now:u}.";
        }

        integration.Kind = kind;
        integration.Enabled = enabled;
        integration.UseCompanyDefaults = useDefaults;
        integration.AutoSyncOnAcceptance = autoSync;
        integration.PosterAccount = kind == PosKind.Poster ? request.PosterAccount : null;
        integration.PosterSpotId = kind == PosKind.Poster ? request.PosterSpotId : null;
        integration.WebhookUrl = kind == PosKind.Webhook ? request.WebhookUrl : null;
        integration.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw ProblemException.Conflict(Msg.Of("problem.posConcurrent"), Msg.Of("problem.posConcurrent.detail"));
        }

        return mapper.Map<SavedPosIntegrationDto>(integration) with { GeneratedSecret = generated };
    }

    /// <summary>
    /// Auto-sync sends every accepted order straight to the register; below 100 % coverage some would stop in
    /// NeedsMapping instead. Refused unless an override reason is given, which is then recorded on the
    /// integration and in the company's action history.
    /// </summary>
    private async Task GateAutoSyncAsync(PosIntegration integration, SavePosIntegrationCommand request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var point = await db.PickupPoints.AsNoTracking().FirstAsync(p => p.Id == request.PickupPointId, cancellationToken);
        var current = await coverage.CalculateAsync(point, cancellationToken);
        if (current.Complete)
        {
            return;
        }

        // The refusal's list reads in the reader's language; the override's stored summary (below) stays English.
        var missing = current.Missing.Select(m => MessageCatalog.Render(
            Msg.Of("coverage.missingItem", ("kind", Msg.Term("coverage.kind." + m.Kind)), ("name", m.Name), ("dotsId", m.DotsId)), MessageCatalog.CurrentLanguage)).ToList();
        if (string.IsNullOrWhiteSpace(request.AutoSyncOverrideReason) && !current.Known)
        {
            // Unknown is not "100 % of nothing": orders would stop in NeedsMapping for ids nobody has checked.
            throw ProblemException.Conflict(Msg.Of("problem.coverageUnknown"), Msg.Of("problem.coverageUnknown.point", ("companyId", point.CompanyId)),
                new Dictionary<string, object?>
                {
                    ["coverage"] = null,
                    ["coverageKnown"] = false,
                    ["fixHint"] = Msg.Of("hint.coverageUnknown", ("companyId", point.CompanyId), ("pointId", point.Id)),
                });
        }

        if (string.IsNullOrWhiteSpace(request.AutoSyncOverrideReason))
        {
            throw ProblemException.Conflict(Msg.Of("problem.coverageBelow"),
                Msg.Of("problem.coverageBelow.point", ("percent", current.Percent), ("count", current.Missing.Count),
                    ("missing", string.Join(", ", missing.Take(10)) + (missing.Count > 10 ? ", …" : ""))),
                new Dictionary<string, object?>
                {
                    ["coverage"] = current.Percent,
                    ["missingCount"] = current.Missing.Count,
                    ["missing"] = current.Missing.Take(100).Select(m => new { m.Kind, m.DotsId, m.Name, suggestion = m.Suggestion?.ExternalId }).ToList(),
                    ["fixHint"] = Msg.Of("hint.mapMissing", ("id", point.Id)),
                });
        }

        var english = current.Missing.Select(m => $"{m.Kind} '{m.Name}' ({m.DotsId})").ToList();
        var summary = string.Join(", ", english.Take(20)) + (english.Count > 20 ? $" and {english.Count - 20} more" : "");
        integration.AutoSyncOverrideAt = now;
        integration.AutoSyncOverrideBy = request.Actor;
        integration.AutoSyncOverrideReason = request.AutoSyncOverrideReason.Trim();
        integration.AutoSyncOverrideCoverage = current.Known ? current.Percent : null;
        integration.AutoSyncOverrideMissing = summary.Length <= Limits.Text ? summary : summary[..(Limits.Text - 1)] + "…";

        // Company-level history row (no order): who switched auto-sync on below full coverage, and why.
        db.OrderActions.Add(new OrderAction
        {
            CompanyId = point.CompanyId,
            At = now,
            Action = AutoSyncOverrideAction,
            Outcome = ActionOutcome.Warning,
            Actor = request.Actor,
            Message = current.Known
                ? $"Auto-sync switched on at pickup point '{point.Name}' with {current.Percent} % mapping coverage ({current.Missing.Count} missing). Reason: {integration.AutoSyncOverrideReason}"
                : $"Auto-sync switched on at pickup point '{point.Name}' with unknown mapping coverage (no Dots menu). Reason: {integration.AutoSyncOverrideReason}",
            Details = System.Text.Json.JsonSerializer.Serialize(new
            {
                pickupPointId = point.Id,
                integrationId = integration.Id,
                coverage = current.Percent,
                missingCount = current.Missing.Count,
                missing = current.Missing.Take(50).Select(m => new { kind = m.Kind, dotsId = m.DotsId }),
                reason = integration.AutoSyncOverrideReason,
            }),
        });
    }

    public const string AutoSyncOverrideAction = "pos.auto_sync_override";
}
