using System.ComponentModel.DataAnnotations;

namespace OrderHub.Api.Dispatching;

/// <summary>How the export dispatcher claims and retries queue entries. Section <c>Dispatcher</c>.</summary>
public sealed class DispatcherOptions
{
    public const string SectionName = "Dispatcher";

    /// <summary>Run the dispatcher in this process. Several instances may run on one database.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Names this instance's leases in every queue (also <c>Processing:InstanceId</c>, which wins). Default: the
    /// machine name, stable across restarts, so an instance restarted after a crash takes back its own in-flight
    /// entries at once instead of waiting for their leases to expire. Instances sharing a database need distinct names.
    /// </summary>
    [MaxLength(40)]
    public string? InstanceId { get; set; }

    /// <summary>How long a claim holds an entry. Must exceed <see cref="AttemptTimeout"/> with a margin, or a slow attempt could run twice.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The most one attempt (lookup plus send) may take before it is abandoned as ambiguous.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>How long a graceful stop waits for attempts in flight; after it they are abandoned to their leases.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Fallback polling when no signal arrives (another instance queued work, retries fell due).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// After an idle dispatcher is woken, it waits this long before claiming, so orders committed within a few
    /// milliseconds of each other are claimed, read and written together: a handful of statements per batch
    /// instead of per order. Zero claims at once.
    /// </summary>
    public TimeSpan ClaimLinger { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Attempts that run at once in this instance. An attempt holds its slot from the claim until its outcome is
    /// committed, so the slots bound the throughput (slots / time an attempt holds one). On SQLite at 500 orders/s an
    /// outcome waits for the one writer; with 16 slots the export fell behind (202 → POS p99 0.3–2.5 s), with 32 it
    /// mostly kept up, and with 64 it kept up on the grown database too (docs/performance.md).
    /// </summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 64;

    /// <summary>Entries claimed per round trip.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 32;

    /// <summary>An entry still undelivered this long after it was queued is given up and its order Failed.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(3);

    /// <summary>The pause before attempt n+1 after attempt n failed (the last value repeats), before jitter.</summary>
    public TimeSpan[] RetrySchedule { get; set; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2),
    ];

    /// <summary>± this fraction of each pause, so many failed entries do not all return at the same instant.</summary>
    [Range(0.0, 0.5)]
    public double Jitter { get; set; } = 0.2;

    /// <summary>The least pause after a 429 or a timeout: a POS that is overloaded or slow gets room.</summary>
    public TimeSpan MinimumPauseAfterThrottle { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The most a POS's <c>Retry-After</c> may push an attempt back.</summary>
    public TimeSpan MaximumRetryAfter { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<string> Validate()
    {
        if (LeaseDuration < AttemptTimeout + TimeSpan.FromSeconds(10))
        {
            yield return "Dispatcher:LeaseDuration must exceed Dispatcher:AttemptTimeout by at least 10 seconds.";
        }

        if (RetrySchedule.Length == 0 || RetrySchedule.Any(t => t <= TimeSpan.Zero))
        {
            yield return "Dispatcher:RetrySchedule needs at least one positive pause.";
        }

        if (ClaimLinger < TimeSpan.Zero || ClaimLinger > TimeSpan.FromSeconds(1))
        {
            yield return "Dispatcher:ClaimLinger must be between 0 and 1 s.";
        }

        if (PollInterval <= TimeSpan.Zero || MaxAge <= TimeSpan.Zero || AttemptTimeout <= TimeSpan.Zero)
        {
            yield return "Dispatcher:PollInterval, MaxAge and AttemptTimeout must be positive.";
        }
    }
}
