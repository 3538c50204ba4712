using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Fiscalization;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Persistence.Configurations;
using OrderHub.Api.Security;
using OrderHub.Domain.Fiscal;

namespace OrderHub.Api.Features.Fiscal.Employees;

/// <summary>An employee who fiscalizes, with the warnings about their setup (empty or suspicious ФН ПРРО).</summary>
public sealed record FiscalEmployeeDto
{
    public Guid Id { get; init; }
    public Guid PickupPointId { get; init; }
    public string Name { get; init; } = "";

    /// <summary>The linked user's login name.</summary>
    public string? UserName { get; init; }

    /// <summary>The register's fiscal number (ФН ПРРО).</summary>
    public string? FiscalNumber { get; init; }
    public bool IsDefaultCashier { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public static FiscalEmployeeDto From(FiscalEmployee e) => new()
    {
        Id = e.Id,
        PickupPointId = e.PickupPointId,
        Name = e.Name,
        UserName = e.UserName,
        FiscalNumber = e.FiscalNumber,
        IsDefaultCashier = e.IsDefaultCashier,
        Warnings = WarningsFor(e),
        CreatedAt = e.CreatedAt,
        UpdatedAt = e.UpdatedAt,
    };

    public static IReadOnlyList<string> WarningsFor(FiscalEmployee e)
    {
        var warnings = new List<string>();
        if (string.IsNullOrWhiteSpace(e.FiscalNumber))
        {
            warnings.Add(MessageCatalog.Render(FiscalMessages.EnterFiscalNumberHint(e.Name), MessageCatalog.CurrentLanguage));
        }
        else if (FiscalNumberRule.LooksLikePersonalTaxNumber(e.FiscalNumber))
        {
            warnings.Add(MessageCatalog.Render(Msg.Of("fiscal.personalTaxNumber"), MessageCatalog.CurrentLanguage));
        }

        if (e.UserName is null)
        {
            warnings.Add(MessageCatalog.Render(Msg.Of("fiscal.noUserLinked"), MessageCatalog.CurrentLanguage));
        }

        return warnings;
    }
}

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
