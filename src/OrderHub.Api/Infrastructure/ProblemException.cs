using OrderHub.Api.Messages;

namespace OrderHub.Api.Infrastructure;

/// <summary>
/// An expected refusal that ends the request with a ProblemDetails (404 not found, 409 conflict, 422 ...).
/// Thrown before anything is written, so nothing is stored half-done.
/// </summary>
public sealed class ProblemException(int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    : Exception(detail)
{
    /// <summary>A refusal people read: title and detail as data, rendered in the reader's language (<c>Message</c> keeps the English).</summary>
    public ProblemException(int status, Msg title, Msg detail, IDictionary<string, object?>? extensions = null)
        : this(status, MessageCatalog.Render(title, MessageCatalog.English), MessageCatalog.Render(detail, MessageCatalog.English), extensions)
    {
        TitleMessage = title;
        DetailMessage = detail;
    }

    public int Status { get; } = status;

    public string Title { get; } = title;

    /// <summary>Extension values that are a <see cref="Msg"/> (e.g. <c>fixHint</c>) are rendered like the title.</summary>
    public IDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();

    public Msg? TitleMessage { get; }

    public Msg? DetailMessage { get; }

    public string TitleIn(string language) => TitleMessage is null ? Title : MessageCatalog.Render(TitleMessage, language);

    public string DetailIn(string language) => DetailMessage is null ? Message : MessageCatalog.Render(DetailMessage, language);

    public static ProblemException Conflict(Msg title, Msg detail, IDictionary<string, object?>? extensions = null) =>
        new(StatusCodes.Status409Conflict, title, detail, extensions);

    /// <summary>The things a refusal names (<c>"Order"</c>) and their catalog terms (<c>entity.order</c>, with <c>.acc</c> and <c>.gen</c> forms).</summary>
    public static readonly IReadOnlyDictionary<string, string> Entities = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["API key"] = "apiKey",
        ["City"] = "city",
        ["Company"] = "company",
        ["Employee"] = "employee",
        ["Fiscal connection"] = "fiscalConnection",
        ["Fiscal employee"] = "fiscalEmployee",
        ["Inbox event"] = "inboxEvent",
        ["Order"] = "order",
        ["Pickup point"] = "pickupPoint",
        ["Receipt"] = "receipt",
        ["Telegram chat"] = "telegramChat",
        ["Unrouted event"] = "unroutedEvent",
        ["User"] = "user",
    };

    /// <summary>The catalog term of <paramref name="what"/> in <paramref name="form"/> ("", ".acc" or ".gen"), or null for a thing not in <see cref="Entities"/>.</summary>
    public static string? EntityTerm(string what, string form = "") => Entities.TryGetValue(what, out var key) ? Msg.Term("entity." + key + form) : null;

    public static ProblemException NotFound(string what, object id) =>
        EntityTerm(what, ".acc") is { } acc && EntityTerm(what, ".gen") is { } gen
            ? new(StatusCodes.Status404NotFound, Msg.Of("problem.notFound", ("what", acc)), Msg.Of("problem.notFound.detail", ("what", gen), ("id", id)))
            : new(StatusCodes.Status404NotFound, $"{what} not found", $"There is no {what.ToLowerInvariant()} with id '{id}'.");

    /// <summary>A 400 naming one field, its message as data (rendered in the reader's language, like the title).</summary>
    public static ProblemException Invalid(string field, Msg message) =>
        new(StatusCodes.Status400BadRequest, Msg.Of("problem.validation"), message,
            new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [MessageCatalog.Render(message, MessageCatalog.English)] } })
        {
            InvalidField = field,
        };

    /// <summary>The field a 400 of <see cref="Invalid(string, Msg)"/> names; its <c>errors</c> entry reads like the detail.</summary>
    public string? InvalidField { get; private init; }

    /// <summary>The <c>errors</c> of a 400 in <paramref name="language"/>, or null when this is not one.</summary>
    public IDictionary<string, string[]>? ErrorsIn(string language) =>
        InvalidField is { } field ? new Dictionary<string, string[]> { [field] = [DetailIn(language)] }
        : Extensions.TryGetValue("errors", out var errors) && errors is IDictionary<string, string[]> fields ? fields
        : null;

    public static ProblemException Conflict(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        new(StatusCodes.Status409Conflict, title, detail, extensions);

    /// <summary>A 410: the raw payload was removed by retention (<c>Retention:RawPayloadAge</c>); the order and its history remain.</summary>
    public static ProblemException PayloadPruned(DateTimeOffset prunedAt) =>
        new(StatusCodes.Status410Gone, Msg.Of("problem.payloadPruned"),
            Msg.Of("problem.payloadPruned.detail", ("at", prunedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture))),
            new Dictionary<string, object?> { ["prunedAt"] = prunedAt });

    /// <summary>A 400 naming one field, shaped like the validation ProblemDetails.</summary>
    public static ProblemException Invalid(string field, string message) =>
        new(StatusCodes.Status400BadRequest, "One or more validation errors occurred.", message,
            new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });
}
