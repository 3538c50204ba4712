using AutoMapper;
using AutoMapper.QueryableExtensions;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;

namespace OrderHub.Api.Features.Tenancy.Cities;

public sealed record GetCitiesQuery : IRequest<IReadOnlyList<CityDto>>;

public sealed class GetCitiesHandler(OrderHubDbContext db, IMapper mapper) : IRequestHandler<GetCitiesQuery, IReadOnlyList<CityDto>>
{
    public async Task<IReadOnlyList<CityDto>> Handle(GetCitiesQuery request, CancellationToken cancellationToken) =>
        await db.Cities.AsNoTracking().OrderBy(c => c.Name).ThenBy(c => c.Id)
            .ProjectTo<CityDto>(mapper.ConfigurationProvider).ToListAsync(cancellationToken);
}

public sealed record GetCityQuery(Guid Id) : IRequest<CityDto>;

public sealed class GetCityHandler(OrderHubDbContext db, IMapper mapper) : IRequestHandler<GetCityQuery, CityDto>
{
    public async Task<CityDto> Handle(GetCityQuery request, CancellationToken cancellationToken) =>
        await db.Cities.AsNoTracking().Where(c => c.Id == request.Id)
            .ProjectTo<CityDto>(mapper.ConfigurationProvider).FirstOrDefaultAsync(cancellationToken)
        ?? throw ProblemException.NotFound("City", request.Id);
}
