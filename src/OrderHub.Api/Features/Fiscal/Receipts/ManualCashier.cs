using OrderHub.Api.Fiscalization;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Features.Fiscal.Receipts;

/// <summary>A manual fiscal action (mark paid, refund, retry) is issued by the acting user's employee at the order's point.</summary>
public static class ManualCashier
{
    public static async Task<FiscalEmployee> RequireAsync(FiscalSetup setup, string? userName, PickupPoint point, CancellationToken cancellationToken)
    {
        var employee = await setup.EmployeeOfUserAsync(point.Id, userName, cancellationToken);
        if (employee is null)
        {
            throw new ProblemException(StatusCodes.Status422UnprocessableEntity, FiscalMessages.LinkYourUser,
                Msg.Of("problem.userNotLinked", ("user", userName), ("point", point.Name)),
                new Dictionary<string, object?> { ["fixHint"] = FiscalMessages.LinkYourUserHint(userName ?? "", point.Name, point.Id) });
        }

        if (string.IsNullOrWhiteSpace(employee.FiscalNumber))
        {
            throw new ProblemException(StatusCodes.Status422UnprocessableEntity, FiscalMessages.EnterFiscalNumber,
                Msg.Of("problem.noFiscalNumber", ("employee", employee.Name), ("user", userName)),
                new Dictionary<string, object?> { ["fixHint"] = FiscalMessages.EnterFiscalNumberHint(employee.Name), ["employeeId"] = employee.Id });
        }

        return employee;
    }
}
