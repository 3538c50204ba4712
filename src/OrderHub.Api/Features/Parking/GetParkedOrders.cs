using System.Security.Claims;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Parking;

namespace OrderHub.Api.Features.Parking;

/// <summary>A point's orders waiting for export, by queue, as the caller may see them.</summary>
/// <param name="Visibility">The caller's visibility: <c>All</c>, <c>Own</c> or <c>SameRole</c>.</param>
/// <param name="Unassigned">Waiting orders in no queue (or a queue that no longer exists); everyone sees them, so someone picks them up.</param>
public sealed record ParkedOrdersDto(Guid PickupPointId, string Visibility, IReadOnlyList<ParkedQueueOrdersDto> Queues, IReadOnlyList<ParkedOrderDto> Unassigned);

public sealed record ParkedQueueOrdersDto(string Key, string Name, string Source, IReadOnlyList<ParkedOrderDto> Orders);

public sealed record ParkedOrderDto(Guid Id, string Number, decimal Total, string Currency, DateTimeOffset ReceivedAt, string? ParkedBy, DateTimeOffset? ParkedAt);

public sealed record GetParkedOrdersQuery(Guid PickupPointId, ClaimsPrincipal Caller) : IRequest<ParkedOrdersDto>;

public sealed class GetParkedOrdersHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<GetParkedOrdersQuery, ParkedOrdersDto>
{
    /// <summary>Bounded like the order list: a point with more waiting orders pages through the order list.</summary>
    public const int MaxOrders = 500;

    public async Task<ParkedOrdersDto> Handle(GetParkedOrdersQuery request, CancellationToken cancellationToken)
    {
        var companyId = await access.EnsurePickupPointAsync(request.PickupPointId, cancellationToken);
        var queues = await ParkingScope.EffectiveAsync(db, companyId, request.PickupPointId, cancellationToken);
        var visibility = request.Caller.UserId() is { } userId
            ? await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.ParkedVisibility).FirstOrDefaultAsync(cancellationToken) ?? ParkedVisibility.All
            : ParkedVisibility.All;
        var actor = request.Caller.Actor();
        var role = request.Caller.FindFirstValue(ClaimTypes.Role);

        var waiting = db.Orders.AsNoTracking().Where(o => o.PickupPointId == request.PickupPointId && o.ExportState == ExportState.AwaitingExport);
        var orders = await waiting.OrderBy(o => o.ReceivedAt).ThenBy(o => o.Id).Take(MaxOrders)
            .Select(o => new { o.Id, o.Number, o.Total, o.Currency, o.ReceivedAt, o.ParkedQueue, o.ParkedBy, o.ParkedByRole, o.ParkedAt })
            .ToListAsync(cancellationToken);
        var keys = queues.Select(q => q.Key).ToHashSet();
        bool Visible(string? by, string? byRole) => visibility switch
        {
            ParkedVisibility.Own => by == actor,
            ParkedVisibility.SameRole => byRole == role,
            _ => true,
        };

        var byQueue = queues.Select(q => new ParkedQueueOrdersDto(q.Key, q.Name, q.Source,
            orders.Where(o => o.ParkedQueue == q.Key && Visible(o.ParkedBy, o.ParkedByRole))
                .Select(o => new ParkedOrderDto(o.Id, o.Number, o.Total, o.Currency, o.ReceivedAt, o.ParkedBy, o.ParkedAt)).ToList())).ToList();
        var unassigned = orders.Where(o => o.ParkedQueue is null || !keys.Contains(o.ParkedQueue))
            .Select(o => new ParkedOrderDto(o.Id, o.Number, o.Total, o.Currency, o.ReceivedAt, null, null)).ToList();
        return new ParkedOrdersDto(request.PickupPointId, visibility.ToString(), byQueue, unassigned);
    }
}
