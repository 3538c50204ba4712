using AutoMapper;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Orders;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Persistence.Configurations;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.History;
using OrderHub.Domain.Orders;

namespace OrderHub.Api.Features.Parking;

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
            throw ProblemException.Conflict(Msg.Of("problem.parkOnlyWaiting"), Msg.Of("problem.parkOnlyWaiting.detail", ("state", order.ExportState)));
        }

        var now = time.GetUtcNow();
        Msg message;
        if (request.Queue is null)
        {
            message = Msg.Of("parking.unparked", ("queue", order.ParkedQueue));
            order.ParkedQueue = order.ParkedBy = order.ParkedByRole = null;
            order.ParkedAt = null;
        }
        else
        {
            var queue = (await ParkingScope.EffectiveAsync(db, order.CompanyId, order.PickupPointId, cancellationToken)).FirstOrDefault(q => q.Key == request.Queue)
                        ?? throw ProblemException.Invalid("queue", Msg.Of("refusal.noParkedQueue", ("queue", request.Queue)));
            order.ParkedQueue = queue.Key;
            order.ParkedBy = request.Actor;
            order.ParkedByRole = request.Role;
            order.ParkedAt = now;
            message = Msg.Of("parking.parked", ("queue", queue.Name), ("actor", request.Actor));
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
