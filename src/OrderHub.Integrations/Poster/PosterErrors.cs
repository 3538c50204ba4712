using OrderHub.Domain.History;
using OrderHub.Integrations.Pos;

namespace OrderHub.Integrations.Poster;

/// <summary>Poster error codes in words for support staff, with the reason and what to fix.</summary>
internal static class PosterErrors
{
    public sealed record Translation(PosPushOutcome Outcome, FailureReason Reason, string Message, string FixHint);

    /// <summary>
    /// Known codes are permanent: Poster answered on purpose and the same request gets the same answer.
    /// Unknown codes are permanent too (<see cref="FailureReason.PosRejected"/>): Poster refused the order
    /// deliberately, and re-sending the same request blindly for hours helps no one; the message keeps
    /// Poster's own text and code so support can act, then export again.
    /// </summary>
    public static Translation Translate(int? code, string? posterMessage, string? productHint = null)
    {
        var said = string.IsNullOrWhiteSpace(posterMessage) ? "" : $" Poster said: \"{posterMessage}\".";
        return code switch
        {
            10 or 11 or 12 => new(PosPushOutcome.Permanent, FailureReason.PosAuthRejected,
                $"Poster refused the access token (error {code}: {(code == 12 ? "token expired" : code == 10 ? "no token" : "bad token")}).{said}",
                "Issue a new API token in Poster (Access → Integrations) and save it in the pickup point's POS integration."),
            20 => new(PosPushOutcome.Permanent, FailureReason.PosRequestInvalid,
                $"Poster refused the request: the application lacks rights (error 20).{said}",
                "Give the Poster integration access to online orders (incoming orders) in Poster, then export again."),
            34 => new(PosPushOutcome.Permanent, FailureReason.PosRequestInvalid,
                $"Poster refused the order: a required field is missing (error 34).{said}",
                "Check that the order has a customer phone and at least one mapped product; then export again."),
            32 => new(PosPushOutcome.Permanent, FailureReason.PosRequestInvalid,
                $"Poster says an id in the request does not exist (error 32).{said}",
                "Check the pickup point's Poster ids (spot, products, modifiers)."),
            37 => new(PosPushOutcome.Permanent, FailureReason.PosPhoneInvalid,
                $"Poster refused the customer's phone number (error 37).{said}",
                "Correct the customer's phone (international format, e.g. +380501234567) and export again."),
            41 => new(PosPushOutcome.Permanent, FailureReason.PosProductNotFound,
                $"Poster does not know a product in the order (error 41).{said}",
                productHint is null
                    ? "Check the Poster product ids in the pickup point's external IDs against Poster's menu."
                    : $"Check the Poster product id of {productHint} in the pickup point's external IDs."),
            42 => new(PosPushOutcome.Permanent, FailureReason.PosModificationNotFound,
                $"Poster does not know a variant or modifier in the order (error 42).{said}",
                "Check the Poster variant (modificator) and dish modifier ids in the pickup point's external IDs."),
            60 => new(PosPushOutcome.Permanent, FailureReason.PosSpotNotFound,
                $"Poster does not know the spot (location) of this pickup point (error 60).{said}",
                "Set the pickup point's Poster spot id to a location of this Poster account (Poster → Locations)."),
            88 => new(PosPushOutcome.Permanent, FailureReason.PosPaymentSumMismatch,
                $"Poster says the payment sum differs from the products' sum (error 88).{said}",
                "Compare the product and modifier prices in Poster with Dots; the order was paid online for its Dots total."),
            4001 => new(PosPushOutcome.Permanent, FailureReason.PosCurrencyMismatch,
                $"Poster refused the order's currency (error 4001).{said}",
                "The Poster account uses another currency than the Dots company; check the integration is for the right account."),
            99 => new(PosPushOutcome.Permanent, FailureReason.PosRejected,
                $"Poster reports a duplicate (error 99).{said}",
                "Look for the order on the register before exporting again."),
            700 => new(PosPushOutcome.Permanent, FailureReason.PosRejected,
                $"Poster's pricing plan of this account does not allow this call (error 700).{said}",
                "The restaurant must upgrade its Poster plan to accept online orders through the API."),
            _ => new(PosPushOutcome.Permanent, FailureReason.PosRejected,
                $"Poster refused the order with error {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(no code)"}.{said}",
                "Read Poster's message; fix the cause in Poster or in the pickup point's settings, then export again."),
        };
    }
}
