using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Mappings;

namespace OrderHub.Api.Features.Tenancy.ExternalIds;

/// <summary>Where external ids are read or written: a company's defaults, or one pickup point's overrides.</summary>
public sealed record ExternalIdScope(Guid CompanyId, Guid? PickupPointId)
{
    public Guid ScopeId => ExternalIdMapping.ScopeFor(CompanyId, PickupPointId);

    /// <summary>The route names a company (<paramref name="isPoint"/> false) or a pickup point; 404 when it does not exist.</summary>
    public static async Task<ExternalIdScope> FindAsync(OrderHubDbContext db, Guid id, bool isPoint, CancellationToken cancellationToken)
    {
        if (!isPoint)
        {
            return await db.Companies.AnyAsync(c => c.Id == id, cancellationToken)
                ? new ExternalIdScope(id, null)
                : throw ProblemException.NotFound("Company", id);
        }

        var companyId = await db.PickupPoints.Where(p => p.Id == id).Select(p => (Guid?)p.CompanyId).FirstOrDefaultAsync(cancellationToken)
                        ?? throw ProblemException.NotFound("Pickup point", id);
        return new ExternalIdScope(companyId, id);
    }
}
