using System.ComponentModel.DataAnnotations;

namespace OrderHub.Integrations.Resilience;

/// <summary>Timeouts and the per-target circuit breaker of every POS call.</summary>
public sealed class PosResilienceOptions
{
    public const string SectionName = "Pos:Resilience";

    /// <summary>How long one attempt may take, headers included; after it the attempt is ambiguous. Default 15 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long opening a TCP connection may take; a failure here is safely retryable. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Share of transient failures (0..1) within <see cref="SamplingDuration"/> that opens a target's circuit. Default 0.5.</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Calls a target needs within <see cref="SamplingDuration"/> before its circuit may open. Default 5.</summary>
    [Range(2, 10_000)]
    public int MinimumThroughput { get; set; } = 5;

    /// <summary>The window the failure ratio is measured over. Default 60 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit refuses calls before letting one probe through. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>HttpClient.Timeout: the outer safety net, above <see cref="AttemptTimeout"/>.</summary>
    internal TimeSpan ClientTimeout => AttemptTimeout + TimeSpan.FromSeconds(10);
}
