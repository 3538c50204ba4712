namespace OrderHub.Domain.Tenancy;

/// <summary>
/// A company's default POS integration: used by each of its pickup points that has no integration of its own,
/// and field by field by a point whose integration says <see cref="PosIntegration.UseCompanyDefaults"/>.
/// The secret is stored encrypted and never leaves through the API.
/// </summary>
public sealed class CompanyPosIntegration
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CompanyId { get; set; }

    public PosKind Kind { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Auto-sync for points that have no integration of their own.</summary>
    public bool AutoSyncOnAcceptance { get; set; }

    /// <summary>Poster account name shared by the company's points.</summary>
    public string? PosterAccount { get; set; }

    public string? WebhookUrl { get; set; }

    /// <summary>Poster token or webhook <c>whsec_</c> secret, encrypted with Data Protection.</summary>
    public string? SecretProtected { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
