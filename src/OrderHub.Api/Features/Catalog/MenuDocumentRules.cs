using FluentValidation;
using OrderHub.Api.Persistence.Configurations;
using OrderHub.Api.Shared;
using OrderHub.Domain.Mappings;
using OrderHub.Integrations.Pos;

namespace OrderHub.Api.Features.Catalog;

/// <summary>The rules for one menu document, with field names as JSON paths (<c>products[2].variants[0].id</c>).</summary>
public sealed class MenuDocumentValidator : AbstractValidator<MenuDocument>
{
    public MenuDocumentValidator()
    {
        RuleFor(d => d.Products).Custom((_, context) =>
        {
            var doc = context.InstanceToValidate;
            var products = doc.Products ?? [];
            var modifiers = doc.Modifiers ?? [];
            var promotions = doc.Promotions ?? [];
            var count = products.Count + modifiers.Count + promotions.Count
                        + products.Sum(p => (p?.Variants?.Count ?? 0) + (p?.Modifiers?.Count ?? 0));
            if (count == 0)
            {
                context.AddFailure("products", "Send at least one product, modifier or promotion.");
                return;
            }

            if (count > MenuDocumentRules.MaxItems)
            {
                context.AddFailure("products", $"Send at most {MenuDocumentRules.MaxItems} items in all.");
                return;
            }

            var seen = new Dictionary<(ExternalIdKind, string), string>();
            Check(products, "products", ExternalIdKind.Product, unique: true);
            for (var i = 0; i < products.Count; i++)
            {
                Check(products[i]?.Variants ?? [], $"products[{i}].variants", ExternalIdKind.Variant, unique: true);
                Check(products[i]?.Modifiers ?? [], $"products[{i}].modifiers", ExternalIdKind.Modifier, unique: false);
            }

            Check(modifiers, "modifiers", ExternalIdKind.Modifier, unique: false);
            Check(promotions, "promotions", ExternalIdKind.Promotion, unique: true);

            void Check(IReadOnlyList<MenuDocumentItem?> items, string path, ExternalIdKind kind, bool unique)
            {
                for (var i = 0; i < items.Count; i++)
                {
                    var item = items[i];
                    var at = $"{path}[{i}]";
                    if (item is null)
                    {
                        context.AddFailure(at, "Must be an object.");
                        continue;
                    }

                    if (string.IsNullOrWhiteSpace(item.Id) || item.Id.Length > Limits.ExternalId)
                    {
                        context.AddFailure(at + ".id", $"Required, at most {Limits.ExternalId} characters.");
                    }
                    else if (!seen.TryAdd((kind, item.Id), at) && unique)
                    {
                        context.AddFailure(at + ".id", $"Repeats {seen[(kind, item.Id)]} ({kind} '{item.Id}').");
                    }

                    if (string.IsNullOrWhiteSpace(item.Name) || item.Name.Length > Limits.Name)
                    {
                        context.AddFailure(at + ".name", $"Required, at most {Limits.Name} characters.");
                    }

                    if (item.Price is < 0 or > 10_000_000)
                    {
                        context.AddFailure(at + ".price", "Must be between 0 and 10000000.");
                    }

                    if (kind != ExternalIdKind.Product && (item.Variants is { Count: > 0 } || item.Modifiers is { Count: > 0 }))
                    {
                        context.AddFailure(at, "Only products have variants and modifiers.");
                    }
                }
            }
        });
    }
}

/// <summary>Flattens a <see cref="MenuDocument"/> to catalog entries.</summary>
public static class MenuDocumentRules
{
    public const int MaxItems = 20_000;

    /// <summary>Every item once (a modifier under several products keeps its first name and price).</summary>
    public static IReadOnlyList<PosCatalogEntry> Flatten(MenuDocument doc)
    {
        var entries = new List<PosCatalogEntry>();
        var seen = new HashSet<(ExternalIdKind, string)>();
        foreach (var product in doc.Products ?? [])
        {
            Add(ExternalIdKind.Product, product, null);
            foreach (var variant in product.Variants ?? [])
            {
                Add(ExternalIdKind.Variant, variant, product.Id);
            }

            foreach (var modifier in product.Modifiers ?? [])
            {
                Add(ExternalIdKind.Modifier, modifier, product.Id);
            }
        }

        foreach (var modifier in doc.Modifiers ?? [])
        {
            Add(ExternalIdKind.Modifier, modifier, null);
        }

        foreach (var promotion in doc.Promotions ?? [])
        {
            Add(ExternalIdKind.Promotion, promotion, null);
        }

        return entries;

        void Add(ExternalIdKind kind, MenuDocumentItem item, string? parent)
        {
            if (seen.Add((kind, item.Id!)))
            {
                entries.Add(new PosCatalogEntry(kind, item.Id!, item.Name!.Trim(), item.Price, parent));
            }
        }
    }

    /// <summary>A kind from the API (case-insensitive name), or null.</summary>
    public static ExternalIdKind? Kind(string? name) => TenancyRules.TryParseName<ExternalIdKind>(name, out var kind) ? kind : null;
}
