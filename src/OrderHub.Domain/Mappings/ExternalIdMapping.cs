namespace OrderHub.Domain.Mappings;

/// <summary>
/// The POS's own id for a Dots product, variant, modifier or promotion. A row with no pickup point is the
/// company default; a row with one overrides the default at that point (two Poster accounts number the same
/// dish differently).
/// </summary>
public sealed class ExternalIdMapping
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CompanyId { get; set; }

    /// <summary>Null for a company default.</summary>
    public Guid? PickupPointId { get; set; }

    /// <summary>
    /// The pickup point id, or the company id for a company default: never null, so one unique index
    /// (scope, kind, Dots id) holds on every database (NULLs are distinct in unique indexes).
    /// </summary>
    public Guid ScopeId { get; set; }

    public ExternalIdKind Kind { get; set; }

    public string DotsId { get; set; } = "";

    public string ExternalId { get; set; } = "";

    /// <summary>A human name for the item, as the operator or the catalog gave it.</summary>
    public string? Name { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public static Guid ScopeFor(Guid companyId, Guid? pickupPointId) => pickupPointId ?? companyId;
}
