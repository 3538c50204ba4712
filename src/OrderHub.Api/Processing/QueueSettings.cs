namespace OrderHub.Api.Processing;

/// <summary>
/// How the engine runs one queue. Each queue keeps its own configuration section (<c>Inbox</c>,
/// <c>Dispatcher</c>, <c>Fiscal</c>, <c>Telegram</c>) and maps it to these.
/// </summary>
public sealed record QueueSettings
{
    /// <summary>Attempts that run at once in this instance.</summary>
    public required int Concurrency { get; init; }

    /// <summary>Rows claimed per round trip.</summary>
    public required int BatchSize { get; init; }

    /// <summary>How long a claim holds a row; must exceed the longest attempt with a margin.</summary>
    public required TimeSpan LeaseDuration { get; init; }

    /// <summary>Fallback polling when no wake-up arrives (another instance queued work, retries fell due).</summary>
    public required TimeSpan PollInterval { get; init; }

    /// <summary>How long a graceful stop waits for attempts in flight before abandoning them to their leases.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Claim again as soon as a slot is free, while earlier attempts still run (export). Off: a round is claimed,
    /// attempted and written as a whole before the next (the inbox, whose rounds keep a point's orders in order;
    /// fiscal receipts; alerts, merged per chat within a round).
    /// </summary>
    public bool ContinuousClaims { get; init; }

    /// <summary>After a partial round of continuous claims, wait this long so freed slots and new work are claimed together.</summary>
    public TimeSpan ClaimLinger { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Claims whose loss in a power failure is harmless (<see cref="Persistence.RederivableWrites"/>): the attempt
    /// only writes to the database, so a lost claim is a round not yet taken. Not for queues whose attempt calls
    /// out (export, fiscal, alerts): their claim is what tells a later attempt the call may have been made.
    /// </summary>
    public bool RederivableClaims { get; init; }
}
