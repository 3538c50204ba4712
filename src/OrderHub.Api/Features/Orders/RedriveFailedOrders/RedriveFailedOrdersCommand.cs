using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Orders.ResolveOrder;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.History;
using OrderHub.Domain.Orders;

namespace OrderHub.Api.Features.Orders.RedriveFailedOrders;

public sealed record RedriveFailedOrdersRequest
{
    public Guid PickupPointId { get; init; }

    /// <summary>Only orders that failed at or after this time (e.g. the start of the outage).</summary>
    public DateTimeOffset? FailedSince { get; init; }
}

/// <summary>After a POS outage: every Failed order of one pickup point resolved again and queued, oldest first.</summary>
public sealed record RedriveFailedOrdersCommand(Guid PickupPointId, DateTimeOffset? FailedSince, string Actor) : IRequest<RedriveFailedOrdersResult>;

/// <param name="Requeued">Orders queued for the POS again.</param>
/// <param name="NotRequeued">Orders that stay where they are (missing ids now, or the POS integration is off), with why.</param>
public sealed record RedriveFailedOrdersResult(int Requeued, IReadOnlyList<RedriveSkipped> NotRequeued);

public sealed record RedriveSkipped(Guid OrderId, string Number, string ExportState, string? Reason);

public sealed class RedriveFailedOrdersValidator : AbstractValidator<RedriveFailedOrdersCommand>
{
    public RedriveFailedOrdersValidator() => RuleFor(c => c.PickupPointId).NotEmpty();
}

public sealed class RedriveFailedOrdersHandler(OrderHubDbContext db, IMediator mediator, TimeProvider time, AccessScope access)
    : IRequestHandler<RedriveFailedOrdersCommand, RedriveFailedOrdersResult>
{
    /// <summary>Bounded per request so one call cannot hold the database for long; call again for the rest.</summary>
    public const int MaxOrdersPerCall = 500;

    public async Task<RedriveFailedOrdersResult> Handle(RedriveFailedOrdersCommand request, CancellationToken cancellationToken)
    {
        var point = await db.PickupPoints.AsNoTracking().FirstOrDefaultAsync(p => p.Id == request.PickupPointId, cancellationToken)
                    ?? throw ProblemException.NotFound("Pickup point", request.PickupPointId);
        await access.EnsureCanSeeAsync(point.CompanyId, "Pickup point", point.Id, cancellationToken);
        var orders = await db.Orders
            .Include(o => o.Lines).ThenInclude(l => l.Modifiers).Include(o => o.Promotions)
            .AsSplitQuery()
            .Where(o => o.PickupPointId == point.Id && o.ExportState == ExportState.Failed
                        && (request.FailedSince == null || o.UpdatedAt >= request.FailedSince))
            .OrderBy(o => o.ReceivedAt)
            .Take(MaxOrdersPerCall)
            .ToListAsync(cancellationToken);

        var now = time.GetUtcNow();
        var skipped = new List<RedriveSkipped>();
        var requeued = 0;
        foreach (var order in orders)
        {
            db.Record(order, now, Actions.ExportRequested, ActionOutcome.Info, Msg.Of("export.redriven"), request.Actor);
            var result = await mediator.Send(new ResolveOrderCommand(order, point, request.Actor, ManualExport: true), cancellationToken);
            if (order.ExportState == ExportState.Queued)
            {
                requeued++;
            }
            else
            {
                skipped.Add(new RedriveSkipped(order.Id, order.Number, order.ExportState.ToString(), result.Refusal?.ToString()));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return new RedriveFailedOrdersResult(requeued, skipped);
    }
}
