using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Reconciliation.GetReconciliations;

/// <summary>A point's reconciliations, newest day first (counts only).</summary>
public sealed record GetReconciliationsQuery(Guid PickupPointId, int Take = 60) : IRequest<IReadOnlyList<ReconciliationRunDto>>;

/// <summary>One reconciliation of a point with its findings.</summary>
public sealed record GetReconciliationQuery(Guid PickupPointId, Guid RunId) : IRequest<ReconciliationRunDto>;

public sealed class GetReconciliationsHandler(OrderHubDbContext db, AccessScope access)
    : IRequestHandler<GetReconciliationsQuery, IReadOnlyList<ReconciliationRunDto>>, IRequestHandler<GetReconciliationQuery, ReconciliationRunDto>
{
    public async Task<IReadOnlyList<ReconciliationRunDto>> Handle(GetReconciliationsQuery request, CancellationToken cancellationToken)
    {
        await EnsurePointAsync(request.PickupPointId, cancellationToken);
        var runs = await db.ReconciliationRuns.AsNoTracking()
            .Where(r => r.PickupPointId == request.PickupPointId)
            .OrderByDescending(r => r.Day)
            .Take(Math.Clamp(request.Take, 1, 400))
            .ToListAsync(cancellationToken);
        return runs.Select(r => ReconciliationRunDto.From(r, withFindings: false)).ToList();
    }

    public async Task<ReconciliationRunDto> Handle(GetReconciliationQuery request, CancellationToken cancellationToken)
    {
        await EnsurePointAsync(request.PickupPointId, cancellationToken);
        var run = await db.ReconciliationRuns.AsNoTracking().Include(r => r.Findings)
                      .FirstOrDefaultAsync(r => r.Id == request.RunId && r.PickupPointId == request.PickupPointId, cancellationToken)
                  ?? throw ProblemException.NotFound("Reconciliation", request.RunId);
        return ReconciliationRunDto.From(run, withFindings: true);
    }

    private async Task EnsurePointAsync(Guid pointId, CancellationToken cancellationToken)
    {
        var company = await db.PickupPoints.AsNoTracking().Where(p => p.Id == pointId).Select(p => (Guid?)p.CompanyId).FirstOrDefaultAsync(cancellationToken)
                      ?? throw ProblemException.NotFound("Pickup point", pointId);
        await access.EnsureCanSeeAsync(company, "Pickup point", pointId, cancellationToken);
    }
}
