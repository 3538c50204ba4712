namespace OrderHub.Domain.History;

/// <summary>
/// One append-only row of the action history: what happened to an order (or to an inbound event that could
/// not be routed to one), who did it, how it ended, and, when something went wrong, why and how to fix it.
/// Details never carry secrets or customer personal data.
/// </summary>
public sealed class OrderAction
{
    public const string SystemActor = "system";

    /// <summary>Sequential per database, so rows of one order read in the order they were written.</summary>
    public long Id { get; set; }

    public Guid CompanyId { get; set; }

    public Guid? OrderId { get; set; }

    public Guid? InboundEventId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>What happened, e.g. <c>order.received</c>, <c>order.resolved</c>, <c>export.queued</c>.</summary>
    public string Action { get; set; } = "";

    public ActionOutcome Outcome { get; set; }

    /// <summary><c>system</c>, or <c>user:{name}</c> for an operator, or the Dots actor of an event.</summary>
    public string Actor { get; set; } = SystemActor;

    public FailureReason? Reason { get; set; }

    /// <summary>Plain words for support: what to do about <see cref="Reason"/>.</summary>
    public string? FixHint { get; set; }

    /// <summary>The English text; the fallback for rows without <see cref="MessageKey"/>.</summary>
    public string Message { get; set; } = "";

    /// <summary>The message as data: a catalog key, rendered in the reader's language with <see cref="MessageArgs"/> (JSON).</summary>
    public string? MessageKey { get; set; }

    public string? MessageArgs { get; set; }

    /// <summary>The fix hint as data, like <see cref="MessageKey"/>; <see cref="FixHint"/> keeps its English text.</summary>
    public string? FixHintKey { get; set; }

    public string? FixHintArgs { get; set; }

    /// <summary>Structured details as JSON, masked.</summary>
    public string? Details { get; set; }
}
