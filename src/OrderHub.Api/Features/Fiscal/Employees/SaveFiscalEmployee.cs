using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Persistence.Configurations;
using OrderHub.Api.Security;
using OrderHub.Domain.Fiscal;

namespace OrderHub.Api.Features.Fiscal.Employees;

/// <summary>Creates (<see cref="EmployeeId"/> null) or replaces an employee of a pickup point.</summary>
public sealed record SaveFiscalEmployeeCommand : IRequest<FiscalEmployeeDto>
{
    [JsonIgnore]
    public Guid PickupPointId { get; init; }

    [JsonIgnore]
    public Guid? EmployeeId { get; init; }

    public string? Name { get; init; }

    /// <summary>The user's login name (as they sign in); links the user to this employee.</summary>
    public string? UserName { get; init; }

    /// <summary>The register's fiscal number (ФН ПРРО), digits.</summary>
    public string? FiscalNumber { get; init; }

    /// <summary>Issues the point's automatic receipts. Setting it clears it on the point's other employees.</summary>
    public bool? IsDefaultCashier { get; init; }
}

public sealed class SaveFiscalEmployeeValidator : AbstractValidator<SaveFiscalEmployeeCommand>
{
    public SaveFiscalEmployeeValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Limits.Name);
        RuleFor(c => c.UserName).NotEmpty().MaximumLength(Limits.Actor).When(c => c.UserName is not null);
        RuleFor(c => c.FiscalNumber).Matches("^[0-9]{1,20}$").When(c => !string.IsNullOrEmpty(c.FiscalNumber))
            .WithMessageKey("valid.fiscalNumber");
    }
}

public sealed class SaveFiscalEmployeeHandler(OrderHubDbContext db, AccessScope access, TimeProvider time)
    : IRequestHandler<SaveFiscalEmployeeCommand, FiscalEmployeeDto>
{
    public async Task<FiscalEmployeeDto> Handle(SaveFiscalEmployeeCommand request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        FiscalEmployee employee;
        if (request.EmployeeId is { } id)
        {
            employee = await db.FiscalEmployees.FirstOrDefaultAsync(e => e.Id == id, cancellationToken) ?? throw ProblemException.NotFound("Fiscal employee", id);
            await access.EnsureCanSeeAsync(employee.CompanyId, "Fiscal employee", id, cancellationToken);
        }
        else
        {
            var companyId = await access.EnsurePickupPointAsync(request.PickupPointId, cancellationToken);
            employee = db.FiscalEmployees.Add(new FiscalEmployee { CompanyId = companyId, PickupPointId = request.PickupPointId, CreatedAt = now }).Entity;
        }

        employee.Name = request.Name!;
        employee.UserName = string.IsNullOrWhiteSpace(request.UserName) ? null : request.UserName;
        employee.FiscalNumber = string.IsNullOrWhiteSpace(request.FiscalNumber) ? null : request.FiscalNumber;
        employee.IsDefaultCashier = request.IsDefaultCashier ?? false;
        employee.UpdatedAt = now;
        if (employee.IsDefaultCashier)
        {
            var others = await db.FiscalEmployees.Where(e => e.PickupPointId == employee.PickupPointId && e.Id != employee.Id && e.IsDefaultCashier)
                .ToListAsync(cancellationToken);
            others.ForEach(e => e.IsDefaultCashier = false);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw Shared.TenancyRules.Taken("userName", "Employee", request.UserName ?? "");
        }

        return FiscalEmployeeDto.From(employee);
    }
}
