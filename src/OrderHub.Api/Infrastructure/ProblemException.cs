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

    public static ProblemException NotFound(string what, object id) =>
        new(StatusCodes.Status404NotFound, $"{what} not found", $"There is no {what.ToLowerInvariant()} with id '{id}'.");

    public static ProblemException Conflict(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        new(StatusCodes.Status409Conflict, title, detail, extensions);

    /// <summary>A 410: the raw payload was removed by retention (<c>Retention:RawPayloadAge</c>); the order and its history remain.</summary>
    public static ProblemException PayloadPruned(DateTimeOffset prunedAt) =>
        new(StatusCodes.Status410Gone, "Payload pruned",
            $"The raw payload was pruned by retention at {prunedAt:O}; the order, its lines and its history are kept.",
            new Dictionary<string, object?> { ["prunedAt"] = prunedAt });

    /// <summary>A 400 naming one field, shaped like the validation ProblemDetails.</summary>
    public static ProblemException Invalid(string field, string message) =>
        new(StatusCodes.Status400BadRequest, "One or more validation errors occurred.", message,
            new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });
}
