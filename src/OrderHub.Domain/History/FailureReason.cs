namespace OrderHub.Domain.History;

/// <summary>Why something did not go as it should: typed, so support can filter and the panel can link a fix.</summary>
public enum FailureReason
{
    MissingExternalId,
    TotalMismatch,
    StatusChangedAfterExport,
    CancelledAfterExport,
    UnknownPickupPoint,
    UnknownEventType,
    NoPosIntegration,
    PosIntegrationDisabled,
    OrderNotFound,

    /// <summary>Poster error 11 or 12, or a webhook POS 401/403: the token or secret is wrong or revoked.</summary>
    PosAuthRejected,

    /// <summary>Poster 20 or 34: the request was refused as invalid (a field or value Poster does not accept).</summary>
    PosRequestInvalid,

    /// <summary>Poster 37: the customer's phone is not in a format Poster accepts.</summary>
    PosPhoneInvalid,

    /// <summary>Poster 41: a product id is not on that Poster account.</summary>
    PosProductNotFound,

    /// <summary>Poster 42: a modification (variant or dish modifier) id is not on that Poster account.</summary>
    PosModificationNotFound,

    /// <summary>Poster 60: the spot id is not on that Poster account.</summary>
    PosSpotNotFound,

    /// <summary>Poster 88: the payment sum does not match the order's sum.</summary>
    PosPaymentSumMismatch,

    /// <summary>Poster 4001: the account's currency differs from the order's.</summary>
    PosCurrencyMismatch,

    /// <summary>A webhook POS refused the order with a 4xx (other than 408, 410, 429).</summary>
    PosRejected,

    /// <summary>A webhook POS answered 410 Gone: the integration was disabled.</summary>
    PosGone,

    /// <summary>The POS kept failing (5xx, timeouts, connection errors) until the order was too old to send.</summary>
    PosUnreachable,

    /// <summary>The POS answered something OrderHub cannot read.</summary>
    PosUnexpectedResponse,

    /// <summary>The fiscal receipt cannot be issued as configured (no cashier, no ФН ПРРО, wrong PIN, key or license).</summary>
    FiscalMisconfigured,

    /// <summary>The fiscal provider refused the receipt.</summary>
    FiscalRejected,

    /// <summary>The fiscal provider kept failing until the receipt was too old to retry on its own.</summary>
    FiscalUnreachable,

    /// <summary>A receipt was sent, its answer was lost, and no lookup can tell whether it was fiscalized: an operator decides.</summary>
    FiscalUnclear,

    /// <summary>An inbox event kept failing to process (a bug or a lasting database fault); retry it once fixed.</summary>
    EventProcessingFailed,

    /// <summary>A status event waited for its order's acceptance longer than the inbox waits.</summary>
    OrderNeverReceived,
}
