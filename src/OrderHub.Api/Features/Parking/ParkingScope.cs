using FluentValidation;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Parking;

internal static class ParkingScope
{
    /// <summary>The company and (for a point scope) the point, both visible to the caller; else 404.</summary>
    public static async Task<(Guid CompanyId, Guid? PointId)> ResolveAsync(OrderHubDbContext db, AccessScope access, Guid id, bool isPoint, CancellationToken cancellationToken)
    {
        if (isPoint)
        {
            return (await access.EnsurePickupPointAsync(id, cancellationToken), id);
        }

        if (!await db.Companies.AnyAsync(c => c.Id == id, cancellationToken))
        {
            throw ProblemException.NotFound("Company", id);
        }

        await access.EnsureCanSeeAsync(id, "Company", id, cancellationToken);
        return (id, null);
    }

    public static async Task<IReadOnlyList<ParkedQueueDto>> EffectiveAsync(OrderHubDbContext db, Guid companyId, Guid pointId, CancellationToken cancellationToken)
    {
        var rows = await db.ParkedQueues.AsNoTracking().Where(q => q.ScopeId == companyId || q.ScopeId == pointId).ToListAsync(cancellationToken);
        var own = rows.Where(r => r.PickupPointId == pointId).ToDictionary(r => r.Key);
        var defaults = rows.Where(r => r.PickupPointId is null).OrderBy(r => r.Position).ToList();
        return defaults
            .Select(d => own.TryGetValue(d.Key, out var o) ? new ParkedQueueDto(d.Key, o.Name, "overridden") : new ParkedQueueDto(d.Key, d.Name, "company"))
            .Concat(own.Values.Where(o => defaults.All(d => d.Key != o.Key)).OrderBy(o => o.Position).Select(o => new ParkedQueueDto(o.Key, o.Name, "point")))
            .ToList();
    }
}
