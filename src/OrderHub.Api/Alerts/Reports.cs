using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.Alerts;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;
using static OrderHub.Api.Alerts.Html;

namespace OrderHub.Api.Alerts;

/// <summary>A pickup point's day in figures, computed from the orders, the return receipts (and, for Poster, the register operations) in the database.</summary>
public sealed record DayFigures(
    string Point,
    DateOnly Day,
    int Orders,
    decimal Revenue,
    decimal Average,
    IReadOnlyList<(int Hour, int Count)> ByHour,
    int Exported,
    int Failed,
    int Manual,
    int Cancelled,
    int Refunds,
    decimal RefundTotal,
    int DiscountedOrders,
    decimal Discounts,
    IReadOnlyList<(string Name, decimal Quantity, decimal Revenue)> TopItems,
    decimal Goods,
    decimal Delivery,
    bool IsPoster,
    int RemovedItems,
    decimal RemovedAmount,
    int DeletedChecks);

/// <summary>Day reports and the status of what is stuck, as Telegram HTML.</summary>
public sealed class ReportBuilder(OrderHubDbContext db, TimeProvider time)
{
    public static TimeZoneInfo Zone(PickupPoint point)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(point.TimeZone);
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    /// <summary>Today in the point's time zone.</summary>
    public DateOnly Today(PickupPoint point) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Zone(point)).DateTime);

    /// <summary>The figures of orders received on <paramref name="day"/> (local to the point). Cancelled orders count apart, not in revenue.</summary>
    public async Task<DayFigures> FiguresAsync(PickupPoint point, DateOnly day, CancellationToken cancellationToken)
    {
        var zone = Zone(point);
        var from = LocalToUtc(zone, day.ToDateTime(TimeOnly.MinValue));
        var to = LocalToUtc(zone, day.AddDays(1).ToDateTime(TimeOnly.MinValue));
        var orders = await db.Orders.AsNoTracking().AsSplitQuery()
            .Include(o => o.Lines).ThenInclude(l => l.Modifiers).Include(o => o.Promotions)
            .Where(o => o.PickupPointId == point.Id && o.ReceivedAt >= from && o.ReceivedAt < to && !o.IsTest) // test orders (issue 18) never count
            .ToListAsync(cancellationToken);

        static bool IsCancelled(Order o) => o.ExportState == ExportState.Cancelled || o.DotsStatus == "cancelled";
        var live = orders.Where(o => !IsCancelled(o)).ToList();
        var revenue = live.Sum(o => o.Total);
        var byHour = live.GroupBy(o => TimeZoneInfo.ConvertTime(o.ReceivedAt, zone).Hour).OrderBy(g => g.Key).Select(g => (g.Key, g.Count())).ToList();
        var top = live.SelectMany(o => o.Lines)
            .GroupBy(l => l.Name)
            .Select(g => (Name: g.Key, Quantity: g.Sum(l => l.Quantity), Revenue: g.Sum(l => l.LineTotal)))
            .OrderByDescending(x => x.Quantity).ThenByDescending(x => x.Revenue).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(5).ToList();

        // The goods with their priced modifiers, less the promotions, plus delivery: the revenue, as Dots sent it.
        var goods = live.Sum(o => o.Lines.Sum(l => l.LineTotal));
        var delivery = live.Sum(o => o.DeliveryPrice);

        // Refunds by when they were fiscalized (OrderHub's clock), whatever day their order was.
        var refunds = await db.FiscalReceipts.AsNoTracking()
            .Where(r => r.PickupPointId == point.Id && r.Kind == FiscalReceiptKind.Return && r.State == FiscalReceiptState.Successful
                        && r.LastAttemptAt >= from && r.LastAttemptAt < to)
            .Select(r => r.Total)
            .ToListAsync(cancellationToken);

        var isPoster = (await EffectivePosIntegrations.ForPointAsync(db, point, cancellationToken))?.Integration.Kind == PosKind.Poster;
        var removedItems = 0;
        var removedAmount = 0m;
        var deletedChecks = 0;
        if (isPoster)
        {
            var operations = await db.RegisterOperations.AsNoTracking()
                .Where(r => r.PickupPointId == point.Id && r.HappenedAt >= from && r.HappenedAt < to && r.Risk != null)
                .Select(r => new { r.Risk, r.Amount })
                .ToListAsync(cancellationToken);
            var removals = operations.Where(r => r.Risk is nameof(AlertKinds.ItemRemovedAfterKitchen) or nameof(AlertKinds.RemovedAfterPrecheck)).ToList();
            removedItems = removals.Count;
            removedAmount = removals.Sum(r => r.Amount ?? 0);
            deletedChecks = operations.Count(r => r.Risk == nameof(AlertKinds.CheckDeleted));
        }

        return new DayFigures(
            point.Name, day, live.Count, revenue, live.Count == 0 ? 0 : Math.Round(revenue / live.Count, 2),
            byHour,
            orders.Count(o => o.ExportState == ExportState.Exported),
            orders.Count(o => o.ExportState == ExportState.Failed),
            orders.Count(o => o.ExportState is ExportState.AwaitingExport or ExportState.NeedsMapping),
            orders.Count(IsCancelled),
            refunds.Count,
            refunds.Sum(),
            live.Count(o => o.Promotions.Count > 0),
            live.Sum(o => o.Promotions.Sum(p => p.Discount)),
            top, goods, delivery, isPoster, removedItems, removedAmount, deletedChecks);
    }

    /// <summary>The day's figures as Telegram HTML in <paramref name="language"/>; <paramref name="titleKey"/> names the day (<c>tg.report.today</c>…).</summary>
    public static string Format(DayFigures f, string titleKey, string language)
    {
        string T(string key, params (string, object?)[] args) => AlertTexts.T(language, key, args);
        var b = new StringBuilder();
        b.Append(T("tg.report.title", ("title", E(T(titleKey))), ("point", E(f.Point)), ("day", f.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))).Append('\n');
        b.Append(T("tg.report.orders", ("orders", f.Orders), ("revenue", Money(f.Revenue)), ("average", Money(f.Average)))).Append('\n');
        b.Append(T("tg.report.pos", ("exported", f.Exported), ("failed", f.Failed), ("manual", f.Manual))).Append('\n');
        b.Append(T("tg.report.cancelled", ("count", f.Cancelled))).Append('\n');
        b.Append(T("tg.report.refunds", ("count", f.Refunds), ("total", Money(f.RefundTotal)))).Append('\n');
        b.Append(T("tg.report.discounts", ("count", f.DiscountedOrders), ("total", Money(f.Discounts)))).Append('\n');
        b.Append(T("tg.report.sum", ("goods", Money(f.Goods)), ("discounts", Money(f.Discounts)), ("delivery", Money(f.Delivery)), ("sum", Money(f.Goods - f.Discounts + f.Delivery))));
        if (f.Goods - f.Discounts + f.Delivery != f.Revenue)
        {
            // Dots' totals and their lines disagree (the order's history names a total mismatch): say so, do not hide it.
            b.Append(T("tg.report.ordersTotals", ("total", Money(f.Revenue))));
        }

        b.Append('\n');
        if (f.ByHour.Count > 0)
        {
            var hours = string.Join(" · ", f.ByHour.Select(h => T("tg.report.hour", ("hour", h.Hour.ToString("00", CultureInfo.InvariantCulture)), ("count", h.Count))));
            b.Append(T("tg.report.byHour", ("hours", hours))).Append('\n');
        }

        if (f.TopItems.Count > 0)
        {
            b.Append(T("tg.report.top")).Append('\n');
            foreach (var item in f.TopItems)
            {
                b.Append(CultureInfo.InvariantCulture, $"• {E(item.Name)} × {item.Quantity:0.###} — {Money(item.Revenue)}\n");
            }
        }

        if (f.IsPoster)
        {
            b.Append(T("tg.report.register", ("items", f.RemovedItems), ("amount", Money(f.RemovedAmount)), ("checks", f.DeletedChecks))).Append('\n');
        }

        return b.ToString().TrimEnd('\n');
    }

    // Daily reconciliation (Features/Reconciliation): the latest reconciled day up to the report's, as one line.

    /// <summary>"Register check of D: all N orders at the register", or its exceptions in figures, in <paramref name="language"/>; null before any run.</summary>
    public async Task<string?> ReconciliationLineAsync(PickupPoint point, DateOnly day, string language, CancellationToken cancellationToken)
    {
        var run = await db.ReconciliationRuns.AsNoTracking()
            .Where(r => r.PickupPointId == point.Id && r.Day <= day && r.State != Domain.Reconciliation.ReconciliationState.Running)
            .OrderByDescending(r => r.Day)
            .FirstOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return null;
        }

        string T(string key, params (string Name, object? Value)[] args) => MessageCatalog.Render(Msg.Of(key, args), language);
        var head = T("tg.recon.line.head", ("day", run.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        if (run.State == Domain.Reconciliation.ReconciliationState.Failed)
        {
            return head + T("tg.recon.line.failed", ("error", E(run.Error)));
        }

        if (run.Clean)
        {
            return head + T("tg.recon.line.all", ("count", run.Expected));
        }

        var exceptions = new[] { (run.Missing, "tg.recon.line.missing"), (run.Duplicates, "tg.recon.line.twice"), (run.TotalMismatches, "tg.recon.line.otherTotal"), (run.Unknown, "tg.recon.line.unknown") }
            .Where(x => x.Item1 > 0).Select(x => T(x.Item2, ("count", x.Item1)));
        return head + T("tg.recon.line.some", ("atPos", run.AtPos), ("expected", run.Expected), ("exceptions", string.Join(", ", exceptions)));
    }

    /// <summary>What is stuck right now at the given points.</summary>
    public async Task<string> StatusAsync(IReadOnlyList<PickupPoint> points, string language, CancellationToken cancellationToken)
    {
        var ids = points.Select(p => p.Id).ToList();
        var counts = await db.Orders.AsNoTracking()
            .Where(o => ids.Contains(o.PickupPointId) && !o.IsTest && (o.ExportState == ExportState.Failed || o.ExportState == ExportState.NeedsMapping
                                                          || o.ExportState == ExportState.AwaitingExport || o.ExportState == ExportState.Queued))
            .GroupBy(o => new { o.PickupPointId, o.ExportState })
            .Select(g => new { g.Key.PickupPointId, g.Key.ExportState, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var integrations = (await EffectivePosIntegrations.ForPointsAsync(db, points, cancellationToken)).Values.Select(e => e.Integration).ToList();
        string T(string key, params (string, object?)[] args) => AlertTexts.T(language, key, args);
        var b = new StringBuilder(T("tg.status.title")).Append('\n');
        foreach (var point in points.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            int N(ExportState s) => counts.Where(c => c.PickupPointId == point.Id && c.ExportState == s).Sum(c => c.Count);
            var integration = integrations.FirstOrDefault(i => i.PickupPointId == point.Id);
            var pos = integration switch
            {
                null => T("term.noPos"),
                { Enabled: false } => T("tg.status.disabled", ("kind", integration.Kind)),
                _ => integration.Kind.ToString(),
            };
            b.Append(T("tg.status.line", ("point", E(point.Name)), ("pos", E(pos)), ("queued", N(ExportState.Queued)), ("failed", N(ExportState.Failed)),
                ("mapping", N(ExportState.NeedsMapping)), ("awaiting", N(ExportState.AwaitingExport)))).Append('\n');
        }

        return b.ToString().TrimEnd('\n');
    }

    private static DateTimeOffset LocalToUtc(TimeZoneInfo zone, DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddMinutes(30);
        }

        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }
}
