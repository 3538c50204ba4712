namespace OrderHub.Domain.Mappings;

/// <summary>A Dots item that has no external id at the pickup point.</summary>
public sealed record MissingExternalId(ExternalIdKind Kind, string DotsId, string Name);

/// <summary>
/// Looks up external ids for one pickup point: its own overrides first (unless it uses the company defaults),
/// then the company defaults.
/// </summary>
public sealed class ExternalIdResolver
{
    private readonly Dictionary<(ExternalIdKind, string), string> _pointIds;
    private readonly Dictionary<(ExternalIdKind, string), string> _companyIds;
    private readonly bool _useCompanyDefaultsOnly;
    private readonly List<MissingExternalId> _missing = [];

    public ExternalIdResolver(IEnumerable<ExternalIdMapping> mappings, Guid? pickupPointId, bool useCompanyDefaultsOnly)
    {
        _pointIds = [];
        _companyIds = [];
        foreach (var m in mappings)
        {
            var target = m.PickupPointId is null ? _companyIds : m.PickupPointId == pickupPointId ? _pointIds : null;
            if (target is not null)
            {
                target[(m.Kind, m.DotsId)] = m.ExternalId;
            }
        }

        _useCompanyDefaultsOnly = useCompanyDefaultsOnly;
    }

    /// <summary>Every item asked for that had no id, in the order asked, each once.</summary>
    public IReadOnlyList<MissingExternalId> Missing => _missing;

    /// <summary>Returns the external id, or null after recording the item as missing.</summary>
    public string? Resolve(ExternalIdKind kind, string dotsId, string name)
    {
        if (!_useCompanyDefaultsOnly && _pointIds.TryGetValue((kind, dotsId), out var own))
        {
            return own;
        }

        if (_companyIds.TryGetValue((kind, dotsId), out var inherited))
        {
            return inherited;
        }

        if (!_missing.Exists(m => m.Kind == kind && m.DotsId == dotsId))
        {
            _missing.Add(new MissingExternalId(kind, dotsId, name));
        }

        return null;
    }
}
