using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Export;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.WebhookPos;

namespace OrderHub.Api.Dispatching;

/// <summary>
/// Adds the catch-up feed's rows (<see cref="PosFeedMessage"/>) for the webhook POS messages whose outcomes a write
/// group records: once per message, at its first attempt's outcome, delivered or not, with the exact body the
/// client sent (the body the client serialized and sent, handed back in its result; the same on every retry, only the headers change). Part of the outcome writer's
/// transaction, so a message is in the feed exactly when its attempt is recorded.
/// </summary>
public sealed class PosFeedRecorder
{
    private readonly OrderHubDbContext _db;
    private readonly HashSet<(Guid, string)> _stored;

    private PosFeedRecorder(OrderHubDbContext db, HashSet<(Guid, string)> stored) => (_db, _stored) = (db, stored);

    /// <summary>The reason a <c>pos-order.cancelled</c> message carries.</summary>
    public static string CancelReason(Order order) => order.CancelReason ?? "Cancelled in Dots";

    /// <summary>Reads which of the group's messages the feed already holds (before the write transaction).</summary>
    public static async Task<PosFeedRecorder> PrepareAsync(OrderHubDbContext db, IReadOnlyList<ExportCompletion> completions)
    {
        var candidates = completions.Where(Sent).Select(c => (c.Work.Integration!.Id, MessageId(c.Work))).ToList();
        if (candidates.Count == 0)
        {
            return new PosFeedRecorder(db, []);
        }

        var integrationIds = candidates.Select(c => c.Id).Distinct().ToList();
        var messageIds = candidates.Select(c => c.Item2).Distinct().ToList();
        var stored = await db.PosFeedMessages.AsNoTracking()
            .Where(m => integrationIds.Contains(m.IntegrationId) && messageIds.Contains(m.MessageId))
            .Select(m => new { m.IntegrationId, m.MessageId })
            .ToListAsync(CancellationToken.None);
        return new PosFeedRecorder(db, stored.Select(s => (s.IntegrationId, s.MessageId)).ToHashSet());
    }

    /// <summary>Adds the feed row of a completion whose outcome is being written, when it sent a webhook message not yet in the feed.</summary>
    public void Add(ExportCompletion completion, DateTimeOffset now)
    {
        if (!Sent(completion))
        {
            return;
        }

        var work = completion.Work;
        var messageId = MessageId(work);
        if (!_stored.Add((work.Integration!.Id, messageId)))
        {
            return;
        }

        var cancel = work.Entry.Kind == ExportQueueKind.Cancel;
        _db.PosFeedMessages.Add(new PosFeedMessage
        {
            IntegrationId = work.Integration.Id,
            PickupPointId = work.Point.Id,
            OrderId = work.Order.Id,
            MessageId = messageId,
            Type = cancel ? PosOrderMessage.CancelledType : PosOrderMessage.OrderType,
            Body = completion.Result!.SentBody!,
            CreatedAt = now,
        });
    }

    /// <summary>An attempt that built a webhook message for an enabled webhook integration (sent, or tried to be): the client hands back the exact body.</summary>
    private static bool Sent(ExportCompletion completion) =>
        completion.Result?.SentBody is not null && !completion.Work.NothingToSend && completion.Work.Integration is { Kind: PosKind.Webhook, Enabled: true };

    /// <summary>The <c>webhook-id</c> the client sends (<see cref="WebhookPosClient"/>).</summary>
    private static string MessageId(ExportWork work) =>
        work.Entry.Kind == ExportQueueKind.Cancel ? work.CreateEntry.MessageId + ".cancel" : work.CreateEntry.MessageId;
}
