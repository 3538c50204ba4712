using OrderHub.Integrations.Fiscal;

namespace OrderHub.Api.Fiscalization;

/// <summary>The operator's words for what went wrong and how to fix it.</summary>
public static class FiscalMessages
{
    public const string LinkYourUser = "Link your user to an employee";
    public const string EnterFiscalNumber = "Enter the employee's fiscal number (ФН ПРРО)";
    public const string CheckConnection = "Check the connection data";

    public static string LinkYourUserHint(string user, string point, Guid pointId) =>
        $"Link your user to an employee: add (or edit) an employee of pickup point '{point}' with userName '{user}' (POST /api/pickup-points/{pointId}/fiscal-employees).";

    public static string EnterFiscalNumberHint(string employee) =>
        $"Enter the employee's fiscal number (ФН ПРРО) for '{employee}': the register's fiscal number from the provider's cabinet, not the personal tax number.";

    public static string NoCashierHint(string point, Guid pointId) =>
        $"Link a user to an employee at pickup point '{point}' and mark them as its cashier (isDefaultCashier), then retry the receipt (POST /api/pickup-points/{pointId}/fiscal-employees).";

    /// <summary>A provider refusal as (message, fix hint, whether the connection itself is wrong).</summary>
    public static (string Message, string Hint, bool ConnectionFault) Translate<T>(FiscalCall<T> call, string provider, string point)
    {
        var said = call.Message is { Length: > 0 } m ? m : "no details";
        return (call.Code, provider) switch
        {
            (CheckboxClient.InvalidLicenseKey, _) => ($"Checkbox does not know the register's license key ({said}).",
                $"{CheckConnection}: copy the register's license key from the Checkbox cabinet into the fiscal connection of '{point}', then check the connection.", true),
            (CheckboxClient.InvalidCredentials, _) => ($"Checkbox refused the cashier's PIN ({said}).",
                $"{CheckConnection}: enter the cashier's PIN from Checkbox cashier management in the fiscal connection of '{point}', then check the connection.", true),
            (CheckboxClient.StaleToken, _) => ($"Checkbox refused the sign-in token ({said}).", "Retry the receipt; if it recurs, check the connection data.", false),
            ("validation", _) => ($"{provider} refused the receipt: {said}",
                "Check the items' prices and the tax codes in the fiscal connection's tax settings, then retry the receipt.", false),
            ("TransactionsRegistrarAbsent", _) => ($"Cashalot has no register with this fiscal number ({said}).",
                $"{EnterFiscalNumber} exactly as the register's card in the Cashalot cabinet shows it (not the personal tax number), then retry.", false),
            ("OperatorAccessToTransactionsRegistrarNotGranted", _) => ($"The key's owner may not operate this register ({said}).",
                "Grant the key's cashier access to the register in the Cashalot cabinet, then retry.", true),
            ("InvalidTin", _) => ($"The key's tax number does not match the register's owner ({said}).",
                $"{CheckConnection}: upload the key of the register's owner, then check the connection.", true),
            ("CryptographyError", _) => ($"Cashalot could not use the key ({said}).",
                $"{CheckConnection}: upload the key (certificate and private key) again and enter its password, then check the connection.", true),
            ("LastDocumentMustBeZRep", _) => ($"The register's previous shift was not closed ({said}).",
                "Close the previous shift with a Z report in Cashalot, then retry.", false),
            ("CheckLocalNumberInvalid", _) => ($"The register's local numbering is out of step ({said}).",
                "Synchronize the register in the Cashalot cabinet, then retry.", false),
            ("DocumentValidationError", _) => ($"Cashalot refused the receipt: {said}",
                "Check the items' prices and the tax codes in the fiscal connection's tax settings, then retry the receipt.", false),
            ("OfflineModeNotSupported", _) => ($"The register cannot work offline while the tax server is away ({said}).",
                "Retry the receipt when the tax server is back.", false),
            ("LicenseViolation", _) => ($"The register's Cashalot license does not allow this ({said}).",
                "Renew the register's license in the Cashalot cabinet, then retry.", true),
            _ when call.Message is null or "" => ($"{provider} refused the request without details.", $"{CheckConnection} of '{point}' and check the connection.", true),
            _ => ($"{provider} refused the request: {said}", $"{CheckConnection} of '{point}', then retry the receipt.", false),
        };
    }
}
