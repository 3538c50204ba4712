using AutoMapper;
using AutoMapper.QueryableExtensions;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Tenancy.Companies;

public sealed record GetCompaniesQuery(Guid? CityId) : IRequest<IReadOnlyList<CompanyDto>>;

public sealed class GetCompaniesHandler(OrderHubDbContext db, IMapper mapper, AccessScope access) : IRequestHandler<GetCompaniesQuery, IReadOnlyList<CompanyDto>>
{
    public async Task<IReadOnlyList<CompanyDto>> Handle(GetCompaniesQuery request, CancellationToken cancellationToken)
    {
        var companies = await access.FilterAsync(db.Companies.AsNoTracking(), c => c.Id, cancellationToken);
        if (request.CityId is { } cityId)
        {
            companies = companies.Where(c => c.CityId == cityId);
        }

        return await companies.OrderBy(c => c.Name).ThenBy(c => c.Id)
            .ProjectTo<CompanyDto>(mapper.ConfigurationProvider).ToListAsync(cancellationToken);
    }
}

public sealed record GetCompanyQuery(Guid Id) : IRequest<CompanyDto>;

public sealed class GetCompanyHandler(OrderHubDbContext db, IMapper mapper, AccessScope access) : IRequestHandler<GetCompanyQuery, CompanyDto>
{
    public async Task<CompanyDto> Handle(GetCompanyQuery request, CancellationToken cancellationToken) =>
        await (await access.CanSeeAsync(request.Id, cancellationToken) ? db.Companies : db.Companies.Where(_ => false)).AsNoTracking().Where(c => c.Id == request.Id)
            .ProjectTo<CompanyDto>(mapper.ConfigurationProvider).FirstOrDefaultAsync(cancellationToken)
        ?? throw ProblemException.NotFound("Company", request.Id);
}
