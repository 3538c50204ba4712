using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Fiscal.Employees;

public sealed record GetFiscalEmployeesQuery(Guid PickupPointId) : IRequest<IReadOnlyList<FiscalEmployeeDto>>;

public sealed class GetFiscalEmployeesHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<GetFiscalEmployeesQuery, IReadOnlyList<FiscalEmployeeDto>>
{
    public async Task<IReadOnlyList<FiscalEmployeeDto>> Handle(GetFiscalEmployeesQuery request, CancellationToken cancellationToken)
    {
        await access.EnsurePickupPointAsync(request.PickupPointId, cancellationToken);
        var employees = await db.FiscalEmployees.AsNoTracking().Where(e => e.PickupPointId == request.PickupPointId)
            .OrderBy(e => e.Name).ToListAsync(cancellationToken);
        return employees.Select(FiscalEmployeeDto.From).ToList();
    }
}
