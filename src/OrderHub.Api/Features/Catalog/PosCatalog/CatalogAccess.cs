using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Features.Catalog.PosCatalog;

internal static class CatalogAccess
{
    /// <summary>The pickup point, or 404 when it does not exist or the caller may not see its company.</summary>
    public static async Task<PickupPoint> PointAsync(OrderHubDbContext db, AccessScope access, Guid pickupPointId, CancellationToken cancellationToken)
    {
        await access.EnsurePickupPointAsync(pickupPointId, cancellationToken);
        return await db.PickupPoints.AsNoTracking().FirstOrDefaultAsync(p => p.Id == pickupPointId, cancellationToken)
               ?? throw ProblemException.NotFound("Pickup point", pickupPointId);
    }

    public static async Task<Company> CompanyAsync(OrderHubDbContext db, AccessScope access, Guid companyId, CancellationToken cancellationToken)
    {
        var company = await db.Companies.AsNoTracking().FirstOrDefaultAsync(c => c.Id == companyId, cancellationToken);
        if (company is null || !await access.CanSeeAsync(companyId, cancellationToken))
        {
            throw ProblemException.NotFound("Company", companyId);
        }

        return company;
    }
}
