using OrderHub.Domain.Orders;

namespace OrderHub.Api.Features.Orders;

public enum InboundOutcomeKind
{
    /// <summary>New work was done and committed.</summary>
    Applied,

    /// <summary>The same event (same webhook-id or same meaning) was already handled: nothing new was done.</summary>
    Duplicate,

    /// <summary>The event names a pickup point that is not configured; it is kept for replay.</summary>
    Unrouted,

    /// <summary>An event type OrderHub does not act on; kept with a history note.</summary>
    Ignored,

    /// <summary>A status event for an order not received yet: nothing was stored; it waits in the inbox for the order.</summary>
    AwaitingOrder,
}

/// <summary>What became of one inbound event.</summary>
public sealed record InboundOutcome(InboundOutcomeKind Kind, Guid EventId, Guid? OrderId, ExportState? ExportState);

/// <summary>What became of a processed (or replayed) Dots event.</summary>
/// <param name="Outcome"><c>applied</c>, <c>duplicate</c> (nothing new was done), <c>unrouted</c> or <c>ignored</c>.</param>
public sealed record DotsEventReceipt(string Outcome, Guid EventId, Guid? OrderId, string? ExportState)
{
    public static DotsEventReceipt From(InboundOutcome outcome) =>
        new(outcome.Kind.ToString().ToLowerInvariant(), outcome.EventId, outcome.OrderId, outcome.ExportState?.ToString());
}
