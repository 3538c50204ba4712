using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Catalog;
using OrderHub.Domain.Mappings;
using OrderHub.Domain.Orders;

namespace OrderHub.Api.Features.Catalog.DotsMenu;

/// <summary>One sighting of a Dots item: in an uploaded menu, or in an order received at <see cref="At"/>.</summary>
public sealed record DotsItemSighting(ExternalIdKind Kind, string DotsId, string Name, decimal? Price, DateTimeOffset At);

/// <summary>
/// Keeps a company's Dots menu: what it sells, from uploaded Dots menu exports and from the items its orders
/// carried. The newest sighting of an item decides its name and price; a change keeps the values before it.
/// </summary>
public sealed class DotsMenuStore(OrderHubDbContext db)
{
    public async Task<DotsMenuResult> ApplyAsync(Guid companyId, IReadOnlyList<DotsItemSighting> sightings, string source, CancellationToken cancellationToken)
    {
        var stored = (await db.DotsMenuItems.Where(i => i.CompanyId == companyId).ToListAsync(cancellationToken))
            .ToDictionary(i => (i.Kind, i.DotsId));
        int added = 0, changed = 0, unchanged = 0;

        // Oldest first, so the newest sighting of an item is applied last and wins.
        foreach (var s in sightings.OrderBy(s => s.At))
        {
            var name = s.Name.Length <= Persistence.Configurations.Limits.Name ? s.Name : s.Name[..Persistence.Configurations.Limits.Name];
            if (!stored.TryGetValue((s.Kind, s.DotsId), out var item))
            {
                item = new DotsMenuItem
                {
                    CompanyId = companyId,
                    Kind = s.Kind,
                    DotsId = s.DotsId,
                    Name = name,
                    Price = s.Price,
                    Source = source,
                    FirstSeenAt = s.At,
                    UpdatedAt = s.At,
                };
                db.DotsMenuItems.Add(item);
                stored[(s.Kind, s.DotsId)] = item;
                added++;
                continue;
            }

            if (s.At < item.UpdatedAt)
            {
                unchanged++;
                continue;
            }

            // A sighting without a price (a promotion in an order) says nothing about the price.
            var price = s.Price ?? item.Price;
            if (item.Name != name || item.Price != price)
            {
                item.PreviousName = item.Name;
                item.PreviousPrice = item.Price;
                item.ChangedAt = s.At;
                item.Name = name;
                item.Price = price;
                changed++;
            }
            else
            {
                unchanged++;
            }

            item.UpdatedAt = s.At;
            item.Source = source;
        }

        await db.SaveChangesAsync(cancellationToken);
        return new DotsMenuResult { CompanyId = companyId, Source = source, Added = added, Changed = changed, Unchanged = unchanged, Total = stored.Count };
    }

    /// <summary>
    /// The company's items as its orders received since <paramref name="since"/> carried them: each distinct
    /// (id, name, price) once with the last time it was seen, grouped in the database.
    /// </summary>
    public async Task<IReadOnlyList<DotsItemSighting>> SightingsInOrdersAsync(Guid companyId, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var orders = db.Orders.AsNoTracking().Where(o => o.CompanyId == companyId);
        if (since is { } from)
        {
            orders = orders.Where(o => o.ReceivedAt >= from);
        }

        var lines = db.Set<OrderLine>().AsNoTracking();
        var products = await lines.Join(orders, l => l.OrderId, o => o.Id, (l, o) => new { l.DotsProductId, l.Name, l.Price, o.ReceivedAt })
            .GroupBy(x => new { x.DotsProductId, x.Name, x.Price })
            .Select(g => new { g.Key.DotsProductId, g.Key.Name, g.Key.Price, At = g.Max(x => x.ReceivedAt) })
            .ToListAsync(cancellationToken);
        var variants = await lines.Where(l => l.DotsVariantId != null)
            .Join(orders, l => l.OrderId, o => o.Id, (l, o) => new { l.DotsVariantId, l.Name, l.Price, o.ReceivedAt })
            .GroupBy(x => new { x.DotsVariantId, x.Name, x.Price })
            .Select(g => new { g.Key.DotsVariantId, g.Key.Name, g.Key.Price, At = g.Max(x => x.ReceivedAt) })
            .ToListAsync(cancellationToken);
        var modifiers = await db.Set<OrderLineModifier>().AsNoTracking()
            .Join(lines, m => m.OrderLineId, l => l.Id, (m, l) => new { m.DotsModifierId, m.Name, m.Price, l.OrderId })
            .Join(orders, x => x.OrderId, o => o.Id, (x, o) => new { x.DotsModifierId, x.Name, x.Price, o.ReceivedAt })
            .GroupBy(x => new { x.DotsModifierId, x.Name, x.Price })
            .Select(g => new { g.Key.DotsModifierId, g.Key.Name, g.Key.Price, At = g.Max(x => x.ReceivedAt) })
            .ToListAsync(cancellationToken);
        var promotions = await db.Set<OrderPromotion>().AsNoTracking()
            .Join(orders, p => p.OrderId, o => o.Id, (p, o) => new { p.DotsPromotionId, p.Name, o.ReceivedAt })
            .GroupBy(x => new { x.DotsPromotionId, x.Name })
            .Select(g => new { g.Key.DotsPromotionId, g.Key.Name, At = g.Max(x => x.ReceivedAt) })
            .ToListAsync(cancellationToken);

        return products.Select(p => new DotsItemSighting(ExternalIdKind.Product, p.DotsProductId, p.Name, p.Price, p.At))
            .Concat(variants.Select(v => new DotsItemSighting(ExternalIdKind.Variant, v.DotsVariantId!, v.Name, v.Price, v.At)))
            .Concat(modifiers.Select(m => new DotsItemSighting(ExternalIdKind.Modifier, m.DotsModifierId, m.Name, m.Price, m.At)))
            .Concat(promotions.Select(p => new DotsItemSighting(ExternalIdKind.Promotion, p.DotsPromotionId, p.Name, null, p.At)))
            .ToList();
    }
}
