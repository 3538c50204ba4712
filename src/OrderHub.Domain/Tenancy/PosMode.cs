namespace OrderHub.Domain.Tenancy;

/// <summary>Whether a pickup point's POS integration sends orders or only rehearses sending them.</summary>
public enum PosMode
{
    /// <summary>Orders go to the POS (by auto-sync or by hand).</summary>
    Live,

    /// <summary>
    /// Before go-live: each resolved order's POS request is built and checked against the imported POS catalog
    /// and kept in the history as "would have sent"; nothing reaches the POS.
    /// </summary>
    Shadow,
}
