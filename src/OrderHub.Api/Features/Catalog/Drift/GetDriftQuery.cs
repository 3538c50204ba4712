using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Catalog.PosCatalog;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Catalog;
using OrderHub.Domain.Mappings;

namespace OrderHub.Api.Features.Catalog.Drift;

/// <summary>An external id the point sends that its POS catalog no longer has.</summary>
public sealed record StaleExternalIdDto
{
    public string Kind { get; init; } = "";
    public string DotsId { get; init; } = "";
    public string? DotsName { get; init; }
    public string ExternalId { get; init; } = "";

    /// <summary><c>overridden</c> (the point's own id) or <c>inherited</c> (the company default).</summary>
    public string Source { get; init; } = "";

    /// <summary>What the POS called it, when an earlier import saw it; and when it disappeared.</summary>
    public string? PosName { get; init; }
    public DateTimeOffset? RemovedAt { get; init; }
    public SuggestionDto? Suggestion { get; init; }
    public FixAction Fix { get; init; } = new();
}

/// <summary>A mapped item renamed or repriced on one side after its mapping was last confirmed.</summary>
public sealed record ChangedItemDto
{
    /// <summary><c>pos</c> or <c>dots</c>: where it changed.</summary>
    public string Side { get; init; } = "";

    /// <summary><c>renamed</c>, <c>repriced</c> or <c>renamed, repriced</c>.</summary>
    public string Change { get; init; } = "";
    public string Kind { get; init; } = "";
    public string DotsId { get; init; } = "";
    public string ExternalId { get; init; } = "";
    public string Name { get; init; } = "";
    public string? PreviousName { get; init; }
    public decimal? Price { get; init; }
    public decimal? PreviousPrice { get; init; }

    /// <summary>The name on the other side now (the POS name for a Dots change, the Dots name for a POS change).</summary>
    public string? CounterpartName { get; init; }
    public DateTimeOffset ChangedAt { get; init; }
    public FixAction Fix { get; init; } = new();
}

/// <summary>A Dots item the point has no external id for.</summary>
public sealed record UnmappedDotsItemDto
{
    public string Kind { get; init; } = "";
    public string DotsId { get; init; } = "";
    public string Name { get; init; } = "";
    public decimal? Price { get; init; }
    public DateTimeOffset FirstSeenAt { get; init; }
    public SuggestionDto? Suggestion { get; init; }
    public FixAction Fix { get; init; } = new();
}

/// <summary>Where a pickup point's mappings and menus have drifted apart, each finding with its fix.</summary>
public sealed record DriftDto
{
    public Guid PickupPointId { get; init; }

    /// <summary>The last POS catalog import; stale ids and POS-side changes need one.</summary>
    public DateTimeOffset? CatalogImportedAt { get; init; }
    public int Findings { get; init; }
    public IReadOnlyList<StaleExternalIdDto> MissingInPos { get; init; } = [];
    public IReadOnlyList<ChangedItemDto> Changed { get; init; } = [];

    /// <summary>Dots items with no id at the point, newest first.</summary>
    public IReadOnlyList<UnmappedDotsItemDto> UnmappedDotsItems { get; init; } = [];
}

public sealed record GetDriftQuery(Guid PickupPointId) : IRequest<DriftDto>;

public sealed class GetDriftHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<GetDriftQuery, DriftDto>
{
    public async Task<DriftDto> Handle(GetDriftQuery request, CancellationToken cancellationToken)
    {
        var point = await CatalogAccess.PointAsync(db, access, request.PickupPointId, cancellationToken);
        var dots = await db.DotsMenuItems.AsNoTracking().Where(i => i.CompanyId == point.CompanyId).ToListAsync(cancellationToken);
        var mappings = await db.ExternalIds.AsNoTracking().Where(m => m.ScopeId == point.CompanyId || m.ScopeId == point.Id).ToListAsync(cancellationToken);
        var catalog = await db.PosCatalogItems.AsNoTracking().Where(i => i.PickupPointId == point.Id).ToListAsync(cancellationToken);

        var accept = $"/api/pickup-points/{point.Id}/coverage/accept";
        var target = point.UseCompanyDefaults ? "company" : "pickupPoint";
        var active = catalog.Where(c => c.RemovedAt is null).ToDictionary(c => (c.Kind, c.ExternalId));
        var removed = catalog.Where(c => c.RemovedAt is not null).ToDictionary(c => (c.Kind, c.ExternalId));
        var candidates = active.Values.GroupBy(c => c.Kind)
            .ToDictionary(g => g.Key, g => g.Select(c => (Item: c, Name: NameSimilarity.Prepare(c.Name))).ToList());
        var dotsByKey = dots.ToDictionary(d => (d.Kind, d.DotsId));

        // A kind the catalog never had is not checked: Poster's menu lists no promotions, so every promotion id
        // would look stale.
        var checkedKinds = catalog.Select(c => c.Kind).ToHashSet();

        // The mapping row that counts at this point (the resolver's rule): the point's own unless it uses company defaults.
        var own = mappings.Where(m => m.PickupPointId == point.Id).ToDictionary(m => (m.Kind, m.DotsId));
        var inherited = mappings.Where(m => m.PickupPointId is null).ToDictionary(m => (m.Kind, m.DotsId));
        var effective = own.Keys.Concat(inherited.Keys).Distinct()
            .Select(key => (Key: key, Row: !point.UseCompanyDefaults && own.TryGetValue(key, out var o) ? o : inherited.GetValueOrDefault(key)))
            .Where(x => x.Row is not null)
            .Select(x => (x.Key, Row: x.Row!, Source: x.Row!.PickupPointId is null ? "inherited" : "overridden"))
            .ToList();

        var stale = new List<StaleExternalIdDto>();
        var changed = new List<ChangedItemDto>();
        foreach (var (key, row, source) in effective.OrderBy(e => e.Key.Kind).ThenBy(e => e.Key.DotsId, StringComparer.Ordinal))
        {
            var dotsItem = dotsByKey.GetValueOrDefault(key);
            var dotsName = dotsItem?.Name ?? row.Name;
            if (checkedKinds.Contains(key.Kind) && !active.TryGetValue((key.Kind, row.ExternalId), out _))
            {
                var was = removed.GetValueOrDefault((key.Kind, row.ExternalId));
                var suggestion = dotsName is null ? null : CoverageCalculator.Rank(
                    new DotsMenuItem { Name = dotsName, Price = dotsItem?.Price }, candidates.GetValueOrDefault(key.Kind) ?? []).FirstOrDefault();
                stale.Add(new StaleExternalIdDto
                {
                    Kind = key.Kind.ToString(),
                    DotsId = key.DotsId,
                    DotsName = dotsName,
                    ExternalId = row.ExternalId,
                    Source = source,
                    PosName = was?.Name,
                    RemovedAt = was?.RemovedAt,
                    Suggestion = suggestion,
                    Fix = suggestion is null
                        ? new FixAction
                        {
                            Text = $"The POS has no {key.Kind.ToString().ToLowerInvariant()} {row.Hint()}: orders with '{dotsName}' will be refused. Map it to an item of the POS catalog, or add the item in the POS and import again.",
                            Method = "GET",
                            Path = $"/api/pickup-points/{point.Id}/pos-catalog?kind={key.Kind}",
                        }
                        : Accept(accept, target, key, suggestion.ExternalId,
                            $"The POS has no {key.Kind.ToString().ToLowerInvariant()} {row.Hint()}: orders with '{dotsName}' will be refused. Map it to '{suggestion.Name}' ({suggestion.ExternalId}), the closest POS item."),
                });
                continue;
            }

            var posItem = active.GetValueOrDefault((key.Kind, row.ExternalId));
            if (posItem is { ChangedAt: { } posChangedAt } && posChangedAt > row.UpdatedAt)
            {
                changed.Add(Change("pos", key, row.ExternalId, posItem.Name, posItem.PreviousName, posItem.Price, posItem.PreviousPrice, dotsName, posChangedAt,
                    Accept(accept, target, key, row.ExternalId,
                        $"The POS changed {key.Kind.ToString().ToLowerInvariant()} {row.ExternalId} ({Describe(posItem.PreviousName, posItem.Name, posItem.PreviousPrice, posItem.Price)}). If it still is '{dotsName}', confirm the mapping; otherwise map '{dotsName}' to the right POS item.")));
            }

            if (dotsItem is { ChangedAt: { } dotsChangedAt } && dotsChangedAt > row.UpdatedAt)
            {
                changed.Add(Change("dots", key, row.ExternalId, dotsItem.Name, dotsItem.PreviousName, dotsItem.Price, dotsItem.PreviousPrice, posItem?.Name, dotsChangedAt,
                    Accept(accept, target, key, row.ExternalId,
                        $"Dots changed '{dotsItem.Name}' ({Describe(dotsItem.PreviousName, dotsItem.Name, dotsItem.PreviousPrice, dotsItem.Price)}). If POS item {row.ExternalId}{(posItem is null ? "" : $" '{posItem.Name}'")} still is it, confirm the mapping; otherwise map it to the right POS item.")));
            }
        }

        var resolver = new ExternalIdResolver(mappings, point.Id, point.UseCompanyDefaults);
        var unmapped = dots.Where(d => resolver.Resolve(d.Kind, d.DotsId, d.Name) is null)
            .OrderByDescending(d => d.FirstSeenAt).ThenBy(d => d.Name, StringComparer.CurrentCulture)
            .Select(d =>
            {
                var suggestion = CoverageCalculator.Rank(d, candidates.GetValueOrDefault(d.Kind) ?? []).FirstOrDefault();
                return new UnmappedDotsItemDto
                {
                    Kind = d.Kind.ToString(),
                    DotsId = d.DotsId,
                    Name = d.Name,
                    Price = d.Price,
                    FirstSeenAt = d.FirstSeenAt,
                    Suggestion = suggestion,
                    Fix = suggestion is null
                        ? new FixAction
                        {
                            Text = $"'{d.Name}' has no POS id and nothing in the POS catalog looks like it: add it in the POS and import again, or set its id by hand.",
                            Method = "PUT",
                            Path = target == "company" ? $"/api/companies/{point.CompanyId}/external-ids" : $"/api/pickup-points/{point.Id}/external-ids",
                        }
                        : Accept(accept, target, (d.Kind, d.DotsId), suggestion.ExternalId,
                            $"'{d.Name}' has no POS id: accept '{suggestion.Name}' ({suggestion.ExternalId}), or pick another POS item."),
                };
            })
            .ToList();

        return new DriftDto
        {
            PickupPointId = point.Id,
            CatalogImportedAt = catalog.Count == 0 ? null : catalog.Max(c => c.ImportedAt),
            Findings = stale.Count + changed.Count + unmapped.Count,
            MissingInPos = stale,
            Changed = changed,
            UnmappedDotsItems = unmapped,
        };
    }

    private static ChangedItemDto Change(string side, (ExternalIdKind Kind, string DotsId) key, string externalId, string name, string? previousName,
        decimal? price, decimal? previousPrice, string? counterpart, DateTimeOffset at, FixAction fix) => new()
    {
        Side = side,
        Change = string.Join(", ", new[] { previousName is not null && previousName != name ? "renamed" : null, previousPrice != price ? "repriced" : null }.OfType<string>()),
        Kind = key.Kind.ToString(),
        DotsId = key.DotsId,
        ExternalId = externalId,
        Name = name,
        PreviousName = previousName,
        Price = price,
        PreviousPrice = previousPrice,
        CounterpartName = counterpart,
        ChangedAt = at,
        Fix = fix,
    };

    private static string Describe(string? previousName, string name, decimal? previousPrice, decimal? price) =>
        string.Join(", ", new[]
        {
            previousName is not null && previousName != name ? $"renamed from '{previousName}' to '{name}'" : null,
            previousPrice != price ? $"price {previousPrice?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) ?? "none"} → {price?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) ?? "none"}" : null,
        }.OfType<string>());

    private static FixAction Accept(string path, string target, (ExternalIdKind Kind, string DotsId) key, string externalId, string text) => new()
    {
        Text = text,
        Method = "POST",
        Path = path,
        Body = new { target, items = new[] { new { kind = key.Kind.ToString(), dotsId = key.DotsId, externalId } } },
    };
}

internal static class DriftText
{
    public static string Hint(this ExternalIdMapping row) => $"'{row.ExternalId}'";
}
