namespace OrderHub.Domain.Mappings;

/// <summary>What a Dots id names, and so which POS id it maps to.</summary>
public enum ExternalIdKind
{
    Product,
    Variant,
    Modifier,
    Promotion,
}
