using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.Export;
using OrderHub.Domain.History;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Dispatching;

public static class CancellationRouting
{
    /// <summary>
    /// An order the POS already has was cancelled in Dots: a webhook POS is told through the queue; Poster has
    /// no cancel call, so the order is flagged for a person at the register.
    /// </summary>
    public static void RouteCancellationAfterExport(this OrderHubDbContext db, Order order, PosIntegration? integration, DateTimeOffset now)
    {
        if (integration is { Kind: PosKind.Webhook, Enabled: true })
        {
            db.ExportQueue.Add(new ExportQueueEntry
            {
                OrderId = order.Id,
                PickupPointId = order.PickupPointId,
                Kind = ExportQueueKind.Cancel,
                NextAttemptAt = now,
                CreatedAt = now,
                UpdatedAt = now,
            });
            db.Record(order, now, Actions.CancelQueued, ActionOutcome.Info, Msg.Of("cancel.queued", ("because", Because(order))));
            return;
        }

        order.Problem = FailureReason.CancelledAfterExport;
        db.Record(order, now, Actions.RegisterActionNeeded, ActionOutcome.Warning,
            Msg.Of(integration is { Kind: PosKind.Poster } ? "cancel.posterCannot" : "cancel.posCannot", ("because", Because(order))),
            reason: FailureReason.CancelledAfterExport,
            fixHint: Msg.Of("hint.cancelAtRegister"));
    }

    /// <summary>Dots' reason, quoted, or nothing when Dots gave none.</summary>
    public static string Because(Order order) => order.CancelReason is { Length: > 0 } reason ? $" («{reason}»)" : "";
}
