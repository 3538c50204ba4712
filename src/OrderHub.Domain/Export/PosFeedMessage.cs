namespace OrderHub.Domain.Export;

/// <summary>
/// One signed message of a webhook POS integration's catch-up feed (<c>GET /api/pos-feed/{integrationId}</c>): the
/// exact <c>pos-order</c> or <c>pos-order.cancelled</c> body the dispatcher sends, stored when its first attempt's
/// outcome is written (delivered or not), so a receiver that was down can pull what it missed.
/// </summary>
public sealed class PosFeedMessage
{
    /// <summary>The feed cursor: assigned by the database, rising with every message stored; never a time.</summary>
    public long Sequence { get; set; }

    /// <summary>The effective webhook integration the message went to (a point's own, or a company default's id).</summary>
    public Guid IntegrationId { get; set; }

    public Guid PickupPointId { get; set; }

    public Guid OrderId { get; set; }

    /// <summary>The <c>webhook-id</c> of the pushes: the receiver deduplicates by it.</summary>
    public string MessageId { get; set; } = "";

    /// <summary><c>pos-order</c> or <c>pos-order.cancelled</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>The body exactly as pushed (UTF-8 JSON); the feed signs these bytes.</summary>
    public string Body { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Where a webhook POS receiver has read its feed up to: the last cursor it acknowledged.</summary>
public sealed class PosFeedPosition
{
    public Guid IntegrationId { get; set; }

    public long AckedSequence { get; set; }

    public DateTimeOffset AckedAt { get; set; }
}
