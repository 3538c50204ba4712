using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Fiscalization;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Fiscal;
using OrderHub.Integrations.Fiscal;

namespace OrderHub.Api.Features.Fiscal.Connections;

/// <summary>
/// "Check connection": signs in at the provider with the stored secrets (Checkbox: PIN + license key, then the
/// tax codes; Cashalot: the register's state with the cashier's ФН ПРРО) and stores the status.
/// </summary>
public sealed record CheckFiscalConnectionCommand(Guid? CompanyId, Guid? PickupPointId) : IRequest<FiscalConnectionCheckResult>;

public sealed class CheckFiscalConnectionHandler(
    OrderHubDbContext db, AccessScope access, FiscalSetup setup, CheckboxClient checkbox, CashalotClient cashalot, TimeProvider time)
    : IRequestHandler<CheckFiscalConnectionCommand, FiscalConnectionCheckResult>
{
    public async Task<FiscalConnectionCheckResult> Handle(CheckFiscalConnectionCommand request, CancellationToken cancellationToken)
    {
        var (companyId, scopeId) = await FiscalConnectionScope.ResolveAsync(db, access, request.CompanyId, request.PickupPointId, cancellationToken);
        var effective = request.PickupPointId is { } pointId
            ? await setup.EffectiveConnectionAsync(companyId, pointId, cancellationToken)
            : await db.FiscalConnections.AsNoTracking().FirstOrDefaultAsync(c => c.ScopeId == scopeId, cancellationToken);
        if (effective is null)
        {
            throw ProblemException.NotFound("Fiscal connection", scopeId);
        }

        var pointName = request.PickupPointId is { } id
            ? await db.PickupPoints.Where(p => p.Id == id).Select(p => p.Name).FirstAsync(cancellationToken)
            : "the company's points";
        var credentials = setup.Credentials(effective);
        var (status, message, hint, taxes) = effective.Provider == FiscalProvider.Checkbox
            ? await CheckCheckboxAsync(effective, credentials, pointName, cancellationToken)
            : await CheckCashalotAsync(effective, credentials, companyId, request.PickupPointId, pointName, cancellationToken);

        var connection = await db.FiscalConnections.FirstAsync(c => c.Id == effective.Id, cancellationToken);
        connection.Status = status;
        connection.StatusMessage = message;
        connection.CheckedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return new FiscalConnectionCheckResult(status.ToString(), message, hint, taxes);
    }

    private async Task<(FiscalConnectionStatus, string, string?, IReadOnlyList<string>)> CheckCheckboxAsync(
        FiscalConnection connection, FiscalCredentials credentials, string point, CancellationToken ct)
    {
        var signIn = await checkbox.SignInAsync(credentials.LicenseKey!, credentials.Pin!, ct);
        if (!signIn.IsOk)
        {
            return Failed(signIn, "Checkbox", point);
        }

        var taxes = await checkbox.GetTaxCodesAsync(credentials.LicenseKey!, signIn.Value!, ct);
        if (!taxes.IsOk)
        {
            return Failed(taxes, "Checkbox", point);
        }

        var codes = taxes.Value!;
        var unknown = new[] { connection.DefaultTaxCode }
            .Concat(FiscalConnectionDto.From(connection).ProductTaxCodes.Values)
            .Where(c => c is not null && !codes.Contains(c)).Distinct().ToList();
        return unknown.Count > 0
            ? (FiscalConnectionStatus.Error, $"Tax code(s) {string.Join(", ", unknown)} are not the organization's (it has {string.Join(", ", codes)}).",
                "Set the tax settings to the organization's tax codes from the Checkbox cabinet.", codes)
            : (FiscalConnectionStatus.Connected, "Connected and configured: the cashier signed in on the register.", null, codes);
    }

    private async Task<(FiscalConnectionStatus, string, string?, IReadOnlyList<string>)> CheckCashalotAsync(
        FiscalConnection connection, FiscalCredentials credentials, Guid companyId, Guid? pickupPointId, string point, CancellationToken ct)
    {
        var employees = db.FiscalEmployees.AsNoTracking().Where(e => e.CompanyId == companyId);
        var cashier = await (pickupPointId is { } id ? employees.Where(e => e.PickupPointId == id) : employees)
            .OrderByDescending(e => e.IsDefaultCashier).FirstOrDefaultAsync(ct);
        if (cashier is null)
        {
            return (FiscalConnectionStatus.Error, $"{English(FiscalMessages.LinkYourUser)}: there is no employee at {point} whose register could be checked.",
                "Add an employee with the register's fiscal number (ФН ПРРО), then check the connection again.", []);
        }

        if (string.IsNullOrWhiteSpace(cashier.FiscalNumber))
        {
            return (FiscalConnectionStatus.Error, English(Msg.Of("fiscal.noFiscalNumber", ("employee", cashier.Name))), English(FiscalMessages.EnterFiscalNumberHint(cashier.Name)), []);
        }

        var state = await cashalot.StateAsync(cashier.FiscalNumber, credentials.Keys!, ct);
        return state.IsOk
            ? (FiscalConnectionStatus.Connected, $"Connected and configured: register {cashier.FiscalNumber} answered (shift {(state.Value!.ShiftOpen ? "open" : "closed")}).", null, [])
            : Failed(state, "Cashalot", point);
    }

    private static (FiscalConnectionStatus, string, string?, IReadOnlyList<string>) Failed<T>(FiscalCall<T> call, string provider, string point)
    {
        if (call.Outcome != FiscalCallOutcome.Rejected)
        {
            return (FiscalConnectionStatus.Error, $"{provider} could not be reached: {call.Message}", "Try again in a few minutes; if it persists, check the provider's status.", []);
        }

        var (message, hint, _) = FiscalMessages.Translate(call, provider, point);
        return (FiscalConnectionStatus.Error, English(message), English(hint), []);
    }

    // The connection's status is stored text, read by the API and the panel alike: kept in English, as before.
    private static string English(Msg message) => MessageCatalog.Render(message, MessageCatalog.English);
}
