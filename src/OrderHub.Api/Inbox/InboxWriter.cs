using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Api.Processing;
using OrderHub.Domain.Inbound;
using OrderHub.Integrations.Dots;

namespace OrderHub.Api.Inbox;

/// <summary>An event as the inbox holds it: its id, its order, and whether this delivery stored it.</summary>
public sealed record StoredInboxEvent(Guid Id, string? DotsOrderId, bool IsNew);

/// <summary>
/// Appends raw events to the inbox. Events arriving together are committed together (group commit: one
/// transaction, one log sync) and each caller returns once its row is durable. A <c>webhook-id</c> the company
/// already stored returns the stored event: the unique key decides, also between concurrent copies.
/// </summary>
public sealed class InboxWriter(IServiceScopeFactory scopes, GroupCommit commits, QueueWake wake, TimeProvider time)
{
    private readonly Action _wakeProcessor = () => wake.Notify(QueueName.Inbox);

    public async Task<StoredInboxEvent> AppendAsync(
        Guid companyId, string webhookId, string timestamp, DotsEvent dotsEvent, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var row = new InboxEvent
        {
            CompanyId = companyId,
            WebhookId = webhookId,
            WebhookTimestamp = timestamp,
            EventType = dotsEvent.EventType,
            DotsOrderId = dotsEvent.OrderId,
            OrderingKey = dotsEvent.CompanyAddressId ?? dotsEvent.OrderId,
            // The intake reads the body into an array of its exact size: keep that array rather than copy it.
            Body = MemoryMarshal.TryGetArray(body, out var whole) && whole is { Offset: 0, Array: { } array } && whole.Count == array.Length
                ? array
                : body.ToArray(),
            ReceivedAt = now,
            NextAttemptAt = now,
            State = InboxEventState.Received,
        };

        try
        {
            // Straight to the group's writer, no context of the request's own. Not cancellable once handed over:
            // a stored event is answered, or Dots retries and gets a 200.
            // The rows go in by a plain INSERT, past the interceptor that wakes the processor: wake it here, once a group.
            await commits.AddAsync([row], _wakeProcessor);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
            var stored = await db.InboxEvents.AsNoTracking()
                .Where(e => e.CompanyId == companyId && e.WebhookId == webhookId)
                .Select(e => new StoredInboxEvent(e.Id, e.DotsOrderId, false))
                .FirstOrDefaultAsync(cancellationToken);
            return stored ?? throw new InvalidOperationException("A unique key was violated but no inbox event has this webhook-id.", ex);
        }

        return new StoredInboxEvent(row.Id, row.DotsOrderId, true);
    }
}
