using OrderHub.Domain.Export;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Pos;

namespace OrderHub.Api.Dispatching;

/// <summary>
/// A queue entry this instance holds, as the claim read it back: valid while the row still carries this claim's
/// owner token and attempt count (the outcome write checks both).
/// </summary>
public sealed record ExportClaim(ExportQueueEntry Entry, string Owner)
{
    public Guid EntryId => Entry.Id;

    public int Attempt => Entry.Attempts;
}

/// <summary>
/// Everything one attempt needs, read for the whole claimed batch at once (a handful of queries per batch rather
/// than per order). <paramref name="CreateEntry"/> is the entry that created the order at the POS: the claimed
/// entry itself, or for a cancellation the order's create entry, whose message the cancellation refers to.
/// </summary>
public sealed record ExportWork(ExportClaim Claim, Order Order, PickupPoint Point, PosIntegration? Integration, ExportQueueEntry CreateEntry)
{
    public ExportQueueEntry Entry => Claim.Entry;

    /// <summary>A create entry whose order left Queued after it was claimed (cancelled, re-routed): nothing to send.</summary>
    public bool NothingToSend => Entry.Kind == ExportQueueKind.Create && Order.ExportState != ExportState.Queued;
}

/// <summary>The outcome of one attempt, waiting to be written. A null result: nothing was sent, the entry is closed.</summary>
public sealed record ExportCompletion(ExportWork Work, PosPushResult? Result);
