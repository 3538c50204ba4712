using Microsoft.EntityFrameworkCore;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.Mappings;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Persistence;

/// <summary>What a unit of work's use cases will read, named before they run, so it is read once for all of them.</summary>
/// <param name="Companies">The companies of the unit's events.</param>
/// <param name="WebhookIds">The events' webhook-ids and dedup keys: an inbound event matching none of them is not stored yet.</param>
/// <param name="AddressIds">The Dots addresses (pickup points) the orders name.</param>
/// <param name="DotsIds">Every product, variant, modifier and promotion id of the orders.</param>
public sealed record ReadAheadKeys(
    IReadOnlyCollection<Guid> Companies,
    IReadOnlyCollection<string> WebhookIds,
    IReadOnlyCollection<string> DedupKeys,
    IReadOnlyCollection<string> AddressIds,
    IReadOnlyCollection<string> DotsIds);

/// <summary>
/// Rows read ahead, once, for a unit of work that applies many events (an inbox round): the events already stored,
/// the pickup points, the external ids, the POS integrations and the fiscal connections the orders need. Scoped:
/// it lives as long as the unit, so nothing in it is older than the unit. Use cases ask it first and read the
/// database themselves when it has not read what they ask for (every use case outside such a unit).
/// </summary>
public sealed class ReadAhead
{
    private HashSet<(Guid, string)>? _storedKeys;
    private HashSet<string>? _askedKeys;
    private Dictionary<(Guid, string), PickupPoint>? _points;
    private HashSet<(Guid, string)>? _askedAddresses;
    private List<ExternalIdMapping>? _mappings;
    private HashSet<string>? _askedDotsIds;
    private HashSet<Guid>? _companies;
    private Dictionary<Guid, PosIntegration>? _ownIntegrations;
    private Dictionary<Guid, CompanyPosIntegration>? _companyIntegrations;
    private List<FiscalConnection>? _fiscalConnections;

    public bool Loaded => _companies is not null;

    /// <summary>Reads everything <paramref name="keys"/> names: five queries for the whole unit.</summary>
    public async Task LoadAsync(OrderHubDbContext db, ReadAheadKeys keys, CancellationToken cancellationToken)
    {
        var companies = keys.Companies.ToList();
        var askedKeys = keys.WebhookIds.Concat(keys.DedupKeys).ToHashSet(StringComparer.Ordinal);
        var webhookIds = keys.WebhookIds.ToList();
        var dedupKeys = keys.DedupKeys.ToList();
        // Two lookups in one query (UNION ALL), each along its own index. As one condition with OR, SQLite read
        // every event of the company: a scan that grew with the history, on every round.
        var stored = await db.InboundEvents.AsNoTracking()
            .Where(e => companies.Contains(e.CompanyId) && webhookIds.Contains(e.WebhookId))
            .Select(e => new { e.CompanyId, e.WebhookId, e.DedupKey })
            .Concat(db.InboundEvents.AsNoTracking()
                .Where(e => companies.Contains(e.CompanyId) && dedupKeys.Contains(e.DedupKey))
                .Select(e => new { e.CompanyId, e.WebhookId, e.DedupKey }))
            .ToListAsync(cancellationToken);

        var addresses = keys.AddressIds.ToList();
        var points = await db.PickupPoints.AsNoTracking()
            .Where(p => companies.Contains(p.CompanyId) && addresses.Contains(p.DotsAddressId))
            .ToListAsync(cancellationToken);

        var dotsIds = keys.DotsIds.ToList();
        var mappings = dotsIds.Count == 0
            ? []
            : await db.ExternalIds.AsNoTracking().Where(m => companies.Contains(m.CompanyId) && dotsIds.Contains(m.DotsId)).ToListAsync(cancellationToken);

        var pointIds = points.Select(p => p.Id).ToList();
        var own = await db.PosIntegrations.AsNoTracking().Where(i => pointIds.Contains(i.PickupPointId)).ToListAsync(cancellationToken);
        var defaults = await db.CompanyPosIntegrations.AsNoTracking().Where(c => companies.Contains(c.CompanyId)).ToListAsync(cancellationToken);
        var scopes = companies.Concat(pointIds).ToList();
        var fiscal = await db.FiscalConnections.AsNoTracking().Where(c => scopes.Contains(c.ScopeId)).ToListAsync(cancellationToken);

        _storedKeys = [.. stored.Select(e => (e.CompanyId, e.WebhookId)), .. stored.Select(e => (e.CompanyId, e.DedupKey))];
        _askedKeys = askedKeys;
        _points = points.ToDictionary(p => (p.CompanyId, p.DotsAddressId));
        _askedAddresses = [.. companies.SelectMany(c => addresses.Select(a => (c, a)))];
        _mappings = mappings;
        _askedDotsIds = [.. dotsIds];
        _ownIntegrations = own.ToDictionary(i => i.PickupPointId);
        _companyIntegrations = defaults.ToDictionary(c => c.CompanyId);
        _fiscalConnections = fiscal;
        _companies = [.. companies];
    }

    /// <summary>True when it is known that the company stores no inbound event with this webhook-id or dedup key.</summary>
    public bool IsNotStored(Guid companyId, string webhookId, string dedupKey) =>
        _storedKeys is not null && _askedKeys!.Contains(webhookId) && _askedKeys.Contains(dedupKey)
        && !_storedKeys.Contains((companyId, webhookId)) && !_storedKeys.Contains((companyId, dedupKey));

    /// <summary>The company's pickup point at a Dots address, when read ahead (the point is null when there is none).</summary>
    public bool TryGetPoint(Guid companyId, string dotsAddressId, out PickupPoint? point)
    {
        point = null;
        if (_askedAddresses?.Contains((companyId, dotsAddressId)) != true)
        {
            return false;
        }

        point = _points!.GetValueOrDefault((companyId, dotsAddressId));
        return true;
    }

    /// <summary>The external ids of <paramref name="dotsIds"/> for a point (its own and the company's defaults), when read ahead.</summary>
    public IReadOnlyList<ExternalIdMapping>? Mappings(Guid companyId, Guid pickupPointId, IReadOnlyCollection<string> dotsIds)
    {
        if (_companies?.Contains(companyId) != true || !dotsIds.All(_askedDotsIds!.Contains))
        {
            return null;
        }

        var wanted = dotsIds.ToHashSet(StringComparer.Ordinal);
        return _mappings!.Where(m => m.CompanyId == companyId && (m.PickupPointId == null || m.PickupPointId == pickupPointId) && wanted.Contains(m.DotsId)).ToList();
    }

    /// <summary>A point's own POS integration and its company's default, as stored, when read ahead (a point read ahead).</summary>
    public bool TryGetIntegrations(PickupPoint point, out PosIntegration? own, out CompanyPosIntegration? companyDefault)
    {
        (own, companyDefault) = (null, null);
        if (_companies?.Contains(point.CompanyId) != true || !_points!.ContainsKey((point.CompanyId, point.DotsAddressId)))
        {
            return false;
        }

        own = _ownIntegrations!.GetValueOrDefault(point.Id);
        companyDefault = _companyIntegrations!.GetValueOrDefault(point.CompanyId);
        return true;
    }

    /// <summary>The fiscal connections of a company and one of its points read ahead, as stored.</summary>
    public IReadOnlyList<FiscalConnection>? FiscalConnections(Guid companyId, Guid pickupPointId) =>
        _companies?.Contains(companyId) == true && _points!.Values.Any(p => p.Id == pickupPointId)
            ? _fiscalConnections!.Where(c => c.ScopeId == companyId || c.ScopeId == pickupPointId).ToList()
            : null;
}
