using System.ComponentModel.DataAnnotations;

namespace OrderHub.Api.Retention;

/// <summary>How long OrderHub keeps raw payloads and finished orders. Section <c>Retention</c>.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>Run the retention service in this process (several instances may: every step is idempotent).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Raw payloads (of orders and of inbound events) received longer ago than this are emptied and marked
    /// pruned; the payload endpoint then answers 410. Must not exceed <see cref="HistoryAge"/>.
    /// </summary>
    public TimeSpan RawPayloadAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Finished orders (Exported, Failed, Cancelled, nothing pending in the export queue) received and last
    /// changed longer ago than this are deleted with their lines, history, inbound events and queue rows.
    /// </summary>
    public TimeSpan HistoryAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The pause between two passes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows updated or orders deleted per statement batch (one short transaction each), so a pass never holds the database long.</summary>
    [Range(1, 5_000)]
    public int BatchSize { get; set; } = 500;

    public IEnumerable<string> Validate()
    {
        if (RawPayloadAge <= TimeSpan.Zero || HistoryAge <= TimeSpan.Zero || Interval <= TimeSpan.Zero)
        {
            yield return "Retention:RawPayloadAge, HistoryAge and Interval must be positive.";
        }

        if (RawPayloadAge > HistoryAge)
        {
            yield return "Retention:RawPayloadAge must not exceed Retention:HistoryAge (payloads are pruned before their orders are deleted).";
        }
    }
}
