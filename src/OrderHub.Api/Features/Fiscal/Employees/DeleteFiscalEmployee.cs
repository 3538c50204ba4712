using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Fiscal.Employees;

public sealed record DeleteFiscalEmployeeCommand(Guid EmployeeId) : IRequest<Unit>;

public sealed class DeleteFiscalEmployeeHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<DeleteFiscalEmployeeCommand, Unit>
{
    public async Task<Unit> Handle(DeleteFiscalEmployeeCommand request, CancellationToken cancellationToken)
    {
        var employee = await db.FiscalEmployees.FirstOrDefaultAsync(e => e.Id == request.EmployeeId, cancellationToken)
                       ?? throw ProblemException.NotFound("Fiscal employee", request.EmployeeId);
        await access.EnsureCanSeeAsync(employee.CompanyId, "Fiscal employee", request.EmployeeId, cancellationToken);
        db.FiscalEmployees.Remove(employee);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
