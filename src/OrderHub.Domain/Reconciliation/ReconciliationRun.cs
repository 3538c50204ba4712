namespace OrderHub.Domain.Reconciliation;

/// <summary>Where a reconciliation run stands.</summary>
public enum ReconciliationState
{
    /// <summary>Claimed by an instance (until <see cref="ReconciliationRun.LeaseUntil"/>); a lapsed lease is taken over.</summary>
    Running,

    /// <summary>Compared; the counts and findings are final for now (an operator may run it again).</summary>
    Done,

    /// <summary>The POS could not be read (or has no read call); <see cref="ReconciliationRun.Error"/> says why.</summary>
    Failed,
}

/// <summary>What started a run.</summary>
public enum ReconciliationTrigger
{
    Automatic,
    Manual,
}

/// <summary>
/// One comparison of a pickup point's day (local to the point) between the orders Dots accepted and what the POS
/// has. One row per point and day (unique): instances claim it by inserting it, so a day is compared once; a
/// run again by hand replaces its findings.
/// </summary>
public sealed class ReconciliationRun
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CompanyId { get; set; }

    public Guid PickupPointId { get; set; }

    /// <summary>The day in the point's time zone.</summary>
    public DateOnly Day { get; set; }

    public ReconciliationState State { get; set; }

    public ReconciliationTrigger Trigger { get; set; }

    /// <summary>The POS kind compared against (Poster, Webhook), or null when the point had none.</summary>
    public string? PosKind { get; set; }

    /// <summary>Non-cancelled orders Dots accepted that day: the ones the register should have.</summary>
    public int Expected { get; set; }

    /// <summary>Of <see cref="Expected"/>, the ones found at the POS (once or more).</summary>
    public int AtPos { get; set; }

    /// <summary>Orders cancelled in Dots: expected absent, not counted in <see cref="Expected"/>.</summary>
    public int Cancelled { get; set; }

    public int Missing { get; set; }

    public int Duplicates { get; set; }

    public int TotalMismatches { get; set; }

    /// <summary>Orders at the POS with an OrderHub marker of an order OrderHub does not know for this point.</summary>
    public int Unknown { get; set; }

    /// <summary>Why the POS could not be read (state Failed), in English; the fallback for rows without <see cref="ErrorKey"/>.</summary>
    public string? Error { get; set; }

    /// <summary><see cref="Error"/> as data: a message catalog key, rendered in the reader's language with <see cref="ErrorArgs"/> (JSON).</summary>
    public string? ErrorKey { get; set; }

    public string? ErrorArgs { get; set; }

    public string? RequestedBy { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Whether every expected order is at the register, once, with its total, and nothing unknown.</summary>
    public bool Clean => State == ReconciliationState.Done && Missing == 0 && Duplicates == 0 && TotalMismatches == 0 && Unknown == 0;

    public List<ReconciliationFinding> Findings { get; set; } = [];
}

/// <summary>What a finding says about an order.</summary>
public enum ReconciliationFindingKind
{
    /// <summary>Accepted in Dots, not at the POS.</summary>
    Missing,

    /// <summary>At the POS more than once.</summary>
    Duplicate,

    /// <summary>At the POS with a total other than the one sent.</summary>
    TotalDiffers,

    /// <summary>At the POS with OrderHub's marker, but no such order of this point is known.</summary>
    UnknownAtPos,
}

public sealed class ReconciliationFinding
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid RunId { get; set; }

    public ReconciliationFindingKind Kind { get; set; }

    /// <summary>The order in OrderHub (null for <see cref="ReconciliationFindingKind.UnknownAtPos"/>).</summary>
    public Guid? OrderId { get; set; }

    /// <summary>The Dots order number (from the marker when the order is unknown).</summary>
    public string OrderNumber { get; set; } = "";

    /// <summary>The order's export state when compared (a Failed order is missing for a known reason).</summary>
    public string? ExportState { get; set; }

    /// <summary>The POS's ids of the order, comma-separated.</summary>
    public string? PosOrderIds { get; set; }

    /// <summary>How many times the POS has it.</summary>
    public int Copies { get; set; }

    /// <summary>The total OrderHub sent, in kopecks.</summary>
    public long? ExpectedTotal { get; set; }

    /// <summary>The total at the POS, in kopecks.</summary>
    public long? PosTotal { get; set; }

    /// <summary>When a person sent the missing order again from the report, and who.</summary>
    public DateTimeOffset? RedrivenAt { get; set; }

    public string? RedrivenBy { get; set; }
}
