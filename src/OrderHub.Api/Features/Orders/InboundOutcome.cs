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
}

/// <summary>What became of one inbound event.</summary>
public sealed record InboundOutcome(InboundOutcomeKind Kind, Guid EventId, Guid? OrderId, ExportState? ExportState);
