using OrderHub.Domain.History;
using OrderHub.Integrations.Pos;

namespace OrderHub.Integrations.Poster;

/// <summary>Poster error codes in words for support staff, with the reason and what to fix.</summary>
internal static class PosterErrors
{
    public sealed record Translation(PosPushOutcome Outcome, FailureReason Reason, string Message, string FixHint, MessageRef MessageRef, MessageRef FixHintRef);

    /// <summary>
    /// Known codes are permanent: Poster answered on purpose and the same request gets the same answer.
    /// Unknown codes are permanent too (<see cref="FailureReason.PosRejected"/>): Poster refused the order
    /// deliberately, and re-sending the same request blindly for hours helps no one; the message keeps
    /// Poster's own text and code so support can act, then export again.
    /// </summary>
    public static Translation Translate(int? code, string? posterMessage, string? productHint = null)
    {
        var said = string.IsNullOrWhiteSpace(posterMessage) ? "" : $" Poster said: \"{posterMessage}\".";
        var codeText = code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(no code)";
        Translation T(PosPushOutcome outcome, FailureReason reason, string message, string key, string hint, string hintKey, params (string, object?)[] hintArgs) =>
            new(outcome, reason, message + said, hint,
                MessageRef.Of("poster." + key, ("code", codeText), ("said", said.Length == 0 ? "" : "@poster.said"), ("posterMessage", posterMessage)),
                MessageRef.Of("hint.poster." + hintKey, hintArgs));

        return code switch
        {
            10 or 11 or 12 => T(PosPushOutcome.Permanent, FailureReason.PosAuthRejected,
                $"Poster refused the access token (error {code}: {(code == 12 ? "token expired" : code == 10 ? "no token" : "bad token")}).",
                code == 12 ? "tokenExpired" : code == 10 ? "noToken" : "badToken",
                "Issue a new API token in Poster (Access → Integrations) and save it in the pickup point's POS integration.", "newToken"),
            20 => T(PosPushOutcome.Permanent, FailureReason.PosRequestInvalid,
                "Poster refused the request: the application lacks rights (error 20).", "noRights",
                "Give the Poster integration access to online orders (incoming orders) in Poster, then export again.", "grantRights"),
            34 => T(PosPushOutcome.Permanent, FailureReason.PosRequestInvalid,
                "Poster refused the order: a required field is missing (error 34).", "fieldMissing",
                "Check that the order has a customer phone and at least one mapped product; then export again.", "fieldMissing"),
            32 => T(PosPushOutcome.Permanent, FailureReason.PosRequestInvalid,
                "Poster says an id in the request does not exist (error 32).", "idUnknown",
                "Check the pickup point's Poster ids (spot, products, modifiers).", "checkIds"),
            37 => T(PosPushOutcome.Permanent, FailureReason.PosPhoneInvalid,
                "Poster refused the customer's phone number (error 37).", "phone",
                "Correct the customer's phone (international format, e.g. +380501234567) and export again.", "phone"),
            41 => productHint is null
                ? T(PosPushOutcome.Permanent, FailureReason.PosProductNotFound,
                    "Poster does not know a product in the order (error 41).", "product",
                    "Check the Poster product ids in the pickup point's external IDs against Poster's menu.", "products")
                : T(PosPushOutcome.Permanent, FailureReason.PosProductNotFound,
                    "Poster does not know a product in the order (error 41).", "product",
                    $"Check the Poster product id of {productHint} in the pickup point's external IDs.", "product", ("product", productHint)),
            42 => T(PosPushOutcome.Permanent, FailureReason.PosModificationNotFound,
                "Poster does not know a variant or modifier in the order (error 42).", "modification",
                "Check the Poster variant (modificator) and dish modifier ids in the pickup point's external IDs.", "modification"),
            60 => T(PosPushOutcome.Permanent, FailureReason.PosSpotNotFound,
                "Poster does not know the spot (location) of this pickup point (error 60).", "spot",
                "Set the pickup point's Poster spot id to a location of this Poster account (Poster → Locations).", "spot"),
            88 => T(PosPushOutcome.Permanent, FailureReason.PosPaymentSumMismatch,
                "Poster says the payment sum differs from the products' sum (error 88).", "paymentSum",
                "Compare the product and modifier prices in Poster with Dots; the order was paid online for its Dots total.", "paymentSum"),
            4001 => T(PosPushOutcome.Permanent, FailureReason.PosCurrencyMismatch,
                "Poster refused the order's currency (error 4001).", "currency",
                "The Poster account uses another currency than the Dots company; check the integration is for the right account.", "currency"),
            99 => T(PosPushOutcome.Permanent, FailureReason.PosRejected,
                "Poster reports a duplicate (error 99).", "duplicate",
                "Look for the order on the register before exporting again.", "duplicate"),
            700 => T(PosPushOutcome.Permanent, FailureReason.PosRejected,
                "Poster's pricing plan of this account does not allow this call (error 700).", "plan",
                "The restaurant must upgrade its Poster plan to accept online orders through the API.", "plan"),
            _ => T(PosPushOutcome.Permanent, FailureReason.PosRejected,
                $"Poster refused the order with error {codeText}.", "other",
                "Read Poster's message; fix the cause in Poster or in the pickup point's settings, then export again.", "other"),
        };
    }
}
