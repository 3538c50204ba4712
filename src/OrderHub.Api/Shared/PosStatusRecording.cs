using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Domain.History;
using OrderHub.Domain.Orders;

namespace OrderHub.Api.Shared;

public static class PosStatusRecording
{
    /// <summary>The actor of statuses a webhook POS reported itself (its rows tell that it reports acceptance at all).</summary>
    public const string WebhookPosActor = "pos";

    /// <summary>
    /// Records the order's status at the POS (<c>accepted</c>, <c>rejected</c>, <c>closed</c>) and its history
    /// row; a rejection stands as the order's problem, with what support should do about it.
    /// </summary>
    public static void RecordPosStatus(this OrderHubDbContext db, Order order, DateTimeOffset now, string status, Msg message, string actor)
    {
        order.PosStatus = status;
        order.UpdatedAt = now;
        if (status == "rejected")
        {
            order.Problem = FailureReason.PosRejected;
            db.Record(order, now, Actions.PosStatus, ActionOutcome.Failure, message, actor, FailureReason.PosRejected,
                Msg.Of("hint.posRejected"));
        }
        else
        {
            db.Record(order, now, Actions.PosStatus, ActionOutcome.Success, message, actor);
        }
    }
}
