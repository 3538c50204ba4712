using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Shared;

/// <summary>Where an effective POS setting comes from.</summary>
public static class PosSettingSource
{
    public const string Company = "company";
    public const string Point = "point";
}

/// <summary>A pickup point's effective POS integration and, per field, whether it is the point's own or the company's.</summary>
public sealed record EffectivePosIntegration(PosIntegration Integration, IReadOnlyDictionary<string, string> Sources, bool HasOwn);

/// <summary>
/// The one place that answers "which POS does this pickup point export to": the point's own integration, the
/// company's default where the point has none, or the two merged field by field when the point's integration
/// says "use company defaults" (e.g. the company's Poster account and token with the point's own spot id).
/// The returned integrations are detached copies: never save them.
/// </summary>
public static class EffectivePosIntegrations
{
    public static async Task<EffectivePosIntegration?> ForPointAsync(OrderHubDbContext db, Guid pickupPointId, CancellationToken cancellationToken) =>
        (await ForPointsAsync(db, [pickupPointId], cancellationToken)).GetValueOrDefault(pickupPointId);

    /// <summary>For a point already read: its company is known, so one query less (intake resolves every order with it).</summary>
    public static async Task<EffectivePosIntegration?> ForPointAsync(OrderHubDbContext db, PickupPoint point, CancellationToken cancellationToken) =>
        (await ForPointsAsync(db, [point], cancellationToken)).GetValueOrDefault(point.Id);

    public static async Task<Dictionary<Guid, EffectivePosIntegration>> ForPointsAsync(
        OrderHubDbContext db, IReadOnlyCollection<Guid> pickupPointIds, CancellationToken cancellationToken)
    {
        var companies = await db.PickupPoints.AsNoTracking().Where(p => pickupPointIds.Contains(p.Id))
            .Select(p => new { p.Id, p.CompanyId }).ToDictionaryAsync(p => p.Id, p => p.CompanyId, cancellationToken);
        return await ForPointsAsync(db, companies, cancellationToken);
    }

    /// <summary>For points already read (the dispatcher's batch).</summary>
    public static Task<Dictionary<Guid, EffectivePosIntegration>> ForPointsAsync(
        OrderHubDbContext db, IEnumerable<PickupPoint> points, CancellationToken cancellationToken) =>
        ForPointsAsync(db, points.ToDictionary(p => p.Id, p => p.CompanyId), cancellationToken);

    private static async Task<Dictionary<Guid, EffectivePosIntegration>> ForPointsAsync(
        OrderHubDbContext db, Dictionary<Guid, Guid> companies, CancellationToken cancellationToken)
    {
        var pickupPointIds = companies.Keys.ToList();
        var own = await db.PosIntegrations.AsNoTracking().Where(i => pickupPointIds.Contains(i.PickupPointId))
            .ToDictionaryAsync(i => i.PickupPointId, cancellationToken);
        // Only points without an integration of their own, or whose own one inherits, need the company's default.
        var companyIds = companies.Where(p => own.GetValueOrDefault(p.Key) is not { UseCompanyDefaults: false })
            .Select(p => p.Value).Distinct().ToList();
        var defaults = companyIds.Count == 0
            ? []
            : await db.CompanyPosIntegrations.AsNoTracking().Where(c => companyIds.Contains(c.CompanyId))
                .ToDictionaryAsync(c => c.CompanyId, cancellationToken);

        var result = new Dictionary<Guid, EffectivePosIntegration>();
        foreach (var (pointId, companyId) in companies)
        {
            var merged = Merge(own.GetValueOrDefault(pointId), defaults.GetValueOrDefault(companyId), pointId);
            if (merged is not null)
            {
                result[pointId] = merged;
            }
        }

        return result;
    }

    /// <summary>
    /// The webhook POS behind <c>/webhooks/pos/{integrationId}</c>: a point's own integration (its effective secret,
    /// orders of that point only) or a company default (orders of the company's points that have no integration of
    /// their own). Null when neither is a webhook integration with that id.
    /// </summary>
    public static async Task<(string? SecretProtected, Guid CompanyId, Guid? PickupPointId)?> WebhookByIdAsync(
        OrderHubDbContext db, Guid integrationId, CancellationToken cancellationToken)
    {
        var pointId = await db.PosIntegrations.AsNoTracking().Where(i => i.Id == integrationId).Select(i => (Guid?)i.PickupPointId)
            .FirstOrDefaultAsync(cancellationToken);
        if (pointId is { } point)
        {
            var effective = await ForPointAsync(db, point, cancellationToken);
            var companyId = await db.PickupPoints.AsNoTracking().Where(p => p.Id == point).Select(p => p.CompanyId).FirstAsync(cancellationToken);
            return effective?.Integration.Kind == PosKind.Webhook ? (effective.Integration.SecretProtected, companyId, point) : null;
        }

        var company = await db.CompanyPosIntegrations.AsNoTracking()
            .FirstOrDefaultAsync(c => c.Id == integrationId && c.Kind == PosKind.Webhook, cancellationToken);
        return company is null ? null : (company.SecretProtected, company.CompanyId, null);
    }

    /// <summary>
    /// The pickup points on Poster account <paramref name="account"/>, each with its effective integration: those
    /// whose own integration names it, and those inheriting it from their company's default.
    /// </summary>
    public static async Task<Dictionary<Guid, EffectivePosIntegration>> OnPosterAccountAsync(
        OrderHubDbContext db, string account, CancellationToken cancellationToken)
    {
        var companies = db.CompanyPosIntegrations.Where(c => c.Kind == PosKind.Poster && c.PosterAccount == account).Select(c => c.CompanyId);
        var pointIds = await db.PickupPoints.AsNoTracking()
            .Where(p => db.PosIntegrations.Any(i => i.PickupPointId == p.Id && i.Kind == PosKind.Poster && i.PosterAccount == account)
                        || (companies.Contains(p.CompanyId) && !db.PosIntegrations.Any(i => i.PickupPointId == p.Id && (i.Kind != PosKind.Poster || i.PosterAccount != null || !i.UseCompanyDefaults))))
            .Select(p => p.Id).ToListAsync(cancellationToken);
        return (await ForPointsAsync(db, pointIds, cancellationToken))
            .Where(e => e.Value.Integration is { Kind: PosKind.Poster } i && i.PosterAccount == account)
            .ToDictionary(e => e.Key, e => e.Value);
    }

    public static EffectivePosIntegration? Merge(PosIntegration? point, CompanyPosIntegration? company, Guid pickupPointId)
    {
        if (point is null && company is null)
        {
            return null;
        }

        var sources = new Dictionary<string, string>();
        if (point is null)
        {
            foreach (var field in Fields)
            {
                sources[field] = PosSettingSource.Company;
            }

            return new EffectivePosIntegration(new PosIntegration
            {
                Id = company!.Id,
                PickupPointId = pickupPointId,
                Kind = company.Kind,
                Enabled = company.Enabled,
                DisabledReason = company.Enabled ? null : PosDisabledReasons.CompanyDefaultDisabled,
                AutoSyncOnAcceptance = company.AutoSyncOnAcceptance,
                PosterAccount = company.Kind == PosKind.Poster ? company.PosterAccount : null,
                WebhookUrl = company.Kind == PosKind.Webhook ? company.WebhookUrl : null,
                SecretProtected = company.SecretProtected,
                CreatedAt = company.CreatedAt,
                UpdatedAt = company.UpdatedAt,
            }, sources, HasOwn: false);
        }

        var copy = Copy(point);
        foreach (var field in Fields)
        {
            sources[field] = PosSettingSource.Point;
        }

        if (point.UseCompanyDefaults && company is not null && company.Kind == point.Kind)
        {
            if (copy.Kind == PosKind.Poster && copy.PosterAccount is null)
            {
                copy.PosterAccount = company.PosterAccount;
                sources[nameof(PosIntegration.PosterAccount)] = PosSettingSource.Company;
            }

            if (copy.Kind == PosKind.Webhook && copy.WebhookUrl is null)
            {
                copy.WebhookUrl = company.WebhookUrl;
                sources[nameof(PosIntegration.WebhookUrl)] = PosSettingSource.Company;
            }

            if (copy.SecretProtected is null)
            {
                copy.SecretProtected = company.SecretProtected;
                sources[Secret] = PosSettingSource.Company;
            }

            if (!company.Enabled)
            {
                copy.Enabled = false;
                copy.DisabledReason ??= PosDisabledReasons.CompanyDefaultDisabled;
                sources[nameof(PosIntegration.Enabled)] = PosSettingSource.Company;
            }
        }

        return new EffectivePosIntegration(copy, sources, HasOwn: true);
    }

    /// <summary>The fields whose source is reported (camelCase in JSON).</summary>
    public static readonly string[] Fields =
    [
        nameof(PosIntegration.Kind), nameof(PosIntegration.Enabled), nameof(PosIntegration.AutoSyncOnAcceptance),
        nameof(PosIntegration.PosterAccount), nameof(PosIntegration.PosterSpotId), nameof(PosIntegration.WebhookUrl), Secret,
    ];

    public const string Secret = "Secret";

    private static PosIntegration Copy(PosIntegration i) => new()
    {
        Id = i.Id,
        PickupPointId = i.PickupPointId,
        Kind = i.Kind,
        Enabled = i.Enabled,
        UseCompanyDefaults = i.UseCompanyDefaults,
        AutoSyncOnAcceptance = i.AutoSyncOnAcceptance,
        PosterAccount = i.PosterAccount,
        PosterSpotId = i.PosterSpotId,
        WebhookUrl = i.WebhookUrl,
        SecretProtected = i.SecretProtected,
        DisabledReason = i.DisabledReason,
        LastCheckAt = i.LastCheckAt,
        LastCheckOk = i.LastCheckOk,
        LastCheckMessage = i.LastCheckMessage,
        LastCheckReason = i.LastCheckReason,
        LastCheckFixHint = i.LastCheckFixHint,
        AutoSyncOverrideAt = i.AutoSyncOverrideAt,
        AutoSyncOverrideBy = i.AutoSyncOverrideBy,
        AutoSyncOverrideReason = i.AutoSyncOverrideReason,
        AutoSyncOverrideCoverage = i.AutoSyncOverrideCoverage,
        AutoSyncOverrideMissing = i.AutoSyncOverrideMissing,
        Mode = i.Mode, // shadow mode (issue 18): the point's own; a company default is always Live
        CreatedAt = i.CreatedAt,
        UpdatedAt = i.UpdatedAt,
    };
}
