using OrderHub.Domain.Fiscal;
using OrderHub.Domain.Orders;

namespace OrderHub.Api.Fiscalization;

/// <summary>Builds what a receipt holds from an order (sale) or from its sale receipt (return).</summary>
public static class ReceiptBuilder
{
    public const string DeliveryCode = "delivery";

    /// <summary>
    /// Each line is a good at its own price; a modifier with a price is a good of its own (quantity = line
    /// quantity × modifier quantity), free modifiers are named in the line; delivery is a good; promotions are
    /// one receipt-level discount.
    /// </summary>
    public static ReceiptContent Sale(Order order, FiscalConnection connection)
    {
        var goods = new List<ReceiptGood>();
        foreach (var line in order.Lines.OrderBy(l => l.Position))
        {
            var modifiers = line.Modifiers.OrderBy(m => m.Position).ToList();
            var free = modifiers.Where(m => m.Price == 0).Select(m => m.Name).ToList();
            var name = free.Count == 0 ? line.Name : $"{line.Name} ({string.Join(", ", free)})";
            goods.Add(new ReceiptGood(goods.Count, line.DotsVariantId ?? line.DotsProductId, Cut(name), line.Quantity, line.Price,
                connection.TaxCodeFor(line.DotsProductId)));
            foreach (var modifier in modifiers.Where(m => m.Price != 0))
            {
                goods.Add(new ReceiptGood(goods.Count, modifier.DotsModifierId, Cut(modifier.Name), line.Quantity * modifier.Quantity, modifier.Price,
                    connection.TaxCodeFor(modifier.DotsModifierId)));
            }
        }

        if (order.DeliveryPrice > 0)
        {
            goods.Add(new ReceiptGood(goods.Count, DeliveryCode, "Доставка", 1, order.DeliveryPrice, connection.DefaultTaxCode));
        }

        var promotions = order.Promotions.OrderBy(p => p.Position).ToList();
        var discount = promotions.Sum(p => p.Discount);
        return new ReceiptContent(goods, discount, discount > 0 ? Cut(string.Join(", ", promotions.Select(p => p.Name))) : null);
    }

    /// <summary>
    /// A return of <paramref name="wanted"/> (good index → quantity; null = everything not yet returned). The
    /// discount returned is the sale discount's share of the returned goods; the last return takes the rest.
    /// Returns the goods that would exceed what was sold, by index, when there are any.
    /// </summary>
    public static (ReceiptContent? Content, IReadOnlyList<(int Index, decimal Left)> Excess) Return(
        ReceiptContent sale, IReadOnlyList<ReceiptContent> earlierReturns, IReadOnlyDictionary<int, decimal>? wanted)
    {
        var returned = earlierReturns.SelectMany(r => r.Goods).GroupBy(g => g.Index).ToDictionary(g => g.Key, g => g.Sum(x => x.Quantity));
        var goods = new List<ReceiptGood>();
        var excess = new List<(int, decimal)>();
        foreach (var good in sale.Goods)
        {
            var left = good.Quantity - returned.GetValueOrDefault(good.Index);
            var quantity = wanted is null ? left : wanted.GetValueOrDefault(good.Index);
            if (quantity > left)
            {
                excess.Add((good.Index, left));
            }
            else if (quantity > 0)
            {
                goods.Add(good with { Quantity = quantity });
            }
        }

        if (wanted is not null)
        {
            excess.AddRange(wanted.Keys.Where(i => sale.Goods.All(g => g.Index != i)).Select(i => (i, 0m)));
        }

        if (excess.Count > 0 || goods.Count == 0)
        {
            return (null, excess);
        }

        var discountLeft = sale.Discount - earlierReturns.Sum(r => r.Discount);
        var everything = sale.Goods.All(g => g.Quantity - returned.GetValueOrDefault(g.Index) == goods.FirstOrDefault(x => x.Index == g.Index)?.Quantity
                                              || g.Quantity == returned.GetValueOrDefault(g.Index));
        var gross = goods.Sum(g => g.Sum);
        var discount = everything
            ? discountLeft
            : Math.Min(discountLeft, Math.Round(sale.Discount * gross / sale.GoodsTotal, 2, MidpointRounding.AwayFromZero));
        return (new ReceiptContent(goods, discount, discount > 0 ? sale.DiscountName : null), []);
    }

    private static string Cut(string name) => name.Length <= 250 ? name : name[..249] + "…";
}
