namespace OrderHub.Domain.Orders;

/// <summary>Where an order stands on its way to the POS.</summary>
public enum ExportState
{
    /// <summary>Stored, not yet resolved against the pickup point's external ids.</summary>
    Received,

    /// <summary>Some product, variant, modifier or promotion has no external id; nothing will be pushed.</summary>
    NeedsMapping,

    /// <summary>Resolved; the pickup point exports by hand (auto-sync is off) and an operator has not yet.</summary>
    AwaitingExport,

    /// <summary>Resolved and in the durable export queue; the dispatcher will push it.</summary>
    Queued,

    /// <summary>The POS has it.</summary>
    Exported,

    /// <summary>The POS refused it for good or it ran out of retries; the history says why and what to fix.</summary>
    Failed,

    /// <summary>Cancelled in Dots before it reached the POS.</summary>
    Cancelled,

    /// <summary>
    /// Resolved at a point whose POS integration is in shadow mode: the request was built and checked, kept in
    /// the history as "would have sent", and not sent.
    /// </summary>
    Shadowed,
}
