using System.Globalization;
using System.Text;
using MediatR;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Persistence.Configurations;
using OrderHub.Api.Security;
using OrderHub.Domain.Mappings;
using OrderHub.Integrations.Pos;

namespace OrderHub.Api.Features.Catalog.PosCatalog;

/// <summary>
/// The POS catalog as CSV (what a spreadsheet exports): a header row naming the columns <c>kind</c>, <c>id</c>,
/// <c>name</c> and optionally <c>price</c> and <c>parentId</c>, in any order; comma- or semicolon-separated
/// (the header decides); quotes as in RFC 4180; a decimal comma is read as a point. Replaces the stored catalog
/// like the JSON upload. A bad row is a 400 naming it, e.g. <c>csv[3].price</c> for line 3.
/// </summary>
public sealed record UploadPosCatalogCsvCommand(Guid PickupPointId, string Csv) : IRequest<CatalogImportResult>
{
    /// <summary>The body stays out of logs.</summary>
    public override string ToString() => $"{nameof(UploadPosCatalogCsvCommand)} {{ PickupPointId = {PickupPointId}, Length = {Csv.Length} }}";
}

public sealed class UploadPosCatalogCsvHandler(OrderHubDbContext db, AccessScope access, PosCatalogStore store)
    : IRequestHandler<UploadPosCatalogCsvCommand, CatalogImportResult>
{
    public async Task<CatalogImportResult> Handle(UploadPosCatalogCsvCommand request, CancellationToken cancellationToken)
    {
        var point = await CatalogAccess.PointAsync(db, access, request.PickupPointId, cancellationToken);
        var entries = PosCatalogCsv.Parse(request.Csv, out var errors);
        if (errors.Count > 0)
        {
            throw new ProblemException(StatusCodes.Status400BadRequest, "One or more validation errors occurred.",
                "The CSV has rows OrderHub cannot read; nothing was stored.", new Dictionary<string, object?> { ["errors"] = errors });
        }

        return await store.ApplyAsync(point, entries, PosCatalogStore.SourceUpload, cancellationToken);
    }
}

public static class PosCatalogCsv
{
    public const string ContentType = "text/csv";

    public static IReadOnlyList<PosCatalogEntry> Parse(string csv, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var lines = csv.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var headerLine = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (headerLine < 0)
        {
            errors["csv"] = ["Send a header row (kind,id,name,price,parentId) and at least one item."];
            return [];
        }

        var separator = lines[headerLine].Count(c => c == ';') > lines[headerLine].Count(c => c == ',') ? ';' : ',';
        var header = Split(lines[headerLine], separator).Select(h => h.Trim().ToLowerInvariant()).ToList();
        int Column(string name) => header.IndexOf(name.ToLowerInvariant());
        var (kindAt, idAt, nameAt, priceAt, parentAt) = (Column("kind"), Column("id"), Column("name"), Column("price"), Column("parentId"));
        if (kindAt < 0 || idAt < 0 || nameAt < 0)
        {
            errors["csv[1]"] = ["The header must name the columns kind, id and name (price and parentId are optional)."];
            return [];
        }

        var entries = new List<PosCatalogEntry>();
        var seen = new Dictionary<(ExternalIdKind, string), int>();
        for (var i = headerLine + 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }

            var at = $"csv[{i + 1}]";
            var cells = Split(lines[i], separator);
            string Cell(int index) => index >= 0 && index < cells.Count ? cells[index].Trim() : "";
            var kind = MenuDocumentRules.Kind(Cell(kindAt));
            var id = Cell(idAt);
            var name = Cell(nameAt);
            decimal? price = null;
            if (kind is null)
            {
                errors[at + ".kind"] = ["Must be one of: Product, Variant, Modifier, Promotion."];
            }

            if (id.Length is 0 or > Limits.ExternalId)
            {
                errors[at + ".id"] = [$"Required, at most {Limits.ExternalId} characters."];
            }

            if (name.Length is 0 or > Limits.Name)
            {
                errors[at + ".name"] = [$"Required, at most {Limits.Name} characters."];
            }

            if (Cell(priceAt) is { Length: > 0 } priceText)
            {
                if (decimal.TryParse(priceText.Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 0 and <= 10_000_000)
                {
                    price = parsed;
                }
                else
                {
                    errors[at + ".price"] = ["Must be a number from 0 to 10000000."];
                }
            }

            // A modifier may be listed under several products; any other repeated (kind, id) is ambiguous.
            var first = kind is { } k && seen.TryGetValue((k, id), out var line) ? line : (int?)null;
            if (first is not null && kind != ExternalIdKind.Modifier)
            {
                errors[at + ".id"] = [$"Repeats line {first} ({kind} '{id}')."];
            }

            if (kind is { } ok && first is null && !errors.Keys.Any(key => key.StartsWith(at + ".", StringComparison.Ordinal)))
            {
                seen[(ok, id)] = i + 1;
                entries.Add(new PosCatalogEntry(ok, id, name, price, Cell(parentAt) is { Length: > 0 } parent ? parent : null));
            }

            if (entries.Count > MenuDocumentRules.MaxItems)
            {
                errors["csv"] = [$"Send at most {MenuDocumentRules.MaxItems} items."];
                break;
            }
        }

        if (entries.Count == 0 && errors.Count == 0)
        {
            errors["csv"] = ["Send at least one item after the header."];
        }

        return entries;
    }

    /// <summary>One line's cells; a quoted cell may hold the separator and doubled quotes.</summary>
    private static List<string> Split(string line, char separator)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == separator)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
