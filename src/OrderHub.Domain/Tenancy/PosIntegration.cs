namespace OrderHub.Domain.Tenancy;

/// <summary>The POS of one pickup point. Secrets are stored encrypted and never leave through the API.</summary>
public sealed class PosIntegration
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid PickupPointId { get; set; }

    public PosKind Kind { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// "Use company defaults": when the company has a default integration of the same kind, the Poster account,
    /// webhook URL and secret left empty here are taken from it, and it must be enabled too.
    /// </summary>
    public bool UseCompanyDefaults { get; set; }

    /// <summary>Push an order to the POS as soon as it is accepted in Dots and fully resolved.</summary>
    public bool AutoSyncOnAcceptance { get; set; }

    /// <summary>Poster account name (the subdomain of <c>{account}.joinposter.com</c>).</summary>
    public string? PosterAccount { get; set; }

    /// <summary>Poster <c>spot_id</c> of this pickup point on that account.</summary>
    public long? PosterSpotId { get; set; }

    /// <summary>The webhook POS endpoint.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Poster token or webhook <c>whsec_</c> secret, encrypted with Data Protection.</summary>
    public string? SecretProtected { get; set; }

    /// <summary>Set when the POS answered 410 Gone or an operator disabled it; explains why it is off.</summary>
    public string? DisabledReason { get; set; }

    /// <summary>When "test connection" last ran; null when never.</summary>
    public DateTimeOffset? LastCheckAt { get; set; }

    public bool? LastCheckOk { get; set; }

    /// <summary>The last check's result in plain words.</summary>
    public string? LastCheckMessage { get; set; }

    /// <summary>The last failed check's typed reason (e.g. <c>PosAuthRejected</c>, <c>PosSpotNotFound</c>, <c>PosUnreachable</c>).</summary>
    public string? LastCheckReason { get; set; }

    public string? LastCheckFixHint { get; set; }

    /// <summary>
    /// The last time auto-sync was switched on below 100 % mapping coverage with an explicit override: when,
    /// by whom, why, and the coverage then (percent, and a short list of what was missing).
    /// </summary>
    public DateTimeOffset? AutoSyncOverrideAt { get; set; }

    public string? AutoSyncOverrideBy { get; set; }

    public string? AutoSyncOverrideReason { get; set; }

    public decimal? AutoSyncOverrideCoverage { get; set; }

    public string? AutoSyncOverrideMissing { get; set; }

    // ── Shadow mode (issue 18) ──

    /// <summary>Live (default) sends orders; Shadow builds and checks each request and sends nothing.</summary>
    public PosMode Mode { get; set; } = PosMode.Live;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
