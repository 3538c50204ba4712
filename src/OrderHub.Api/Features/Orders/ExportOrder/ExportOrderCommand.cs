using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.History;
using OrderHub.Api.Features.Orders.ResolveOrder;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Domain.History;

namespace OrderHub.Api.Features.Orders.ExportOrder;

/// <summary>An operator's export: resolves the order again with today's mappings and queues it for the POS.</summary>
public sealed record ExportOrderCommand(Guid OrderId, string Actor) : IRequest<ExportOrderResult>;

public sealed record ExportOrderResult(Guid OrderId, string ExportState);

public sealed class ExportOrderHandler(OrderHubDbContext db, IMediator mediator, TimeProvider time) : IRequestHandler<ExportOrderCommand, ExportOrderResult>
{
    public async Task<ExportOrderResult> Handle(ExportOrderCommand request, CancellationToken cancellationToken)
    {
        var order = await db.Orders.Include(o => o.Lines).ThenInclude(l => l.Modifiers).Include(o => o.Promotions)
                        .AsSplitQuery()
                        .FirstOrDefaultAsync(o => o.Id == request.OrderId, cancellationToken)
                    ?? throw ProblemException.NotFound("Order", request.OrderId);
        if (!order.CanBeExported)
        {
            throw ProblemException.Conflict("The order cannot be exported now",
                $"The order is {order.ExportState}; only orders that need mapping, await export or failed can be exported.",
                new Dictionary<string, object?> { ["exportState"] = order.ExportState.ToString() });
        }

        var point = await db.PickupPoints.AsNoTracking().FirstAsync(p => p.Id == order.PickupPointId, cancellationToken);
        db.Record(order, time.GetUtcNow(), Actions.ExportRequested, ActionOutcome.Info, "Export requested.", request.Actor);
        var result = await mediator.Send(new ResolveOrderCommand(order, point, request.Actor, ManualExport: true), cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw ProblemException.Conflict("The order is already being exported", "Another export request queued it first.");
        }

        return result.Refusal switch
        {
            null => new ExportOrderResult(order.Id, order.ExportState.ToString()),
            FailureReason.MissingExternalId => throw ProblemException.Conflict("External IDs are missing",
                $"{result.Missing.Count} item(s) have no external ID at pickup point '{point.Name}'; the order stays in NeedsMapping.",
                new Dictionary<string, object?>
                {
                    ["exportState"] = order.ExportState.ToString(),
                    ["missing"] = result.Missing.Select(m => new { kind = m.Kind.ToString(), dotsId = m.DotsId, name = m.Name }).ToList(),
                }),
            var reason => throw ProblemException.Conflict("The pickup point cannot take orders",
                reason == FailureReason.NoPosIntegration
                    ? $"Pickup point '{point.Name}' has no POS integration."
                    : $"The POS integration of pickup point '{point.Name}' is disabled.",
                new Dictionary<string, object?> { ["exportState"] = order.ExportState.ToString(), ["reason"] = reason.ToString() }),
        };
    }
}
