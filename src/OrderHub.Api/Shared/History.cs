using System.Text.Json;
using OrderHub.Api.Persistence;
using OrderHub.Domain.History;
using OrderHub.Domain.Orders;

namespace OrderHub.Api.Shared;

/// <summary>Appends action history rows. Details are built by our code from ids and counts, never from payloads.</summary>
public static class HistoryExtensions
{
    // Relaxed escaping keeps Ukrainian names and quotes readable in the stored JSON; it is never embedded in HTML as is.
    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static OrderAction Record(
        this OrderHubDbContext db,
        Order order,
        DateTimeOffset at,
        string action,
        ActionOutcome outcome,
        string message,
        string actor = OrderAction.SystemActor,
        FailureReason? reason = null,
        string? fixHint = null,
        object? details = null)
    {
        var row = new OrderAction
        {
            CompanyId = order.CompanyId,
            OrderId = order.Id,
            At = at,
            Action = action,
            Outcome = outcome,
            Actor = Truncate(actor, 128),
            Reason = reason,
            FixHint = fixHint is null ? null : Truncate(fixHint, 1024),
            Message = Truncate(message, 1024),
            Details = details is null ? null : JsonSerializer.Serialize(details, DetailsJson),
        };
        db.OrderActions.Add(row);
        return row;
    }

    /// <summary>A row whose message and hint are data: rendered in the reader's language, stored with their English text.</summary>
    public static OrderAction Record(
        this OrderHubDbContext db,
        Order order,
        DateTimeOffset at,
        string action,
        ActionOutcome outcome,
        Messages.Msg message,
        string actor = OrderAction.SystemActor,
        FailureReason? reason = null,
        Messages.Msg? fixHint = null,
        object? details = null)
    {
        var row = db.Record(order, at, action, outcome, English(message), actor, reason, fixHint is null ? null : English(fixHint), details);
        return WithKeys(row, message, fixHint);
    }

    public static OrderAction RecordForEvent(
        this OrderHubDbContext db,
        Guid companyId,
        Guid inboundEventId,
        DateTimeOffset at,
        string action,
        ActionOutcome outcome,
        string message,
        FailureReason? reason = null,
        string? fixHint = null)
    {
        var row = new OrderAction
        {
            CompanyId = companyId,
            InboundEventId = inboundEventId,
            At = at,
            Action = action,
            Outcome = outcome,
            Reason = reason,
            FixHint = fixHint is null ? null : Truncate(fixHint, 1024),
            Message = Truncate(message, 1024),
        };
        db.OrderActions.Add(row);
        return row;
    }

    /// <summary>An event's row whose message and hint are data, like the order rows above.</summary>
    public static OrderAction RecordForEvent(
        this OrderHubDbContext db,
        Guid companyId,
        Guid inboundEventId,
        DateTimeOffset at,
        string action,
        ActionOutcome outcome,
        Messages.Msg message,
        FailureReason? reason = null,
        Messages.Msg? fixHint = null)
    {
        var row = db.RecordForEvent(companyId, inboundEventId, at, action, outcome, English(message), reason, fixHint is null ? null : English(fixHint));
        return WithKeys(row, message, fixHint);
    }

    private static string English(Messages.Msg message) => Messages.MessageCatalog.Render(message, Messages.MessageCatalog.English);

    /// <summary>The message and hint as data beside their English text, so a reader sees them in their own language.</summary>
    private static OrderAction WithKeys(OrderAction row, Messages.Msg message, Messages.Msg? fixHint)
    {
        row.MessageKey = message.Key;
        row.MessageArgs = Truncate(message.ArgsJson(), 1024);
        row.FixHintKey = fixHint?.Key;
        row.FixHintArgs = fixHint is null ? null : Truncate(fixHint.ArgsJson(), 1024);
        return row;
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";
}

/// <summary>The action names the history uses.</summary>
public static class Actions
{
    public const string OrderReceived = "order.received";
    public const string TotalMismatch = "order.total_mismatch";
    public const string OrderResolved = "order.resolved";
    public const string MappingMissing = "mapping.missing";
    public const string ExportQueued = "export.queued";
    public const string ExportAwaiting = "export.awaiting";
    public const string ExportRequested = "export.requested";
    public const string ExportRefused = "export.refused";
    public const string ExportAttempt = "export.attempt";
    public const string ExportForced = "export.forced";
    public const string CancelQueued = "pos.cancel_queued";
    public const string CancelAttempt = "pos.cancel_attempt";
    public const string RegisterActionNeeded = "pos.register_action_needed";
    public const string PosStatus = "pos.status";
    public const string StatusChanged = "dots.status_changed";
    public const string StatusDrift = "dots.status_after_export";
    public const string Cancelled = "dots.cancelled";
    public const string ExportCancelled = "export.cancelled";
    public const string EventUnrouted = "event.unrouted";
    public const string EventIgnored = "event.ignored";
    public const string EventReplayed = "event.replayed";

    // Held pre-orders (issue 18).
    public const string ExportHeld = "export.held";
    public const string ExportSentEarly = "export.sent_early";
}
