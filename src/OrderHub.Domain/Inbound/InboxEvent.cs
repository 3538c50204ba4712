using OrderHub.Domain.History;

namespace OrderHub.Domain.Inbound;

/// <summary>Where an event stands in the inbox.</summary>
public enum InboxEventState
{
    /// <summary>Stored and answered; waiting for the inbox processor (or for its order, for a status event).</summary>
    Received,

    /// <summary>Applied (or found to be a duplicate, unrouted or ignored): see <see cref="InboxEvent.Outcome"/>.</summary>
    Processed,

    /// <summary>Processing kept failing, or cannot succeed: kept with a typed reason until someone retries it.</summary>
    Parked,
}

/// <summary>
/// One Dots webhook delivery exactly as it arrived, stored before OrderHub answers (202) and processed after.
/// Unique per company and <c>webhook-id</c>, so a redelivery answers with the first copy's receipt. The processor
/// claims received rows with a lease (owner token + attempt count) and writes the outcome only while it holds it.
/// </summary>
public sealed class InboxEvent : ILeasedRow
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CompanyId { get; set; }

    /// <summary>The <c>webhook-id</c> header.</summary>
    public string WebhookId { get; set; } = "";

    /// <summary>The contract's event type, read when the event was validated.</summary>
    public string EventType { get; set; } = "";

    /// <summary>The order the event is about, if any: events of one order are processed one after another.</summary>
    public string? DotsOrderId { get; set; }

    /// <summary>
    /// What the event's place in line is kept within: its pickup point (the Dots address), or its order when the
    /// event names no address. A claim passes over a key another claim still holds, so one key's events are applied
    /// by one round at a time, oldest first, and keep their arrival order however many rounds run at once.
    /// </summary>
    public string? OrderingKey { get; set; }

    /// <summary>The webhook-timestamp header (unix seconds), kept with the body it signs.</summary>
    public string WebhookTimestamp { get; set; } = "";

    /// <summary>The raw body. Emptied once processed: the order or the inbound event keeps it from then on.</summary>
    public byte[]? Body { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public InboxEventState State { get; set; }

    /// <summary>Processing attempts so far; raised by every claim, so it also tells one claim from the next.</summary>
    public int Attempts { get; set; }

    /// <summary>Failed attempts so far (a status event waiting for its order is not a failure).</summary>
    public int Failures { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>Instance id + "/" + claim token of the processor holding the event; null when free.</summary>
    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>The last failure (type and message, no payload), kept while retried and when parked.</summary>
    public string? LastError { get; set; }

    /// <summary>Why it is parked.</summary>
    public FailureReason? ParkedReason { get; set; }

    /// <summary><c>applied</c>, <c>duplicate</c>, <c>unrouted</c> or <c>ignored</c> once processed.</summary>
    public string? Outcome { get; set; }

    /// <summary>The inbound event (idempotency record) processing created or matched.</summary>
    public Guid? InboundEventId { get; set; }

    public Guid? OrderId { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }
}
