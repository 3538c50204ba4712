using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Tenancy.PosIntegrations;

internal static class CompanyPosIntegrationAccess
{
    public static async Task EnsureAsync(OrderHubDbContext db, AccessScope access, Guid companyId, CancellationToken cancellationToken)
    {
        if (!await db.Companies.AnyAsync(c => c.Id == companyId, cancellationToken))
        {
            throw ProblemException.NotFound("Company", companyId);
        }

        await access.EnsureCanSeeAsync(companyId, "Company", companyId, cancellationToken);
    }

    public static ProblemException NotFound(Guid companyId) =>
        new(StatusCodes.Status404NotFound, "Company POS integration not found", $"Company '{companyId}' has no default POS integration.");
}
