using AutoMapper;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Tenancy.PosIntegrations;

public sealed record GetCompanyPosIntegrationQuery(Guid CompanyId) : IRequest<CompanyPosIntegrationDto>;

public sealed class GetCompanyPosIntegrationHandler(OrderHubDbContext db, IMapper mapper, AccessScope access)
    : IRequestHandler<GetCompanyPosIntegrationQuery, CompanyPosIntegrationDto>
{
    public async Task<CompanyPosIntegrationDto> Handle(GetCompanyPosIntegrationQuery request, CancellationToken cancellationToken)
    {
        await CompanyPosIntegrationAccess.EnsureAsync(db, access, request.CompanyId, cancellationToken);
        var integration = await db.CompanyPosIntegrations.AsNoTracking().FirstOrDefaultAsync(c => c.CompanyId == request.CompanyId, cancellationToken)
                          ?? throw CompanyPosIntegrationAccess.NotFound(request.CompanyId);
        return mapper.Map<CompanyPosIntegrationDto>(integration);
    }
}
