namespace OrderHub.Api.Features.Reconciliation;

/// <summary>The daily reconciliation. Section <c>Reconciliation</c>.</summary>
public sealed class ReconciliationOptions
{
    public const string SectionName = "Reconciliation";

    /// <summary>Run the automatic daily reconciliation in this process (the API and panel can run one in any case).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Local time of the point (its time zone) after which the day before is reconciled; 04:00 by default.</summary>
    public TimeSpan RunAt { get; set; } = TimeSpan.FromHours(4);

    /// <summary>How often the service looks for days that fell due (and runs whose instance died).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many finished days back an automatic pass still reconciles (after the service was down).</summary>
    public int CatchUpDays { get; set; } = 2;

    /// <summary>How long a run's claim holds: a run still Running after it (its instance died) is taken over.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long after a failed automatic run (the register could not be read) the day is tried again.</summary>
    public TimeSpan RetryFailedAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long after the day the POS is still searched for the day's orders (one sent late, or again after
    /// the day): the window ends at the earlier of now and the day's end plus this.
    /// </summary>
    public TimeSpan LateWindow { get; set; } = TimeSpan.FromDays(7);
}
