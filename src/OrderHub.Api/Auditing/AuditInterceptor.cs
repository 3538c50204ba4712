using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Auditing;

/// <summary>
/// Writes an audit entry for every added, changed or deleted row of <see cref="AuditedEntities"/>, in the same
/// <c>SaveChanges</c> as the change. Chosen over a call in every handler: a handler cannot forget it, and the
/// values before come from the change tracker rather than from a copy each handler would have to take.
/// Secret columns (names ending in Protected or Hash) appear as <c>***</c>, or <c>secret changed</c>.
/// Set-based updates (<c>ExecuteUpdate</c>) bypass it; they are used only for usage columns.
/// </summary>
public sealed class AuditInterceptor(AuditTrail trail) : SaveChangesInterceptor
{
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is OrderHubDbContext db)
        {
            await RecordAsync(db, cancellationToken);
        }

        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is OrderHubDbContext db)
        {
            RecordAsync(db, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        return result;
    }

    private async ValueTask RecordAsync(OrderHubDbContext db, CancellationToken cancellationToken)
    {
        // Entries() detects changes itself (when auto-detect is on): no separate pass.
        var changed = db.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => (Entry: e, Audited: AuditedEntities.ByType.GetValueOrDefault(e.Metadata.ClrType)))
            .Where(x => x.Audited is not null && (x.Entry.State != EntityState.Modified || HasRealChange(x.Entry)))
            .ToList();
        if (changed.Count == 0)
        {
            return;
        }

        foreach (var group in changed.Where(x => x.Audited!.GroupId is not null)
                     .GroupBy(x => (x.Audited!.EntityType, Group: x.Audited.GroupId!(x.Entry.Entity))))
        {
            var first = group.First();
            var before = new JsonArray(group.Where(x => x.Entry.State != EntityState.Added).Select(x => (JsonNode)Snapshot(x.Entry, original: true)).ToArray());
            var after = new JsonArray(group.Where(x => x.Entry.State != EntityState.Deleted).Select(x => (JsonNode)Snapshot(x.Entry, original: false)).ToArray());
            var states = group.Select(x => x.Entry.State).Distinct().ToList();
            trail.Record(db, group.Key.EntityType, group.Key.Group.ToString(), await CompanyOfAsync(db, first.Entry, first.Audited!, cancellationToken),
                states.Count == 1 ? ActionOf(states[0]) : "changed", before, after);
        }

        foreach (var (entry, audited) in changed.Where(x => x.Audited!.GroupId is null))
        {
            trail.Record(db, audited!.EntityType, audited.EntityId(entry.Entity), await CompanyOfAsync(db, entry, audited, cancellationToken),
                ActionOf(entry.State),
                entry.State == EntityState.Added ? null : Snapshot(entry, original: true),
                entry.State == EntityState.Deleted ? null : Snapshot(entry, original: false));
        }
    }

    private static string ActionOf(EntityState state) => state switch
    {
        EntityState.Added => "created",
        EntityState.Deleted => "deleted",
        _ => "updated",
    };

    private static bool HasRealChange(EntityEntry entry) =>
        entry.Properties.Any(p => p.IsModified && !AuditedEntities.Noise.Contains(p.Metadata.Name) && !Equals(p.OriginalValue, p.CurrentValue));

    private static JsonObject Snapshot(EntityEntry entry, bool original)
    {
        var json = new JsonObject();
        foreach (var property in entry.Properties)
        {
            var name = property.Metadata.Name;
            var value = original ? property.OriginalValue : property.CurrentValue;
            if (IsSecretColumn(name))
            {
                var secretChanged = !original && entry.State == EntityState.Modified && !Equals(property.OriginalValue, property.CurrentValue);
                json[JsonName(SecretName(name))] = value is null ? null : secretChanged ? AuditTrail.SecretChanged : AuditTrail.SecretMask;
                continue;
            }

            json[JsonName(name)] = value switch
            {
                null => null,
                Enum e => e.ToString(),
                _ => System.Text.Json.JsonSerializer.SerializeToNode(value),
            };
        }

        return json;
    }

    private static bool IsSecretColumn(string name) =>
        name.EndsWith("Protected", StringComparison.Ordinal) || name.EndsWith("Hash", StringComparison.Ordinal);

    private static string SecretName(string name) => name.EndsWith("Protected", StringComparison.Ordinal) ? name[..^"Protected".Length] : name;

    private static string JsonName(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static async Task<Guid?> CompanyOfAsync(OrderHubDbContext db, EntityEntry entry, AuditedEntity audited, CancellationToken cancellationToken)
    {
        if (audited.CompanyId is not null)
        {
            return audited.CompanyId(entry.Entity);
        }

        if (audited.PickupPointId is null)
        {
            return null;
        }

        var pointId = audited.PickupPointId(entry.Entity);
        var local = db.ChangeTracker.Entries<PickupPoint>().FirstOrDefault(p => p.Entity.Id == pointId);
        return local?.Entity.CompanyId
               ?? await db.PickupPoints.AsNoTracking().Where(p => p.Id == pointId).Select(p => (Guid?)p.CompanyId).FirstOrDefaultAsync(cancellationToken);
    }
}
