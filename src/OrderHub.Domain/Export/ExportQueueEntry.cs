namespace OrderHub.Domain.Export;

public enum ExportQueueState
{
    /// <summary>Waiting for its next attempt at <see cref="ExportQueueEntry.NextAttemptAt"/>.</summary>
    Pending,

    /// <summary>The POS has the order.</summary>
    Done,

    /// <summary>Given up: a permanent error or too old. The order is Failed.</summary>
    Failed,

    /// <summary>Removed before export because the order was cancelled in Dots.</summary>
    Cancelled,
}

/// <summary>What a queue entry asks the POS to do.</summary>
public enum ExportQueueKind
{
    /// <summary>Create the order at the POS.</summary>
    Create,

    /// <summary>Tell the POS that an order it already has was cancelled in Dots.</summary>
    Cancel,
}

/// <summary>
/// A durable request to push one order to its pickup point's POS: the outbox row the dispatcher claims with a
/// lease. Written in the same transaction as the order's move to Queued.
/// </summary>
public sealed class ExportQueueEntry : ILeasedRow
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrderId { get; set; }

    public Guid PickupPointId { get; set; }

    public ExportQueueKind Kind { get; set; } = ExportQueueKind.Create;

    /// <summary>
    /// 1 for the first export; raised by a forced re-export, so the POS sees a new message (a new
    /// <c>webhook-id</c>, a new Poster marker) instead of a retry of the old one.
    /// </summary>
    public int Generation { get; set; } = 1;

    /// <summary>The id the POS deduplicates by (<c>webhook-id</c>): the same on every retry of this entry and generation.</summary>
    public string MessageId => $"oh_{OrderId:N}_{Kind.ToString().ToLowerInvariant()}_{Generation}";

    public ExportQueueState State { get; set; } = ExportQueueState.Pending;

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>While set and in the future, an instance holds the entry; after it, anyone may take it again.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    public string? LeaseOwner { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    /// <summary>
    /// When the first attempt of this generation started (claimed or handed off): the earliest moment the POS can
    /// have the order, where a lookup before a resend starts. Kept by <see cref="Reopen"/>, cleared by a new generation.
    /// </summary>
    public DateTimeOffset? FirstAttemptAt { get; set; }

    /// <summary>
    /// An attempt of this generation may have reached the POS: an unclear answer (a timeout or a connection lost
    /// after sending), or a claim whose lease ran out with no outcome stored (the instance died). Only then is the
    /// order looked up at the POS before it is sent again. An attempt that was refused or never sent (circuit
    /// open, connection refused) leaves it as it was.
    /// </summary>
    public bool MayHaveReachedPos { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    // Held pre-orders (issue 18).

    /// <summary>
    /// A pre-order held until this time (delivery time minus the point's preparation minutes): also its
    /// <see cref="NextAttemptAt"/>, so the engine claims it then. Null once sent early by hand, or never held.
    /// The entry's age (the dispatcher's maximum age) counts from here.
    /// </summary>
    public DateTimeOffset? HeldUntil { get; set; }

    /// <summary>
    /// Queues the entry again (a re-export after a failure): same message, attempts and age counted afresh.
    /// An entry attempted before is treated as possibly at the POS, so the first new attempt looks the order up.
    /// </summary>
    public void Reopen(DateTimeOffset now)
    {
        MayHaveReachedPos |= LastAttemptAt is not null;
        State = ExportQueueState.Pending;
        Attempts = 0;
        LastError = null;
        LeaseUntil = null;
        LeaseOwner = null;
        NextAttemptAt = now;
        CreatedAt = now;
        UpdatedAt = now;
    }

    /// <summary>
    /// A forced resend: a new message for the POS (new <see cref="MessageId"/>, new Poster marker), not a
    /// retry of the old one, which the POS would rightly ignore as a duplicate. Nothing of it was sent yet.
    /// </summary>
    public void StartNewGeneration(DateTimeOffset now)
    {
        Generation++;
        LastAttemptAt = null;
        FirstAttemptAt = null;
        MayHaveReachedPos = false;
        Reopen(now);
    }
}
