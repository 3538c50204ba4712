using System.Security.Claims;
using System.Text.Json.Serialization;
using AutoMapper;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Orders;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Persistence.Configurations;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.History;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Parking;

namespace OrderHub.Api.Features.Parking;

/// <summary>A parked-orders queue as a pickup point has it.</summary>
/// <param name="Source"><c>company</c> (a company default), <c>overridden</c> (renamed at the point) or <c>point</c> (the point's own).</param>
public sealed record ParkedQueueDto(string Key, string Name, string Source);

public sealed record ParkedQueueInput
{
    /// <summary>1 to 64 of a-z, 0-9 and '-'; what orders refer to.</summary>
    public string? Key { get; init; }
    public string? Name { get; init; }
}

/// <summary>Replaces the queues at one scope (company defaults, or a point's own and renamed ones), in this order.</summary>
public sealed record SaveParkedQueuesCommand : IRequest<IReadOnlyList<ParkedQueueDto>>
{
    [JsonIgnore]
    public Guid Id { get; init; }

    [JsonIgnore]
    public bool IsPoint { get; init; }

    public IReadOnlyList<ParkedQueueInput>? Items { get; init; }
}

public sealed class SaveParkedQueuesValidator : AbstractValidator<SaveParkedQueuesCommand>
{
    public const int MaxItems = 50;

    public SaveParkedQueuesValidator()
    {
        RuleFor(c => c.Items).NotNull().Must(i => i is null || i.Count <= MaxItems).WithMessage($"At most {MaxItems} queues.");
        RuleFor(c => c.Items).Must(i => i is null || i.Select(x => x.Key).Distinct().Count() == i.Count).WithMessage("Keys must be unique.");
        RuleForEach(c => c.Items).ChildRules(item =>
        {
            item.RuleFor(x => x.Key).NotEmpty().MaximumLength(Limits.Key).Matches("^[a-z0-9-]+$").WithMessage("Use lowercase letters, digits and '-'.");
            item.RuleFor(x => x.Name).DisplayName();
        });
    }
}

public sealed class SaveParkedQueuesHandler(OrderHubDbContext db, AccessScope access, TimeProvider time, IMediator mediator)
    : IRequestHandler<SaveParkedQueuesCommand, IReadOnlyList<ParkedQueueDto>>
{
    public async Task<IReadOnlyList<ParkedQueueDto>> Handle(SaveParkedQueuesCommand request, CancellationToken cancellationToken)
    {
        var (companyId, pointId) = await ParkingScope.ResolveAsync(db, access, request.Id, request.IsPoint, cancellationToken);
        var scopeId = pointId ?? companyId;
        var existing = await db.ParkedQueues.Where(q => q.ScopeId == scopeId).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var items = request.Items!;
        db.ParkedQueues.RemoveRange(existing.Where(e => items.All(i => i.Key != e.Key)));
        for (var position = 0; position < items.Count; position++)
        {
            var item = items[position];
            var row = existing.FirstOrDefault(e => e.Key == item.Key);
            if (row is null)
            {
                row = db.ParkedQueues.Add(new ParkedQueue { CompanyId = companyId, PickupPointId = pointId, ScopeId = scopeId, Key = item.Key! }).Entity;
            }

            if (row.Name != item.Name || row.Position != position || db.Entry(row).State == EntityState.Added)
            {
                row.Name = item.Name!;
                row.Position = position;
                row.UpdatedAt = now;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return await mediator.Send(new GetParkedQueuesQuery(request.Id, request.IsPoint), cancellationToken);
    }
}

/// <summary>The queues stored at one scope (not merged).</summary>
public sealed record GetParkedQueuesQuery(Guid Id, bool IsPoint) : IRequest<IReadOnlyList<ParkedQueueDto>>;

public sealed class GetParkedQueuesHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<GetParkedQueuesQuery, IReadOnlyList<ParkedQueueDto>>
{
    public async Task<IReadOnlyList<ParkedQueueDto>> Handle(GetParkedQueuesQuery request, CancellationToken cancellationToken)
    {
        var (companyId, pointId) = await ParkingScope.ResolveAsync(db, access, request.Id, request.IsPoint, cancellationToken);
        var scopeId = pointId ?? companyId;
        return await db.ParkedQueues.AsNoTracking().Where(q => q.ScopeId == scopeId).OrderBy(q => q.Position)
            .Select(q => new ParkedQueueDto(q.Key, q.Name, request.IsPoint ? "point" : "company")).ToListAsync(cancellationToken);
    }
}

/// <summary>A point's queues: the company defaults (renamed where the point overrides them), then the point's own.</summary>
public sealed record GetEffectiveParkedQueuesQuery(Guid PickupPointId) : IRequest<IReadOnlyList<ParkedQueueDto>>;

public sealed class GetEffectiveParkedQueuesHandler(OrderHubDbContext db, AccessScope access)
    : IRequestHandler<GetEffectiveParkedQueuesQuery, IReadOnlyList<ParkedQueueDto>>
{
    public async Task<IReadOnlyList<ParkedQueueDto>> Handle(GetEffectiveParkedQueuesQuery request, CancellationToken cancellationToken)
    {
        var companyId = await access.EnsurePickupPointAsync(request.PickupPointId, cancellationToken);
        return await ParkingScope.EffectiveAsync(db, companyId, request.PickupPointId, cancellationToken);
    }
}

/// <summary>
/// Puts an order that waits for export into one of its point's queues (or takes it out with a null queue),
/// recording who parked it and their role, for the parked list's visibility.
/// </summary>
public sealed record ParkOrderCommand(Guid OrderId, string? Queue, string Actor, string Role) : IRequest<OrderSummaryDto>;

/// <summary>The body of <c>POST /api/orders/{id}/park</c>.</summary>
public sealed record ParkOrderRequest
{
    /// <summary>A queue key of the order's pickup point; null takes the order out of its queue.</summary>
    public string? Queue { get; init; }
}

public sealed class ParkOrderHandler(OrderHubDbContext db, AccessScope access, TimeProvider time, IMapper mapper)
    : IRequestHandler<ParkOrderCommand, OrderSummaryDto>
{
    public async Task<OrderSummaryDto> Handle(ParkOrderCommand request, CancellationToken cancellationToken)
    {
        var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == request.OrderId, cancellationToken)
                    ?? throw ProblemException.NotFound("Order", request.OrderId);
        await access.EnsureCanSeeAsync(order.CompanyId, "Order", request.OrderId, cancellationToken);
        if (order.ExportState != ExportState.AwaitingExport)
        {
            throw ProblemException.Conflict("Only orders waiting for export can be parked",
                $"The order is {order.ExportState}; parked queues hold orders that wait for a manual export (AwaitingExport).");
        }

        var now = time.GetUtcNow();
        string message;
        if (request.Queue is null)
        {
            message = $"Taken out of parked queue '{order.ParkedQueue}'.";
            order.ParkedQueue = order.ParkedBy = order.ParkedByRole = null;
            order.ParkedAt = null;
        }
        else
        {
            var queue = (await ParkingScope.EffectiveAsync(db, order.CompanyId, order.PickupPointId, cancellationToken)).FirstOrDefault(q => q.Key == request.Queue)
                        ?? throw ProblemException.Invalid("queue", $"The pickup point has no parked queue '{request.Queue}'.");
            order.ParkedQueue = queue.Key;
            order.ParkedBy = request.Actor;
            order.ParkedByRole = request.Role;
            order.ParkedAt = now;
            message = $"Parked in queue '{queue.Name}' by {request.Actor}.";
        }

        order.UpdatedAt = now;
        db.Record(order, now, ParkingActions.Parked, ActionOutcome.Info, message, request.Actor);
        await db.SaveChangesAsync(cancellationToken);
        return mapper.Map<OrderSummaryDto>(order);
    }
}

public sealed class ParkOrderValidator : AbstractValidator<ParkOrderCommand>
{
    public ParkOrderValidator() => RuleFor(c => c.Queue).MaximumLength(Limits.Key);
}

public static class ParkingActions
{
    public const string Parked = "order.parked";
}

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

internal static class ParkingScope
{
    /// <summary>The company and (for a point scope) the point, both visible to the caller; else 404.</summary>
    public static async Task<(Guid CompanyId, Guid? PointId)> ResolveAsync(OrderHubDbContext db, AccessScope access, Guid id, bool isPoint, CancellationToken cancellationToken)
    {
        if (isPoint)
        {
            return (await access.EnsurePickupPointAsync(id, cancellationToken), id);
        }

        if (!await db.Companies.AnyAsync(c => c.Id == id, cancellationToken))
        {
            throw ProblemException.NotFound("Company", id);
        }

        await access.EnsureCanSeeAsync(id, "Company", id, cancellationToken);
        return (id, null);
    }

    public static async Task<IReadOnlyList<ParkedQueueDto>> EffectiveAsync(OrderHubDbContext db, Guid companyId, Guid pointId, CancellationToken cancellationToken)
    {
        var rows = await db.ParkedQueues.AsNoTracking().Where(q => q.ScopeId == companyId || q.ScopeId == pointId).ToListAsync(cancellationToken);
        var own = rows.Where(r => r.PickupPointId == pointId).ToDictionary(r => r.Key);
        var defaults = rows.Where(r => r.PickupPointId is null).OrderBy(r => r.Position).ToList();
        return defaults
            .Select(d => own.TryGetValue(d.Key, out var o) ? new ParkedQueueDto(d.Key, o.Name, "overridden") : new ParkedQueueDto(d.Key, d.Name, "company"))
            .Concat(own.Values.Where(o => defaults.All(d => d.Key != o.Key)).OrderBy(o => o.Position).Select(o => new ParkedQueueDto(o.Key, o.Name, "point")))
            .ToList();
    }
}
