using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Api.Telemetry;
using OrderHub.Domain.Export;
using OrderHub.Domain.History;
using OrderHub.Domain.Inbound;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Resilience;

namespace OrderHub.Api.Features.Dashboard;

/// <summary>The span the dashboard's charts cover: the last 24 hours or the last 7 days, in hourly buckets.</summary>
public enum DashboardRange
{
    Day,
    Week,
}

/// <summary>What needs attention now, per pickup point health and the charts, for the companies the caller may see.</summary>
/// <param name="WaitingAfter">An order waiting (for a manual export or in the queue) longer than this needs attention.</param>
public sealed record GetDashboardQuery(DashboardRange Range, TimeSpan WaitingAfter) : IRequest<DashboardDto>;

/// <summary>Counts of orders needing attention now; each is what the order list shows with the matching filter.</summary>
/// <param name="WaitingBefore">Orders received before this instant and still waiting count as waiting too long.</param>
/// <param name="Queued">Queued longer than the waiting time and not held: waiting for the POS.</param>
/// <param name="Held">Pre-orders held in the queue until their due time (issue 18): waiting on purpose, not a problem.</param>
public sealed record AttentionDto(int Failed, int NeedsMapping, int AwaitingExport, int Queued, int Unrouted, int ParkedEvents, DateTimeOffset WaitingBefore, int Held = 0);

/// <summary>
/// A pickup point's health: its POS circuit on this instance (null when no call went through it since start),
/// the last order the POS took, its mapping coverage and its open problems.
/// </summary>
public sealed record PointHealthDto(
    Guid PickupPointId,
    string Name,
    Guid CompanyId,
    string CompanyName,
    string? PosKind,
    bool PosEnabled,
    bool? CircuitOpen,
    DateTimeOffset? LastExportedAt,
    bool CoverageKnown,
    decimal CoveragePercent,
    int MissingItems,
    int Failed,
    int NeedsMapping);

/// <summary>
/// One hour of the chart: orders received in it by the export state they stand in now, and the latency from the
/// 202 to the POS's acknowledgement (received → exported) of those exported.
/// </summary>
public sealed record HourBucketDto(
    DateTimeOffset From,
    IReadOnlyDictionary<ExportState, int> ByState,
    double? LatencyP50Seconds,
    double? LatencyP95Seconds)
{
    public int Total => ByState.Values.Sum();
}

public sealed record ReasonCountDto(FailureReason Reason, int Count);

public sealed record DashboardDto(
    DateTimeOffset Now,
    DashboardRange Range,
    DateTimeOffset From,
    TimeSpan WaitingAfter,
    AttentionDto Attention,
    IReadOnlyList<PointHealthDto> Points,
    IReadOnlyList<HourBucketDto> Hours,
    IReadOnlyList<ReasonCountDto> Reasons,
    bool Truncated);

/// <summary>
/// Reads the dashboard in a few narrow queries: counts in the database, the chart's orders as four columns each,
/// bucketed here (hourly buckets and percentiles the same way on SQLite, PostgreSQL and SQL Server).
/// </summary>
public sealed class GetDashboardHandler(OrderHubDbContext db, AccessScope access, TimeProvider time, CoverageCalculator coverage, OrderHubMetrics metrics)
    : IRequestHandler<GetDashboardQuery, DashboardDto>
{
    /// <summary>More orders than this in the chart's span are not read (the chart says it is cut).</summary>
    public const int MaxChartOrders = 200_000;

    /// <summary>Points beyond this many are not shown (coverage is computed per point).</summary>
    public const int MaxPoints = 100;

    public async Task<DashboardDto> Handle(GetDashboardQuery request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hourNow = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var hours = request.Range == DashboardRange.Week ? 24 * 7 : 24;
        var from = hourNow.AddHours(1 - hours);
        // Whole minutes, as the order list's "to" filter reads them, so the linked list shows exactly these orders.
        var waitingAt = now - request.WaitingAfter;
        var waitingBefore = new DateTimeOffset(waitingAt.UtcDateTime.Ticks - waitingAt.UtcDateTime.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

        // Test orders (issue 18) never count.
        var orders = await access.FilterAsync(db.Orders.AsNoTracking().Where(o => !o.IsTest), o => o.CompanyId, cancellationToken);
        var held = HeldPreOrders.HeldEntries(db, now);
        var attention = new AttentionDto(
            await orders.CountAsync(o => o.ExportState == ExportState.Failed, cancellationToken),
            await orders.CountAsync(o => o.ExportState == ExportState.NeedsMapping, cancellationToken),
            await orders.CountAsync(o => o.ExportState == ExportState.AwaitingExport && o.ReceivedAt < waitingBefore, cancellationToken),
            // A held pre-order (issue 18) waits on purpose until its due time: not "queued too long".
            await orders.CountAsync(o => o.ExportState == ExportState.Queued && o.ReceivedAt < waitingBefore && !held.Any(e => e.OrderId == o.Id), cancellationToken),
            await (await access.FilterAsync(db.InboundEvents.AsNoTracking(), e => e.CompanyId, cancellationToken))
                .CountAsync(e => e.State == InboundEventState.Unrouted, cancellationToken),
            await (await access.FilterAsync(db.InboxEvents.AsNoTracking(), e => e.CompanyId, cancellationToken))
                .CountAsync(e => e.State == InboxEventState.Parked, cancellationToken),
            waitingBefore,
            await orders.CountAsync(o => o.ExportState == ExportState.Queued && held.Any(e => e.OrderId == o.Id), cancellationToken));

        var rows = await orders.Where(o => o.ReceivedAt >= from)
            .OrderBy(o => o.ReceivedAt)
            .Select(o => new { o.ReceivedAt, o.ExportedAt, o.ExportState, o.Problem })
            .Take(MaxChartOrders + 1)
            .ToListAsync(cancellationToken);
        var truncated = rows.Count > MaxChartOrders;
        var buckets = new List<HourBucketDto>(hours);
        var byHour = rows.Take(MaxChartOrders)
            .GroupBy(r => (int)Math.Floor((r.ReceivedAt.ToUniversalTime() - from).TotalHours))
            .ToDictionary(g => g.Key, g => g.ToList());
        for (var h = 0; h < hours; h++)
        {
            var inHour = byHour.GetValueOrDefault(h) ?? [];
            var latencies = inHour.Where(r => r.ExportState == ExportState.Exported && r.ExportedAt is not null)
                .Select(r => Math.Max(0, (r.ExportedAt!.Value - r.ReceivedAt).TotalSeconds)).Order().ToList();
            buckets.Add(new HourBucketDto(
                from.AddHours(h),
                inHour.GroupBy(r => r.ExportState).ToDictionary(g => g.Key, g => g.Count()),
                Percentile(latencies, 0.50),
                Percentile(latencies, 0.95)));
        }

        var reasons = rows.Take(MaxChartOrders).Where(r => r.Problem is not null)
            .GroupBy(r => r.Problem!.Value)
            .Select(g => new ReasonCountDto(g.Key, g.Count()))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Reason.ToString(), StringComparer.Ordinal)
            .ToList();

        return new DashboardDto(now, request.Range, from, request.WaitingAfter, attention,
            await PointsAsync(orders, cancellationToken), buckets, reasons, truncated);
    }

    private async Task<IReadOnlyList<PointHealthDto>> PointsAsync(IQueryable<Order> orders, CancellationToken cancellationToken)
    {
        var points = await (await access.FilterAsync(db.PickupPoints.AsNoTracking(), p => p.CompanyId, cancellationToken))
            .OrderBy(p => p.Name).Take(MaxPoints).ToListAsync(cancellationToken);
        if (points.Count == 0)
        {
            return [];
        }

        var ids = points.Select(p => p.Id).ToList();
        var companyIds = points.Select(p => p.CompanyId).Distinct().ToList();
        var companies = await db.Companies.AsNoTracking().Where(c => companyIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var lastExport = await orders.Where(o => ids.Contains(o.PickupPointId) && o.ExportedAt != null)
            .GroupBy(o => o.PickupPointId)
            .Select(g => new { PointId = g.Key, Last = g.Max(o => o.ExportedAt) })
            .ToDictionaryAsync(g => g.PointId, g => g.Last, cancellationToken);
        var problems = await orders.Where(o => ids.Contains(o.PickupPointId) && (o.ExportState == ExportState.Failed || o.ExportState == ExportState.NeedsMapping))
            .GroupBy(o => new { o.PickupPointId, o.ExportState })
            .Select(g => new { g.Key.PickupPointId, g.Key.ExportState, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var integrations = await EffectivePosIntegrations.ForPointsAsync(db, points, cancellationToken);

        var result = new List<PointHealthDto>(points.Count);
        foreach (var point in points.OrderBy(p => companies.GetValueOrDefault(p.CompanyId), StringComparer.CurrentCulture).ThenBy(p => p.Name, StringComparer.CurrentCulture))
        {
            var integration = integrations.GetValueOrDefault(point.Id)?.Integration;
            var current = await coverage.CalculateAsync(point, cancellationToken);
            result.Add(new PointHealthDto(
                point.Id, point.Name, point.CompanyId, companies.GetValueOrDefault(point.CompanyId) ?? "",
                integration?.Kind.ToString(),
                integration?.Enabled ?? false,
                integration is null ? null : metrics.CircuitOpen(CircuitKey(integration)),
                lastExport.GetValueOrDefault(point.Id),
                current.Known,
                current.Percent,
                current.Missing.Count,
                problems.Where(p => p.PickupPointId == point.Id && p.ExportState == ExportState.Failed).Sum(p => p.Count),
                problems.Where(p => p.PickupPointId == point.Id && p.ExportState == ExportState.NeedsMapping).Sum(p => p.Count)));
        }

        return result;
    }

    private static string CircuitKey(PosIntegration integration) => integration.Kind == PosKind.Poster
        ? PosResilience.PosterCircuit(integration.Id)
        : PosResilience.WebhookCircuit(integration.Id);

    /// <summary>Nearest-rank percentile of sorted values; null for none.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
