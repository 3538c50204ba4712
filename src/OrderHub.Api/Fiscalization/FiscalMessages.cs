using OrderHub.Api.Messages;
using OrderHub.Integrations.Fiscal;

namespace OrderHub.Api.Fiscalization;

/// <summary>The operator's words for what went wrong and how to fix it, as message keys (<see cref="MessageCatalog"/>).</summary>
public static class FiscalMessages
{
    public static readonly Msg LinkYourUser = Msg.Of("fiscal.linkYourUser");
    public static readonly Msg EnterFiscalNumber = Msg.Of("fiscal.enterFiscalNumber");

    public static Msg LinkYourUserHint(string user, string point, Guid pointId) =>
        Msg.Of("hint.fiscal.linkYourUser", ("user", user), ("point", point), ("pointId", pointId));

    public static Msg EnterFiscalNumberHint(string employee) => Msg.Of("hint.fiscal.enterFiscalNumber", ("employee", employee));

    public static Msg NoCashierHint(string point, Guid pointId) => Msg.Of("hint.fiscal.noCashier", ("point", point), ("pointId", pointId));

    /// <summary>A provider refusal as (message, fix hint, whether the connection itself is wrong).</summary>
    public static (Msg Message, Msg Hint, bool ConnectionFault) Translate<T>(FiscalCall<T> call, string provider, string point)
    {
        // The provider's own words stay as they came ("no details" when it gave none).
        var said = call.Message is { Length: > 0 } m ? m : null;
        (Msg, Msg, bool) Refusal(string key, string hint, bool fault) =>
            (Msg.Of("fiscal.refused." + key, ("provider", provider), ("said", said ?? Msg.Term("term.noDetails"))),
                Msg.Of("hint.fiscal." + hint, ("point", point)), fault);

        return (call.Code, provider) switch
        {
            (CheckboxClient.InvalidLicenseKey, _) => Refusal("licenseKey", "licenseKey", true),
            (CheckboxClient.InvalidCredentials, _) => Refusal("pin", "pin", true),
            (CheckboxClient.StaleToken, _) => Refusal("staleToken", "retryThenCheck", false),
            ("validation", _) => Refusal("validation", "pricesAndTaxes", false),
            ("TransactionsRegistrarAbsent", _) => Refusal("noRegister", "registerNumber", false),
            ("OperatorAccessToTransactionsRegistrarNotGranted", _) => Refusal("noAccess", "grantAccess", true),
            ("InvalidTin", _) => Refusal("tin", "ownersKey", true),
            ("CryptographyError", _) => Refusal("cryptography", "uploadKeyAgain", true),
            ("LastDocumentMustBeZRep", _) => Refusal("shiftNotClosed", "closeShift", false),
            ("CheckLocalNumberInvalid", _) => Refusal("localNumber", "synchronize", false),
            ("DocumentValidationError", _) => Refusal("documentValidation", "pricesAndTaxes", false),
            ("OfflineModeNotSupported", _) => Refusal("offline", "taxServerBack", false),
            ("LicenseViolation", _) => Refusal("license", "renewLicense", true),
            _ when call.Message is null or "" => Refusal("noDetails", "checkConnectionData", true),
            _ => Refusal("other", "checkConnectionThenRetry", false),
        };
    }
}
