using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Orders.ResolveOrder;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Export;
using OrderHub.Domain.History;
using OrderHub.Domain.Orders;

namespace OrderHub.Api.Features.Orders.ExportOrder;

/// <summary>
/// An operator's export: resolves the order again with today's mappings and queues it for the POS. An order the
/// POS already has is sent again only with <see cref="Force"/> and a reason.
/// </summary>
public sealed record ExportOrderCommand(Guid OrderId, string Actor, bool Force = false, string? Reason = null) : IRequest<ExportOrderResult>;

/// <summary>The optional body of <c>POST /api/orders/{id}/export</c>.</summary>
public sealed record ExportOrderRequest
{
    /// <summary>Send an order that was already exported again (the POS lost it). Needs <see cref="Reason"/>.</summary>
    public bool Force { get; init; }

    /// <summary>Why it is sent again; kept in the order's history.</summary>
    public string? Reason { get; init; }
}

public sealed class ExportOrderValidator : AbstractValidator<ExportOrderCommand>
{
    public ExportOrderValidator()
    {
        RuleFor(c => c.Reason).NotEmpty().When(c => c.Force)
            .WithMessageKey("valid.forceReason");
        RuleFor(c => c.Reason).MaximumLength(500);
    }
}

public sealed record ExportOrderResult(Guid OrderId, string ExportState);

public sealed class ExportOrderHandler(OrderHubDbContext db, IMediator mediator, TimeProvider time, AccessScope access) : IRequestHandler<ExportOrderCommand, ExportOrderResult>
{
    public async Task<ExportOrderResult> Handle(ExportOrderCommand request, CancellationToken cancellationToken)
    {
        var order = await db.Orders.Include(o => o.Lines).ThenInclude(l => l.Modifiers).Include(o => o.Promotions)
                        .AsSplitQuery()
                        .FirstOrDefaultAsync(o => o.Id == request.OrderId, cancellationToken)
                    ?? throw ProblemException.NotFound("Order", request.OrderId);
        await access.EnsureCanSeeAsync(order.CompanyId, "Order", request.OrderId, cancellationToken);
        if (request.Force && order.ExportState == ExportState.Exported)
        {
            return await ResendAsync(order, request, cancellationToken);
        }

        if (!order.CanBeExported)
        {
            throw ProblemException.Conflict(Msg.Of("problem.cannotExport"),
                order.ExportState == ExportState.Exported
                    ? Msg.Of("problem.cannotExport.exported")
                    : Msg.Of("problem.cannotExport.state", ("state", order.ExportState)),
                new Dictionary<string, object?> { ["exportState"] = order.ExportState.ToString() });
        }

        var point = await db.PickupPoints.AsNoTracking().FirstAsync(p => p.Id == order.PickupPointId, cancellationToken);
        db.Record(order, time.GetUtcNow(), Actions.ExportRequested, ActionOutcome.Info, Msg.Of("export.requested"), request.Actor);
        var result = await mediator.Send(new ResolveOrderCommand(order, point, request.Actor, ManualExport: true), cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw ProblemException.Conflict(Msg.Of("problem.alreadyExporting"), Msg.Of("problem.alreadyExporting.detail"));
        }

        return result.Refusal switch
        {
            null => new ExportOrderResult(order.Id, order.ExportState.ToString()),
            FailureReason.MissingExternalId => throw ProblemException.Conflict(Msg.Of("problem.idsMissing"),
                Msg.Of("problem.idsMissing.detail", ("count", result.Missing.Count), ("point", point.Name)),
                new Dictionary<string, object?>
                {
                    ["exportState"] = order.ExportState.ToString(),
                    ["missing"] = result.Missing.Select(m => new { kind = m.Kind.ToString(), dotsId = m.DotsId, name = m.Name }).ToList(),
                }),
            var reason => throw ProblemException.Conflict(Msg.Of("problem.pointCannotTake"),
                Msg.Of(reason == FailureReason.NoPosIntegration ? "problem.pointCannotTake.noPos" : "problem.pointCannotTake.disabled", ("point", point.Name)),
                new Dictionary<string, object?> { ["exportState"] = order.ExportState.ToString(), ["reason"] = reason.ToString() }),
        };
    }

    private async Task<ExportOrderResult> ResendAsync(Order order, ExportOrderCommand request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entry = await db.ExportQueue.FirstAsync(e => e.OrderId == order.Id && e.Kind == ExportQueueKind.Create, cancellationToken);

        entry.StartNewGeneration(now);
        order.RequeueForcedResend();
        order.UpdatedAt = now;
        db.Record(order, now, Actions.ExportForced, ActionOutcome.Warning,
            Msg.Of("export.forced", ("generation", entry.Generation), ("reason", request.Reason)), request.Actor,
            details: new { generation = entry.Generation, previousPosOrderId = order.PosOrderId });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw ProblemException.Conflict(Msg.Of("problem.sendingNow"), Msg.Of("problem.sendingNow.detail"));
        }

        return new ExportOrderResult(order.Id, order.ExportState.ToString());
    }
}
