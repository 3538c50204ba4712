using System.ComponentModel.DataAnnotations;

namespace OrderHub.Api.Inbox;

/// <summary>Settings of the inbox processor, section <c>Inbox</c>.</summary>
public sealed class InboxOptions
{
    public const string SectionName = "Inbox";

    /// <summary>Run the inbox processor in this instance (several may share one database).</summary>
    public bool ProcessorEnabled { get; set; } = true;

    /// <summary>
    /// Events claimed per round, applied in one unit of work. A round may be large: a point's events are held by one
    /// round at a time (the claim passes over points another round holds), so they keep their arrival order.
    /// </summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 64;

    /// <summary>Orders processed at once within a batch (events of one order always one after another).</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 8;

    /// <summary>
    /// How long a claim holds an event. A round takes well under a second; while an event is held, its pickup
    /// point's later events wait (see <see cref="OrderHub.Domain.Inbound.InboxEvent.OrderingKey"/>), so after a crash the
    /// point resumes within this time.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Fallback polling (events stored by another instance, retries falling due).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pauses after failed attempts; after the last one the next failure parks the event. A configured list replaces this one.</summary>
    public TimeSpan[] RetryDelays { get; set; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)];

    /// <summary>How long a status event waits for its order's acceptance before it is parked.</summary>
    public TimeSpan OrderWaitLimit { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The longest pause between two looks for a waiting status event's order (the order's arrival wakes it at once).</summary>
    public TimeSpan MaxOrderWaitPause { get; set; } = TimeSpan.FromMinutes(5);
}
