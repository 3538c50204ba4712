using AutoMapper;
using AutoMapper.QueryableExtensions;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Tenancy.PickupPoints;

public sealed record GetPickupPointsQuery(Guid CompanyId) : IRequest<IReadOnlyList<PickupPointDto>>;

public sealed class GetPickupPointsHandler(OrderHubDbContext db, IMapper mapper, AccessScope access) : IRequestHandler<GetPickupPointsQuery, IReadOnlyList<PickupPointDto>>
{
    public async Task<IReadOnlyList<PickupPointDto>> Handle(GetPickupPointsQuery request, CancellationToken cancellationToken)
    {
        if (!await db.Companies.AnyAsync(c => c.Id == request.CompanyId, cancellationToken) || !await access.CanSeeAsync(request.CompanyId, cancellationToken))
        {
            throw ProblemException.NotFound("Company", request.CompanyId);
        }

        return await db.PickupPoints.AsNoTracking().Where(p => p.CompanyId == request.CompanyId)
            .OrderBy(p => p.Name).ThenBy(p => p.Id)
            .ProjectTo<PickupPointDto>(mapper.ConfigurationProvider).ToListAsync(cancellationToken);
    }
}

public sealed record GetPickupPointQuery(Guid Id) : IRequest<PickupPointDto>;

public sealed class GetPickupPointHandler(OrderHubDbContext db, IMapper mapper, AccessScope access) : IRequestHandler<GetPickupPointQuery, PickupPointDto>
{
    public async Task<PickupPointDto> Handle(GetPickupPointQuery request, CancellationToken cancellationToken) =>
        await (await access.FilterAsync(db.PickupPoints.AsNoTracking(), p => p.CompanyId, cancellationToken)).Where(p => p.Id == request.Id)
            .ProjectTo<PickupPointDto>(mapper.ConfigurationProvider).FirstOrDefaultAsync(cancellationToken)
        ?? throw ProblemException.NotFound("Pickup point", request.Id);
}
