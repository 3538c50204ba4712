using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Catalog;
using OrderHub.Domain.Mappings;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Shared;

/// <summary>How many of one kind of Dots item have an external id at the point.</summary>
/// <summary>One kind's coverage; <c>Percent</c> is null when the menu has no item of the kind (not "100 % of nothing").</summary>
public sealed record KindCoverageDto(string Kind, int Total, int Mapped, decimal? Percent);

/// <summary>A POS catalog item suggested for a Dots item, with how alike their names are (0..1).</summary>
public sealed record SuggestionDto(string ExternalId, string Name, decimal? Price, double Score);

/// <summary>A Dots item with no external id at the point, and the POS items that look like it.</summary>
public sealed record MissingItemDto
{
    public string Kind { get; init; } = "";
    public string DotsId { get; init; } = "";
    public string Name { get; init; } = "";
    public decimal? Price { get; init; }

    /// <summary>The best POS item by name similarity (price breaks ties); null when nothing is alike enough.</summary>
    public SuggestionDto? Suggestion { get; init; }

    /// <summary>The next best candidates, best first.</summary>
    public IReadOnlyList<SuggestionDto> Alternatives { get; init; } = [];
}

/// <summary>A pickup point's mapping coverage: of the company's Dots items, how many the point can send to its POS.</summary>
public sealed record CoverageDto
{
    public Guid PickupPointId { get; init; }
    public Guid CompanyId { get; init; }
    public bool UseCompanyDefaults { get; init; }

    /// <summary>The last POS catalog import; null when never imported (then there are no suggestions).</summary>
    public DateTimeOffset? CatalogImportedAt { get; init; }
    public int CatalogItems { get; init; }

    /// <summary>Dots items known for the company (uploaded menu and items seen in orders).</summary>
    public int DotsItems { get; init; }
    public int MappedItems { get; init; }

    /// <summary>
    /// False when no Dots item is known for the company (no menu imported, none seen in orders): coverage is then
    /// unknown, not complete, and the auto-sync gate treats it as below 100 %.
    /// </summary>
    public bool Known { get; init; }

    /// <summary>Mapped items over all Dots items, 0..100 with two decimals; 0 when coverage is unknown (<c>known</c> false).</summary>
    public decimal Percent { get; init; }

    /// <summary>Every known Dots item has an external id; false when coverage is unknown.</summary>
    public bool Complete { get; init; }
    public IReadOnlyList<KindCoverageDto> Kinds { get; init; } = [];
    public IReadOnlyList<MissingItemDto> Missing { get; init; } = [];

    /// <summary>Where <c>coverage/accept</c> writes by default: <c>company</c> (the point uses company defaults) or <c>pickupPoint</c>.</summary>
    public string AcceptTarget { get; init; } = "";
}

/// <summary>
/// Counts coverage with the same <see cref="ExternalIdResolver"/> that resolves orders (company defaults plus
/// the point's overrides, unless it uses company defaults only), and suggests POS items for what is missing.
/// </summary>
public sealed class CoverageCalculator(OrderHubDbContext db)
{
    /// <summary>Below this similarity a POS item is not suggested.</summary>
    public const double MinimumScore = 0.3;

    private const int Alternatives = 2;

    public async Task<CoverageDto> CalculateAsync(PickupPoint point, CancellationToken cancellationToken)
    {
        var dots = await db.DotsMenuItems.AsNoTracking().Where(i => i.CompanyId == point.CompanyId).ToListAsync(cancellationToken);
        var mappings = await db.ExternalIds.AsNoTracking().Where(m => m.ScopeId == point.CompanyId || m.ScopeId == point.Id).ToListAsync(cancellationToken);
        var catalog = await db.PosCatalogItems.AsNoTracking().Where(i => i.PickupPointId == point.Id).ToListAsync(cancellationToken);
        return Calculate(point, dots, mappings, catalog);
    }

    public static CoverageDto Calculate(PickupPoint point, IReadOnlyList<DotsMenuItem> dots, IReadOnlyList<ExternalIdMapping> mappings, IReadOnlyList<PosCatalogItem> catalog)
    {
        var resolver = new ExternalIdResolver(mappings, point.Id, point.UseCompanyDefaults);
        var active = catalog.Where(c => c.RemovedAt is null).ToList();
        var candidates = active.GroupBy(c => c.Kind)
            .ToDictionary(g => g.Key, g => g.Select(c => (Item: c, Name: NameSimilarity.Prepare(c.Name))).ToList());

        var missing = new List<MissingItemDto>();
        var kinds = new List<KindCoverageDto>();
        foreach (var kind in Enum.GetValues<ExternalIdKind>())
        {
            var items = dots.Where(d => d.Kind == kind).ToList();
            var mapped = 0;
            foreach (var item in items.OrderBy(i => i.Name, StringComparer.CurrentCulture))
            {
                if (resolver.Resolve(kind, item.DotsId, item.Name) is not null)
                {
                    mapped++;
                    continue;
                }

                var ranked = Rank(item, candidates.GetValueOrDefault(kind) ?? []);
                missing.Add(new MissingItemDto
                {
                    Kind = kind.ToString(),
                    DotsId = item.DotsId,
                    Name = item.Name,
                    Price = item.Price,
                    Suggestion = ranked.FirstOrDefault(),
                    Alternatives = ranked.Skip(1).ToList(),
                });
            }

            kinds.Add(new KindCoverageDto(kind.ToString(), items.Count, mapped, items.Count == 0 ? null : Percent(mapped, items.Count)));
        }

        var total = dots.Count;
        var mappedTotal = total - missing.Count;
        return new CoverageDto
        {
            PickupPointId = point.Id,
            CompanyId = point.CompanyId,
            UseCompanyDefaults = point.UseCompanyDefaults,
            CatalogImportedAt = catalog.Count == 0 ? null : catalog.Max(c => c.ImportedAt),
            CatalogItems = active.Count,
            DotsItems = total,
            MappedItems = mappedTotal,
            Known = total > 0,
            Percent = total == 0 ? 0m : Percent(mappedTotal, total),
            Complete = total > 0 && missing.Count == 0,
            Kinds = kinds,
            Missing = missing,
            AcceptTarget = point.UseCompanyDefaults ? "company" : "pickupPoint",
        };
    }

    /// <summary>Best first: similarity (to two decimals), then the closer price, then the name.</summary>
    public static IReadOnlyList<SuggestionDto> Rank(DotsMenuItem item, IReadOnlyList<(PosCatalogItem Item, NameSimilarity.Prepared Name)> candidates)
    {
        var name = NameSimilarity.Prepare(item.Name);
        return candidates
            .Select(c => (c.Item, Score: NameSimilarity.Score(name, c.Name)))
            .Where(c => c.Score >= MinimumScore)
            .OrderByDescending(c => Math.Round(c.Score, 2))
            .ThenBy(c => item.Price is { } p && c.Item.Price is { } q ? Math.Abs(p - q) : decimal.MaxValue)
            .ThenByDescending(c => c.Score)
            .ThenBy(c => c.Item.Name, StringComparer.Ordinal)
            .Take(1 + Alternatives)
            .Select(c => new SuggestionDto(c.Item.ExternalId, c.Item.Name, c.Item.Price, c.Score))
            .ToList();
    }

    /// <summary>The problem detail an auto-sync gate gives when a point's coverage is unknown.</summary>
    public const string UnknownDetail =
        "no Dots item is known for the company, so coverage is unknown: import the Dots menu (PUT /api/companies/{id}/dots-menu) or collect it from orders (POST …/dots-menu/from-orders)";

    /// <summary>100 for a kind with no item (nothing of that kind to map); the whole point's figure is 0 when nothing is known.</summary>
    public static decimal Percent(int part, int whole) =>
        whole == 0 ? 100m : Math.Floor(10000m * part / whole) / 100m;
}
