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
}
