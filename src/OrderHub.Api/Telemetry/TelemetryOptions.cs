using System.ComponentModel.DataAnnotations;

namespace OrderHub.Api.Telemetry;

/// <summary>OrderHub's own metrics. Section <c>Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>How often the queue gauges are refreshed from the database. Default 15 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan QueueSampleInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the write gate's held time and turns are written to the log (Information); unset: never.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan? WriteGateLogInterval { get; set; }
}
