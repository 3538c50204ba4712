using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Tenancy.PosIntegrations;

public sealed record DeleteCompanyPosIntegrationCommand(Guid CompanyId) : IRequest<Unit>;

public sealed class DeleteCompanyPosIntegrationHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<DeleteCompanyPosIntegrationCommand, Unit>
{
    public async Task<Unit> Handle(DeleteCompanyPosIntegrationCommand request, CancellationToken cancellationToken)
    {
        await CompanyPosIntegrationAccess.EnsureAsync(db, access, request.CompanyId, cancellationToken);
        var integration = await db.CompanyPosIntegrations.FirstOrDefaultAsync(c => c.CompanyId == request.CompanyId, cancellationToken)
                          ?? throw CompanyPosIntegrationAccess.NotFound(request.CompanyId);
        db.CompanyPosIntegrations.Remove(integration);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
