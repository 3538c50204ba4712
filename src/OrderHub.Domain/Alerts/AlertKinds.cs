namespace OrderHub.Domain.Alerts;

/// <summary>The alerts a chat can switch on, one bit each (stored as an integer).</summary>
[Flags]
public enum AlertKinds
{
    None = 0,

    /// <summary>An order failed to reach the POS (reason, hint, link).</summary>
    ExportFailed = 1 << 0,

    /// <summary>An order waits for external ids (which items).</summary>
    NeedsMapping = 1 << 1,

    /// <summary>An order has waited in AwaitingExport (or unaccepted at the POS) longer than the threshold.</summary>
    WaitingTooLong = 1 << 2,

    /// <summary>Cancelled or changed in Dots after it reached the POS: the register must act.</summary>
    ChangedAfterExport = 1 << 3,

    /// <summary>A pickup point's POS stopped answering (circuit open) or recovered.</summary>
    PosCircuit = 1 << 4,

    /// <summary>An event named a pickup point that is not configured.</summary>
    UnroutedEvent = 1 << 5,

    /// <summary>Poster register: a check was deleted.</summary>
    CheckDeleted = 1 << 6,

    /// <summary>Poster register: an item removed or its count lowered after it was sent to the kitchen.</summary>
    ItemRemovedAfterKitchen = 1 << 7,

    /// <summary>Poster register: a customer discount set on a check.</summary>
    DiscountSet = 1 << 8,

    /// <summary>Poster register: items removed after the pre-check was printed.</summary>
    RemovedAfterPrecheck = 1 << 9,

    /// <summary>Poster register: a check paid and closed.</summary>
    CheckClosed = 1 << 10,

    /// <summary>Fiscal receipt failed: raised by the fiscal feature through the <c>fiscal.receipt_failed</c> history action.</summary>
    FiscalReceiptFailed = 1 << 11,

    /// <summary>Refund issued: raised by the fiscal feature through the <c>fiscal.refund_issued</c> history action.</summary>
    RefundIssued = 1 << 12,

    /// <summary>The register operations.</summary>
    RegisterOperations = CheckDeleted | ItemRemovedAfterKitchen | DiscountSet | RemovedAfterPrecheck | CheckClosed,

    /// <summary>What a new chat gets: everything except closed checks, which are routine and many.</summary>
    Default = ExportFailed | NeedsMapping | WaitingTooLong | ChangedAfterExport | PosCircuit | UnroutedEvent
              | CheckDeleted | ItemRemovedAfterKitchen | DiscountSet | RemovedAfterPrecheck | FiscalReceiptFailed | RefundIssued,
}

/// <summary>The reports a chat gets or may ask for.</summary>
[Flags]
public enum ReportKinds
{
    None = 0,

    /// <summary>The end-of-day report, sent at the chat's report time (local to each pickup point).</summary>
    EndOfDay = 1 << 0,

    /// <summary><c>/report</c>, <c>/report today</c>, <c>/report yesterday</c> and their buttons.</summary>
    OnRequest = 1 << 1,

    /// <summary><c>/status</c>: what is stuck right now.</summary>
    Status = 1 << 2,

    All = EndOfDay | OnRequest | Status,
}
