using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Dispatching;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.Catalog;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Pos;
using OrderHub.Integrations.Poster;

namespace OrderHub.Api.Features.Catalog.PosCatalog;

/// <summary>
/// Keeps a pickup point's POS catalog snapshot: applies a full catalog (from Poster or an upload) to the stored
/// one in one transaction — new items added, renamed or repriced ones marked with their previous values,
/// vanished ones marked removed (kept, so drift can name them), returning ones revived.
/// </summary>
public sealed partial class PosCatalogStore(
    OrderHubDbContext db,
    PosterClient poster,
    PosRequestBuilder targets,
    TimeProvider time,
    ILogger<PosCatalogStore> logger)
{
    public const string SourcePoster = "poster";
    public const string SourceUpload = "upload";

    /// <summary>Reads the catalog from the point's Poster account and stores it; a 409/422 ProblemDetails when it cannot.</summary>
    public async Task<CatalogImportResult> ImportFromPosterAsync(PickupPoint point, CancellationToken cancellationToken)
    {
        var integration = (await EffectivePosIntegrations.ForPointAsync(db, point, cancellationToken))?.Integration
                          ?? throw new ProblemException(StatusCodes.Status409Conflict, "No POS integration",
                              $"Pickup point '{point.Id}' has no POS integration to read a catalog from.",
                              Fix("Connect the point's POS first: PUT /api/pickup-points/{id}/pos-integration."));
        if (integration.Kind != PosKind.Poster)
        {
            throw new ProblemException(StatusCodes.Status409Conflict, "The POS cannot be read",
                "A webhook POS has no menu call: upload its catalog instead.",
                Fix($"PUT /api/pickup-points/{point.Id}/pos-catalog with the catalog JSON (see docs/api.md, \"Catalog, coverage and drift\")."));
        }

        var read = await poster.GetCatalogAsync(targets.Target(integration), cancellationToken);
        if (!read.Ok)
        {
            Log.ImportFailed(logger, point.Id, read.Reason?.ToString());
            throw new ProblemException(StatusCodes.Status422UnprocessableEntity, "The POS catalog could not be read", read.Message,
                new Dictionary<string, object?> { ["reason"] = read.Reason?.ToString(), ["fixHint"] = read.FixHint });
        }

        return await ApplyAsync(point, read.Items, SourcePoster, cancellationToken);
    }

    public async Task<CatalogImportResult> ApplyAsync(PickupPoint point, IReadOnlyList<PosCatalogEntry> entries, string source, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stored = (await db.PosCatalogItems.Where(i => i.PickupPointId == point.Id).ToListAsync(cancellationToken))
            .ToDictionary(i => (i.Kind, i.ExternalId));
        int added = 0, changed = 0, unchanged = 0;
        var present = new HashSet<(Domain.Mappings.ExternalIdKind, string)>();
        foreach (var entry in entries)
        {
            present.Add((entry.Kind, entry.ExternalId));
            if (!stored.TryGetValue((entry.Kind, entry.ExternalId), out var item))
            {
                db.PosCatalogItems.Add(new PosCatalogItem
                {
                    CompanyId = point.CompanyId,
                    PickupPointId = point.Id,
                    Kind = entry.Kind,
                    ExternalId = entry.ExternalId,
                    ParentExternalId = entry.ParentExternalId,
                    Name = Trim(entry.Name),
                    Price = entry.Price,
                    FirstSeenAt = now,
                    ImportedAt = now,
                });
                added++;
                continue;
            }

            var name = Trim(entry.Name);
            var revived = item.RemovedAt is not null;
            if (item.Name != name || item.Price != entry.Price)
            {
                item.PreviousName = item.Name;
                item.PreviousPrice = item.Price;
                item.ChangedAt = now;
                item.Name = name;
                item.Price = entry.Price;
                changed++;
            }
            else if (revived)
            {
                added++;
            }
            else
            {
                unchanged++;
            }

            item.RemovedAt = null;
            item.ParentExternalId = entry.ParentExternalId;
            item.ImportedAt = now;
        }

        var removed = 0;
        foreach (var item in stored.Values.Where(i => i.RemovedAt is null && !present.Contains((i.Kind, i.ExternalId))))
        {
            item.RemovedAt = now;
            removed++;
        }

        await db.SaveChangesAsync(cancellationToken);
        Log.Imported(logger, point.Id, source, added, changed, removed);
        return new CatalogImportResult
        {
            PickupPointId = point.Id,
            Source = source,
            ImportedAt = now,
            Added = added,
            Changed = changed,
            Removed = removed,
            Unchanged = unchanged,
            Total = present.Count,
        };
    }

    private static string Trim(string name) => name.Length <= Persistence.Configurations.Limits.Name ? name : name[..Persistence.Configurations.Limits.Name];

    private static Dictionary<string, object?> Fix(string text) => new() { ["fixHint"] = text };

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Information,
            Message = "POS catalog of pickup point {PickupPointId} imported from {Source}: {Added} added, {Changed} changed, {Removed} removed")]
        public static partial void Imported(ILogger logger, Guid pickupPointId, string source, int added, int changed, int removed);

        [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "POS catalog of pickup point {PickupPointId} could not be read: {Reason}")]
        public static partial void ImportFailed(ILogger logger, Guid pickupPointId, string? reason);
    }
}
