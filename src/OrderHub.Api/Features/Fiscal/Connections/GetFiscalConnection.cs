using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Fiscalization;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Fiscal.Connections;

/// <summary>A company's default connection, or the connection a pickup point uses (its own, else the company's).</summary>
public sealed record GetFiscalConnectionQuery(Guid? CompanyId, Guid? PickupPointId) : IRequest<FiscalConnectionDto>;

public sealed class GetFiscalConnectionHandler(OrderHubDbContext db, AccessScope access, FiscalSetup setup)
    : IRequestHandler<GetFiscalConnectionQuery, FiscalConnectionDto>
{
    public async Task<FiscalConnectionDto> Handle(GetFiscalConnectionQuery request, CancellationToken cancellationToken)
    {
        var (companyId, scopeId) = await FiscalConnectionScope.ResolveAsync(db, access, request.CompanyId, request.PickupPointId, cancellationToken);
        var connection = request.PickupPointId is { } pointId
            ? await setup.EffectiveConnectionAsync(companyId, pointId, cancellationToken)
            : await db.FiscalConnections.AsNoTracking().FirstOrDefaultAsync(c => c.ScopeId == scopeId, cancellationToken);
        return connection is null ? throw ProblemException.NotFound("Fiscal connection", scopeId) : FiscalConnectionDto.From(connection);
    }
}
