using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Mappings;

namespace OrderHub.Api.Features.Tenancy.ExternalIds;

/// <summary>Where external ids are read or written: a company's defaults, or one pickup point's overrides.</summary>
public sealed record ExternalIdScope(Guid CompanyId, Guid? PickupPointId)
{
    public Guid ScopeId => ExternalIdMapping.ScopeFor(CompanyId, PickupPointId);

    /// <summary>The route names a company (<paramref name="isPoint"/> false) or a pickup point; 404 when it does not exist.</summary>
    public static async Task<ExternalIdScope> FindAsync(OrderHubDbContext db, AccessScope access, Guid id, bool isPoint, CancellationToken cancellationToken)
    {
        if (!isPoint)
        {
            return await db.Companies.AnyAsync(c => c.Id == id, cancellationToken) && await access.CanSeeAsync(id, cancellationToken)
                ? new ExternalIdScope(id, null)
                : throw ProblemException.NotFound("Company", id);
        }

        var companyId = await access.EnsurePickupPointAsync(id, cancellationToken);
        return new ExternalIdScope(companyId, id);
    }
}
