using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Dispatching;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Orders;

namespace OrderHub.Api.Features.TestOrders;

/// <summary>The point's latest test orders (at most 20), newest first, each with what came back from the POS.</summary>
public sealed record GetTestOrdersQuery(Guid PickupPointId) : IRequest<IReadOnlyList<TestOrderDto>>;

public sealed class GetTestOrdersHandler(AccessScope access, TestOrderReader reader) : IRequestHandler<GetTestOrdersQuery, IReadOnlyList<TestOrderDto>>
{
    public async Task<IReadOnlyList<TestOrderDto>> Handle(GetTestOrdersQuery request, CancellationToken cancellationToken)
    {
        await access.EnsurePickupPointAsync(request.PickupPointId, cancellationToken);
        return await reader.ListAsync(request.PickupPointId, null, 20, cancellationToken);
    }
}

public sealed record GetTestOrderQuery(Guid PickupPointId, Guid OrderId) : IRequest<TestOrderDto>;

public sealed class GetTestOrderHandler(AccessScope access, TestOrderReader reader) : IRequestHandler<GetTestOrderQuery, TestOrderDto>
{
    public async Task<TestOrderDto> Handle(GetTestOrderQuery request, CancellationToken cancellationToken)
    {
        await access.EnsurePickupPointAsync(request.PickupPointId, cancellationToken);
        return await reader.ReadAsync(request.PickupPointId, request.OrderId, cancellationToken);
    }
}

/// <summary>
/// Takes a test order off the register once the POS has it: a webhook POS is sent the <c>pos-order.cancelled</c>
/// message its contract has (through the export queue); Poster has no cancel call, so the history and the answer
/// say what the cashier does at the register.
/// </summary>
public sealed record CancelTestOrderCommand(Guid PickupPointId, Guid OrderId, string Actor) : IRequest<TestOrderDto>;

public sealed class CancelTestOrderHandler(OrderHubDbContext db, AccessScope access, TimeProvider time, TestOrderReader reader)
    : IRequestHandler<CancelTestOrderCommand, TestOrderDto>
{
    public async Task<TestOrderDto> Handle(CancelTestOrderCommand request, CancellationToken cancellationToken)
    {
        await access.EnsurePickupPointAsync(request.PickupPointId, cancellationToken);
        var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == request.OrderId && o.PickupPointId == request.PickupPointId && o.IsTest, cancellationToken)
            ?? throw ProblemException.NotFound("Test order", request.OrderId);
        if (order.ExportState != ExportState.Exported)
        {
            throw ProblemException.Conflict(Msg.Of("problem.testOrderNotAtPos"), Msg.Of("problem.testOrderNotAtPos.detail", ("number", order.Number), ("state", order.ExportState)));
        }

        if (await db.ExportQueue.AnyAsync(e => e.OrderId == order.Id && e.Kind == Domain.Export.ExportQueueKind.Cancel, cancellationToken)
            || order.DotsStatus == "cancelled")
        {
            throw ProblemException.Conflict(Msg.Of("problem.testOrderCancelled"), Msg.Of("problem.testOrderCancelled.detail", ("number", order.Number)));
        }

        var now = time.GetUtcNow();
        var integration = (await EffectivePosIntegrations.ForPointAsync(db, order.PickupPointId, cancellationToken))?.Integration;
        order.DotsStatus = "cancelled";
        order.CancelReason = "Test order";
        order.UpdatedAt = now;
        db.RouteCancellationAfterExport(order, integration, now);
        await db.SaveChangesAsync(cancellationToken);
        return await reader.ReadAsync(order.PickupPointId, order.Id, cancellationToken);
    }
}
