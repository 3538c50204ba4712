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
            : Msg.Term("fiscal.check.companyPoints"); // a term: reads "the company's points" in the reader's language
        var credentials = setup.Credentials(effective);
        var (status, message, hint, taxes) = effective.Provider == FiscalProvider.Checkbox
            ? await CheckCheckboxAsync(effective, credentials, pointName, cancellationToken)
            : await CheckCashalotAsync(effective, credentials, companyId, request.PickupPointId, pointName, cancellationToken);

        var connection = await db.FiscalConnections.FirstAsync(c => c.Id == effective.Id, cancellationToken);
        FiscalConnectionStatusMessage.Set(connection, status, message);
        connection.CheckedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        // The stored status is a key (with its English); the answer reads in the reader's language.
        var language = MessageCatalog.CurrentLanguage;
        return new FiscalConnectionCheckResult(status.ToString(), MessageCatalog.Render(message, language), hint is null ? null : MessageCatalog.Render(hint, language), taxes);
    }

    private async Task<(FiscalConnectionStatus, Msg, Msg?, IReadOnlyList<string>)> CheckCheckboxAsync(
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
            ? (FiscalConnectionStatus.Error, Msg.Of("fiscal.check.taxCodes", ("unknown", string.Join(", ", unknown)), ("codes", string.Join(", ", codes))),
                Msg.Of("hint.fiscal.check.taxCodes"), codes)
            : (FiscalConnectionStatus.Connected, Msg.Of("fiscal.check.connectedCheckbox"), null, codes);
    }

    private async Task<(FiscalConnectionStatus, Msg, Msg?, IReadOnlyList<string>)> CheckCashalotAsync(
        FiscalConnection connection, FiscalCredentials credentials, Guid companyId, Guid? pickupPointId, string point, CancellationToken ct)
    {
        var employees = db.FiscalEmployees.AsNoTracking().Where(e => e.CompanyId == companyId);
        var cashier = await (pickupPointId is { } id ? employees.Where(e => e.PickupPointId == id) : employees)
            .OrderByDescending(e => e.IsDefaultCashier).FirstOrDefaultAsync(ct);
        if (cashier is null)
        {
            return (FiscalConnectionStatus.Error, Msg.Of("fiscal.check.noEmployee", ("point", point)).With("title", FiscalMessages.LinkYourUser),
                Msg.Of("hint.fiscal.check.addEmployee"), []);
        }

        if (string.IsNullOrWhiteSpace(cashier.FiscalNumber))
        {
            return (FiscalConnectionStatus.Error, Msg.Of("fiscal.noFiscalNumber", ("employee", cashier.Name)), FiscalMessages.EnterFiscalNumberHint(cashier.Name), []);
        }

        var state = await cashalot.StateAsync(cashier.FiscalNumber, credentials.Keys!, ct);
        return state.IsOk
            ? (FiscalConnectionStatus.Connected, Msg.Of("fiscal.check.connectedCashalot", ("register", cashier.FiscalNumber), ("shift", Msg.Term(state.Value!.ShiftOpen ? "fiscal.check.shiftOpen" : "fiscal.check.shiftClosed"))), null, [])
            : Failed(state, "Cashalot", point);
    }

    private static (FiscalConnectionStatus, Msg, Msg?, IReadOnlyList<string>) Failed<T>(FiscalCall<T> call, string provider, string point)
    {
        if (call.Outcome != FiscalCallOutcome.Rejected)
        {
            return (FiscalConnectionStatus.Error, Msg.Of("fiscal.check.unreachable", ("provider", provider), ("said", call.Message)), Msg.Of("hint.fiscal.check.tryLater"), []);
        }

        var (message, hint, _) = FiscalMessages.Translate(call, provider, point);
        return (FiscalConnectionStatus.Error, message, hint, []);
    }
}
