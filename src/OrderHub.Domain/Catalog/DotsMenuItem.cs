using OrderHub.Domain.Mappings;

namespace OrderHub.Domain.Catalog;

/// <summary>
/// One Dots product, variant, modifier or promotion a company sells: from an uploaded Dots menu export or seen
/// in its orders. The items the coverage of a pickup point is counted over.
/// </summary>
public sealed class DotsMenuItem
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CompanyId { get; set; }

    public ExternalIdKind Kind { get; set; }

    public string DotsId { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>In currency units (a promotion: its discount when known); null when unknown.</summary>
    public decimal? Price { get; set; }

    /// <summary>Where it was last seen: <see cref="SourceUpload"/> or <see cref="SourceOrders"/>.</summary>
    public string Source { get; set; } = SourceUpload;

    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When its name or price last changed in Dots; <see cref="PreviousName"/>/<see cref="PreviousPrice"/> hold the values before.</summary>
    public DateTimeOffset? ChangedAt { get; set; }

    public string? PreviousName { get; set; }

    public decimal? PreviousPrice { get; set; }

    public const string SourceUpload = "upload";
    public const string SourceOrders = "orders";
}
