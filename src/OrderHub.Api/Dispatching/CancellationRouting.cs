using OrderHub.Api.Features.History;
using OrderHub.Api.Persistence;
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
            db.Record(order, now, Actions.CancelQueued, ActionOutcome.Info, $"The cancellation in Dots{Because(order)} is queued for the POS.");
            return;
        }

        order.Problem = FailureReason.CancelledAfterExport;
        db.Record(order, now, Actions.RegisterActionNeeded, ActionOutcome.Warning,
            integration is { Kind: PosKind.Poster }
                ? $"Cancelled in Dots{Because(order)} after it reached Poster, which has no cancel call: the order needs action at the register."
                : $"Cancelled in Dots{Because(order)} after it reached the POS, which cannot be told now: the order needs action at the register.",
            reason: FailureReason.CancelledAfterExport,
            fixHint: "Phone the pickup point and have the cashier cancel (reject or delete) the order at the register.");
    }

    /// <summary>Dots' reason, quoted, or nothing when Dots gave none.</summary>
    public static string Because(Order order) => order.CancelReason is { Length: > 0 } reason ? $" («{reason}»)" : "";
}
