using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Export;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Shared;

/// <summary>
/// Held pre-orders: a pickup point may hold orders with a delivery time until <c>deliveryTime − preparation
/// minutes</c>, instead of sending them at once. A held order is an export queue entry whose next attempt is that
/// time (the engine claims only due entries), so it survives restarts and needs no timer of its own.
/// </summary>
public static class HeldPreOrders
{
    /// <summary>
    /// When the point holds <paramref name="order"/>: the time it is due at the POS, or null when it goes at once
    /// (the point does not hold, the order has no delivery time, or that time minus the preparation is not in the future).
    /// </summary>
    public static DateTimeOffset? HoldUntil(PickupPoint point, Order order, DateTimeOffset now)
    {
        if (!point.HoldScheduledOrders || order.DeliveryTime is not { } delivery)
        {
            return null;
        }

        var due = delivery - TimeSpan.FromMinutes(Math.Max(0, point.PreparationMinutes));
        return due > now ? due : null;
    }

    /// <summary>The export queue entries that hold an order now (pending, due later): the filter of the order list and the dashboard.</summary>
    public static IQueryable<Domain.Export.ExportQueueEntry> HeldEntries(OrderHubDbContext db, DateTimeOffset now) =>
        db.ExportQueue.AsNoTracking().Where(e => e.Kind == ExportQueueKind.Create && e.State == ExportQueueState.Pending && e.HeldUntil > now);

    /// <summary>The time each of <paramref name="orderIds"/> is held until, for those still held (pending, not yet due).</summary>
    public static async Task<Dictionary<Guid, DateTimeOffset>> HeldAsync(OrderHubDbContext db, IReadOnlyCollection<Guid> orderIds, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await db.ExportQueue.AsNoTracking()
            .Where(e => orderIds.Contains(e.OrderId) && e.Kind == ExportQueueKind.Create && e.State == ExportQueueState.Pending && e.HeldUntil != null)
            .Select(e => new { e.OrderId, e.HeldUntil })
            .ToListAsync(cancellationToken))
        .Where(e => e.HeldUntil > now)
        .ToDictionary(e => e.OrderId, e => e.HeldUntil!.Value);

    /// <summary>The point's local wall-clock time of <paramref name="at"/>, <c>HH:mm</c>, for history rows and the panel.</summary>
    public static string LocalTime(DateTimeOffset at, string timeZone)
    {
        try
        {
            return TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(timeZone)).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (TimeZoneNotFoundException)
        {
            return at.ToUniversalTime().ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " UTC";
        }
    }
}
