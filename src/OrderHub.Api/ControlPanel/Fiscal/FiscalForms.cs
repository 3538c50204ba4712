using MediatR;
using OrderHub.Api.Features.Fiscal.Connections;
using OrderHub.Api.Features.Fiscal.Employees;
using OrderHub.Api.Infrastructure;

using OrderHub.Api.Messages;

namespace OrderHub.Api.ControlPanel.Fiscal;

/// <summary>What the fiscal connection section renders: the connection (null when none), where it is saved, and the role's rights.</summary>
public sealed record FiscalConnectionView(FiscalConnectionDto? Connection, bool CanManage, bool ForPoint, Guid ScopeId);

/// <summary>The fiscal connection form's fields, as the browser posts them; empty secrets keep the stored ones.</summary>
public sealed record FiscalConnectionForm
{
    public string? Name { get; init; }
    public string? Provider { get; init; }
    public bool ReceiptsEnabled { get; init; }
    public string? Pin { get; init; }
    public string? LicenseKey { get; init; }
    public string? CashalotCertificate { get; init; }
    public string? CashalotPrivateKey { get; init; }
    public string? CashalotKeyPassword { get; init; }
    public string? DefaultTaxCode { get; init; }
    public string? ProductTaxCodes { get; init; }
    public string? ShiftCloseAt { get; init; }
}

/// <summary>The panel's fiscal forms, sending the same MediatR requests as the API's fiscal endpoints.</summary>
public static class FiscalForms
{
    /// <summary>The connection a scope uses, or null when it has none (the API's 404).</summary>
    public static async Task<FiscalConnectionDto?> ConnectionOrNullAsync(IMediator mediator, Guid? companyId, Guid? pointId, CancellationToken cancellationToken)
    {
        try
        {
            return await mediator.Send(new GetFiscalConnectionQuery(companyId, pointId), cancellationToken);
        }
        catch (ProblemException problem) when (problem.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    /// <summary>PUT …/fiscal-connection with the form's fields; the provider's own secrets only (the others are left out).</summary>
    public static async Task<string> SaveAsync(IMediator mediator, PanelText text, Guid? companyId, Guid? pointId, FiscalConnectionForm form, CancellationToken cancellationToken)
    {
        var checkbox = string.Equals(form.Provider, "Checkbox", StringComparison.OrdinalIgnoreCase);
        await mediator.Send(new SaveFiscalConnectionCommand
        {
            CompanyId = companyId,
            PickupPointId = pointId,
            Name = Blank(form.Name),
            Provider = Blank(form.Provider),
            ReceiptsEnabled = form.ReceiptsEnabled,
            Pin = Blank(form.Pin),
            LicenseKey = checkbox ? Blank(form.LicenseKey) : null,
            CashalotCertificate = checkbox ? null : Blank(form.CashalotCertificate),
            CashalotPrivateKey = checkbox ? null : Blank(form.CashalotPrivateKey),
            CashalotKeyPassword = checkbox ? null : Blank(form.CashalotKeyPassword),
            DefaultTaxCode = Blank(form.DefaultTaxCode),
            ProductTaxCodes = ParseTaxCodes(form.ProductTaxCodes),
            ShiftCloseAt = Blank(form.ShiftCloseAt),
        }, cancellationToken);
        return text["fiscal.saved"];
    }

    /// <summary>POST …/fiscal-connection/check: the status and message, with the fix when there is one.</summary>
    public static async Task<string> CheckAsync(IMediator mediator, PanelText text, Guid? companyId, Guid? pointId, CancellationToken cancellationToken)
    {
        var check = await mediator.Send(new CheckFiscalConnectionCommand(companyId, pointId), cancellationToken);
        var status = text["fiscal.status." + check.Status];
        return check.FixHint is null ? text.Format("fiscal.checked", status, check.Message) : text.Format("fiscal.checkedHint", status, check.Message, check.FixHint);
    }

    /// <summary>POST …/fiscal-employees or PUT /api/fiscal-employees/{id}; the API's warnings (e.g. РНОКПП) go into the notice.</summary>
    public static async Task<string> SaveEmployeeAsync(
        IMediator mediator, PanelText text, Guid pointId, Guid? employeeId, string? name, string? userName, string? fiscalNumber, bool isDefaultCashier,
        CancellationToken cancellationToken)
    {
        var saved = await mediator.Send(new SaveFiscalEmployeeCommand
        {
            PickupPointId = pointId, EmployeeId = employeeId, Name = name?.Trim(), UserName = Blank(userName), FiscalNumber = Blank(fiscalNumber),
            IsDefaultCashier = isDefaultCashier,
        }, cancellationToken);
        return saved.Warnings.Count == 0
            ? text.Format("employees.saved", saved.Name)
            : text.Format("employees.savedWarnings", saved.Name, string.Join(" ", saved.Warnings));
    }

    /// <summary>"id: code" a line; blank lines skipped; null when the field is empty (no per-product codes).</summary>
    public static Dictionary<string, string>? ParseTaxCodes(string? lines)
    {
        if (string.IsNullOrWhiteSpace(lines))
        {
            return null;
        }

        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.LastIndexOf(':');
            if (colon <= 0 || colon == line.Length - 1)
            {
                throw ProblemException.Invalid("productTaxCodes", Msg.Of("refusal.taxCodeLines"));
            }

            codes[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        return codes;
    }

    public static string TaxCodeLines(FiscalConnectionDto? connection) =>
        connection is null ? "" : string.Join("\n", connection.ProductTaxCodes.Select(kv => $"{kv.Key}: {kv.Value}"));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
