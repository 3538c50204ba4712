namespace OrderHub.Api.Features.Catalog;

/// <summary>One item of a menu document: a product (with its variants and modifiers), a modifier or a promotion.</summary>
public sealed record MenuDocumentItem
{
    /// <summary>The item's id in the system the document comes from (the POS id, or the Dots id).</summary>
    public string? Id { get; init; }

    public string? Name { get; init; }

    /// <summary>In currency units (e.g. 245.00); optional.</summary>
    public decimal? Price { get; init; }

    /// <summary>Products only: their variants (sizes, volumes).</summary>
    public IReadOnlyList<MenuDocumentItem>? Variants { get; init; }

    /// <summary>Products only: modifiers that belong to this product.</summary>
    public IReadOnlyList<MenuDocumentItem>? Modifiers { get; init; }
}

/// <summary>
/// The menu JSON OrderHub accepts, both as a webhook POS's catalog (ids are the POS's ids) and as a Dots menu
/// export (ids are Dots ids). A modifier listed under several products is one item.
/// <code>
/// {"products":[{"id":"101","name":"Піца Маргарита","price":245.00,
///               "variants":[{"id":"1011","name":"30 см","price":245.00}],
///               "modifiers":[{"id":"11","name":"Додаткова моцарела","price":35.00}]}],
///  "modifiers":[{"id":"13","name":"Без цибулі","price":0}],
///  "promotions":[{"id":"7","name":"Друга піца -20%"}]}
/// </code>
/// </summary>
public record MenuDocument
{
    public IReadOnlyList<MenuDocumentItem>? Products { get; init; }

    /// <summary>Modifiers not tied to one product.</summary>
    public IReadOnlyList<MenuDocumentItem>? Modifiers { get; init; }

    public IReadOnlyList<MenuDocumentItem>? Promotions { get; init; }
}

/// <summary>One item of a pickup point's POS catalog.</summary>
public sealed record PosCatalogItemDto
{
    /// <summary>Product, Variant, Modifier or Promotion.</summary>
    public string Kind { get; init; } = "";
    public string ExternalId { get; init; } = "";
    public string? ParentExternalId { get; init; }
    public string Name { get; init; } = "";
    public decimal? Price { get; init; }
    public DateTimeOffset FirstSeenAt { get; init; }
    public DateTimeOffset ImportedAt { get; init; }
    public DateTimeOffset? ChangedAt { get; init; }
    public string? PreviousName { get; init; }
    public decimal? PreviousPrice { get; init; }

    /// <summary>Set when the last import no longer found the item at the POS.</summary>
    public DateTimeOffset? RemovedAt { get; init; }
}

/// <summary>A pickup point's POS catalog snapshot.</summary>
public sealed record PosCatalogDto
{
    public Guid PickupPointId { get; init; }

    /// <summary>The last import; null when the catalog was never imported.</summary>
    public DateTimeOffset? ImportedAt { get; init; }

    /// <summary>Items the POS has now (removed ones are listed too, with <c>removedAt</c>).</summary>
    public int ActiveCount { get; init; }
    public IReadOnlyList<PosCatalogItemDto> Items { get; init; } = [];
}

/// <summary>What an import or upload changed.</summary>
public sealed record CatalogImportResult
{
    public Guid PickupPointId { get; init; }
    public string Source { get; init; } = "";
    public DateTimeOffset ImportedAt { get; init; }
    public int Added { get; init; }
    public int Changed { get; init; }
    public int Removed { get; init; }
    public int Unchanged { get; init; }
    public int Total { get; init; }
}

/// <summary>One item of a company's Dots menu.</summary>
public sealed record DotsMenuItemDto
{
    public string Kind { get; init; } = "";
    public string DotsId { get; init; } = "";
    public string Name { get; init; } = "";
    public decimal? Price { get; init; }

    /// <summary><c>upload</c> (a Dots menu export) or <c>orders</c> (seen in orders).</summary>
    public string Source { get; init; } = "";
    public DateTimeOffset FirstSeenAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? ChangedAt { get; init; }
    public string? PreviousName { get; init; }
    public decimal? PreviousPrice { get; init; }
}

/// <summary>What a Dots menu upload or a rebuild from orders changed.</summary>
public sealed record DotsMenuResult
{
    public Guid CompanyId { get; init; }
    public string Source { get; init; } = "";
    public int Added { get; init; }
    public int Changed { get; init; }
    public int Unchanged { get; init; }
    public int Total { get; init; }
}

/// <summary>What to do about a coverage or drift finding: an API call a screen can make as is.</summary>
public sealed record FixAction
{
    /// <summary>What to do, in plain words.</summary>
    public string Text { get; init; } = "";
    public string? Method { get; init; }
    public string? Path { get; init; }

    /// <summary>The request body to send, when the fix is one call.</summary>
    public object? Body { get; init; }
}
