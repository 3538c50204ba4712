using OrderHub.Domain.Mappings;

namespace OrderHub.Domain.Catalog;

/// <summary>
/// One item of a pickup point's POS catalog as last imported (Poster <c>menu.getProducts</c>, or a catalog
/// uploaded for a webhook POS). Items that disappear from the POS are kept with <see cref="RemovedAt"/> so the
/// drift report can name what a stale external id used to be.
/// </summary>
public sealed class PosCatalogItem
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CompanyId { get; set; }

    public Guid PickupPointId { get; set; }

    /// <summary>Product, Variant (Poster modificator), Modifier (Poster dish modification) or Promotion.</summary>
    public ExternalIdKind Kind { get; set; }

    /// <summary>The POS's own id: what an external id mapping points at.</summary>
    public string ExternalId { get; set; } = "";

    /// <summary>The product a variant or modifier belongs to, when the POS says (informative).</summary>
    public string? ParentExternalId { get; set; }

    public string Name { get; set; } = "";

    /// <summary>In currency units; null when the POS gives none.</summary>
    public decimal? Price { get; set; }

    /// <summary>The first import that saw the item.</summary>
    public DateTimeOffset FirstSeenAt { get; set; }

    /// <summary>The last import that saw the item.</summary>
    public DateTimeOffset ImportedAt { get; set; }

    /// <summary>When an import last found its name or price changed; <see cref="PreviousName"/>/<see cref="PreviousPrice"/> hold the values before.</summary>
    public DateTimeOffset? ChangedAt { get; set; }

    public string? PreviousName { get; set; }

    public decimal? PreviousPrice { get; set; }

    /// <summary>Set when an import no longer found the item at the POS.</summary>
    public DateTimeOffset? RemovedAt { get; set; }
}
