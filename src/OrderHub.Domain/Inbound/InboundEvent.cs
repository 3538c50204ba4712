namespace OrderHub.Domain.Inbound;

/// <summary>What became of an inbound event.</summary>
public enum InboundEventState
{
    /// <summary>Applied to its order.</summary>
    Processed,

    /// <summary>Its pickup point is not configured; kept for replay.</summary>
    Unrouted,

    /// <summary>An event type this version does not act on; kept, with a history note.</summary>
    Ignored,

    /// <summary>Was unrouted, then replayed successfully after its pickup point was configured.</summary>
    Replayed,
}

/// <summary>
/// One webhook delivery from Dots, keyed for idempotency by its <c>webhook-id</c> and by what it means
/// (event type + order + status), both unique per company and inserted in the same transaction as the change.
/// </summary>
public sealed class InboundEvent
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CompanyId { get; set; }

    /// <summary>The <c>webhook-id</c> header (equals <c>eventId</c>).</summary>
    public string WebhookId { get; set; } = "";

    /// <summary>The event's meaning: <c>{event}:{orderId}[:{status}]</c>. A second copy under a new id is the same event.</summary>
    public string DedupKey { get; set; } = "";

    public string EventType { get; set; } = "";

    public string? DotsOrderId { get; set; }

    public string? DotsAddressId { get; set; }

    public Guid? OrderId { get; set; }

    public InboundEventState State { get; set; }

    public DateTimeOffset? OccurredAt { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The body exactly as it arrived. Null for an accepted order, whose payload the order keeps.</summary>
    public string? RawPayload { get; set; }

    /// <summary>When retention emptied <see cref="RawPayload"/>; null while it is kept (or there never was one).</summary>
    public DateTimeOffset? RawPayloadPrunedAt { get; set; }

    public static string DedupKeyFor(string eventType, string? dotsOrderId, string? status) =>
        status is null ? $"{eventType}:{dotsOrderId}" : $"{eventType}:{dotsOrderId}:{status}";
}
