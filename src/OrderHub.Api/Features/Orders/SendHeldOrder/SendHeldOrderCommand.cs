using System.Security.Claims;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Export;
using OrderHub.Domain.History;

namespace OrderHub.Api.Features.Orders.SendHeldOrder;

/// <summary>
/// "Send now": a held pre-order goes to the POS at once instead of at its due time. The queue entry becomes due
/// now (the engine claims it on its next round); the history says who sent it early.
/// </summary>
public sealed record SendHeldOrderCommand(Guid OrderId, string Actor) : IRequest<SendHeldOrderResult>;

public sealed record SendHeldOrderResult(Guid OrderId, string ExportState, DateTimeOffset WasHeldUntil);

public sealed class SendHeldOrderHandler(OrderHubDbContext db, TimeProvider time, AccessScope access) : IRequestHandler<SendHeldOrderCommand, SendHeldOrderResult>
{
    public async Task<SendHeldOrderResult> Handle(SendHeldOrderCommand request, CancellationToken cancellationToken)
    {
        var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == request.OrderId, cancellationToken)
                    ?? throw ProblemException.NotFound("Order", request.OrderId);
        await access.EnsureCanSeeAsync(order.CompanyId, "Order", request.OrderId, cancellationToken);
        var now = time.GetUtcNow();
        var entry = await db.ExportQueue.FirstOrDefaultAsync(e => e.OrderId == order.Id && e.Kind == ExportQueueKind.Create, cancellationToken);
        if (entry is not { State: ExportQueueState.Pending, HeldUntil: { } heldUntil } || heldUntil <= now || entry.LeaseUntil > now)
        {
            throw ProblemException.Conflict(Msg.Of("problem.notHeld"), Msg.Of("problem.notHeld.detail"));
        }

        var timeZone = await db.PickupPoints.Where(p => p.Id == order.PickupPointId).Select(p => p.TimeZone).FirstAsync(cancellationToken);
        entry.HeldUntil = null;
        entry.NextAttemptAt = now;
        entry.CreatedAt = now;
        entry.UpdatedAt = now;
        db.Record(order, now, Actions.ExportSentEarly, ActionOutcome.Info,
            Msg.Of("export.sentEarly", ("time", HeldPreOrders.LocalTime(heldUntil, timeZone))), request.Actor,
            details: new { heldUntil });

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Attempts is the entry's concurrency token: it fell due and was claimed since it was read.
            throw ProblemException.Conflict(Msg.Of("problem.sendingNow"), Msg.Of("problem.sendingNow.detail"));
        }

        return new SendHeldOrderResult(order.Id, order.ExportState.ToString(), heldUntil);
    }
}

public static class SendHeldOrderEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/orders/{id:guid}/send-now", async (IMediator m, Guid id, ClaimsPrincipal user, CancellationToken ct) =>
                TypedResults.Accepted($"/api/orders/{id}", await m.Send(new SendHeldOrderCommand(id, user.Actor()), ct)))
            .WithTags("Orders")
            .WithName("SendHeldOrder")
            .WithSummary("Send a held pre-order to the POS now instead of at its due time (delivery time minus the point's preparation minutes)")
            .Produces<SendHeldOrderResult>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
}
