using OrderHub.Domain.History;
using OrderHub.Domain.Mappings;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Integrations.Pos;

/// <summary>
/// An order as a POS client needs it: every external id already resolved, money in currency units (clients
/// convert to minor units at their own edge). Built by the dispatcher from the stored order.
/// </summary>
public sealed record PosOrder
{
    public required Guid OrderId { get; init; }

    /// <summary>Stable for the life of this order at this POS: the webhook POS's idempotency key (<c>webhook-id</c>).</summary>
    public required string MessageId { get; init; }

    public required string DotsOrderId { get; init; }

    /// <summary>The Dots order number people see; the marker that finds the order again at Poster.</summary>
    public required string Number { get; init; }

    /// <summary><c>delivery</c> or <c>pickup</c>.</summary>
    public required string DeliveryType { get; init; }

    /// <summary>Dots payment type (<c>online</c>, <c>cash</c>, <c>card</c>).</summary>
    public required string PaymentType { get; init; }

    public required bool Paid { get; init; }

    public required string Currency { get; init; }

    public required decimal DeliveryPrice { get; init; }

    public required decimal Total { get; init; }

    public int? Persons { get; init; }

    public string? Comment { get; init; }

    public DateTimeOffset? DeliveryTime { get; init; }

    public required DateTimeOffset AcceptedAt { get; init; }

    /// <summary>IANA time zone of the pickup point, for POS fields that want local wall-clock time.</summary>
    public required string TimeZone { get; init; }

    public string? CustomerName { get; init; }

    public string? CustomerPhone { get; init; }

    public string? CustomerEmail { get; init; }

    public PosAddress? Address { get; init; }

    public required IReadOnlyList<PosLine> Lines { get; init; }

    public required IReadOnlyList<PosPromotion> Promotions { get; init; }
}

public sealed record PosAddress(
    string? Street, string? House, string? Entrance, string? Floor, string? Apartment, string? Comment, string? Phones);

public sealed record PosLine(
    string DotsProductId,
    string ExternalProductId,
    string? DotsVariantId,
    string? ExternalVariantId,
    string Name,
    decimal Quantity,
    decimal Price,
    decimal LineTotal,
    IReadOnlyList<PosModifier> Modifiers);

public sealed record PosModifier(string DotsModifierId, string ExternalId, string? DotsGroupId, string Name, decimal Quantity, decimal Price);

public sealed record PosPromotion(string DotsPromotionId, string ExternalId, string Name, decimal Discount);

/// <summary>Where and how to reach one pickup point's POS; the secret is decrypted only for the call.</summary>
public sealed record PosTarget
{
    public required Guid IntegrationId { get; init; }

    public required Guid PickupPointId { get; init; }

    public required PosKind Kind { get; init; }

    public string? PosterAccount { get; init; }

    public long? PosterSpotId { get; init; }

    public string? WebhookUrl { get; init; }

    /// <summary>The Poster token or the webhook <c>whsec_</c> secret. Never logged.</summary>
    public required string Secret { get; init; }
}

public enum PosPushOutcome
{
    /// <summary>The POS has the order (<see cref="PosPushResult.PosOrderId"/> when it said).</summary>
    Delivered,

    /// <summary>Not delivered and safe to send again later (5xx, 408, 429, connection refused, open circuit).</summary>
    Retryable,

    /// <summary>The request may have reached the POS (timeout or connection lost after sending): look it up before sending again.</summary>
    Ambiguous,

    /// <summary>The POS refused the order for a reason a retry will not fix; <see cref="PosPushResult.Reason"/> says which.</summary>
    Permanent,
}

/// <summary>What one attempt at the POS came to, with excerpts for the action history (secrets masked).</summary>
public sealed record PosPushResult
{
    public required PosPushOutcome Outcome { get; init; }

    public string? PosOrderId { get; init; }

    public string? PosStatus { get; init; }

    public FailureReason? Reason { get; init; }

    /// <summary>What happened, in words for support staff.</summary>
    public required string Message { get; init; }

    public string? FixHint { get; init; }

    /// <summary><see cref="Message"/> as a message key and arguments, rendered in the reader's language; null where only the English exists.</summary>
    public MessageRef? MessageRef { get; init; }

    /// <summary><see cref="FixHint"/> as a message key and arguments.</summary>
    public MessageRef? FixHintRef { get; init; }

    /// <summary>The POS asked to wait (Retry-After) or the client knows a minimum pause (429, timeout).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public int? HttpStatus { get; init; }

    /// <summary>The POS's own error code (Poster's numeric code), as text.</summary>
    public string? PosErrorCode { get; init; }

    /// <summary>The request body as sent, with tokens and personal data masked, at most a few kB.</summary>
    public string? RequestExcerpt { get; init; }

    /// <summary>
    /// The exact body sent, unmasked, where the caller keeps it (a webhook POS message, for the catch-up feed);
    /// never shown to support staff (they get <see cref="RequestExcerpt"/>).
    /// </summary>
    public string? SentBody { get; init; }

    /// <summary>The response body, at most a few kB.</summary>
    public string? ResponseExcerpt { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>For the lookup after an ambiguous attempt: true when the POS already has the order.</summary>
    public bool FoundExisting { get; init; }
}

/// <summary>
/// A sentence as data: a key of the host's message catalog and its named arguments (already text). The English
/// beside it (<see cref="PosPushResult.Message"/>) is the catalog's English for the same key and arguments.
/// </summary>
public sealed record MessageRef(string Key, IReadOnlyDictionary<string, string> Args)
{
    public static MessageRef Of(string key, params (string Name, object? Value)[] args) =>
        new(key, args.ToDictionary(a => a.Name, a => Convert.ToString(a.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal));

    /// <summary>This sentence with argument <paramref name="name"/> rendered from <paramref name="inner"/>, whose arguments join these.</summary>
    public MessageRef With(string name, MessageRef inner)
    {
        var args = new Dictionary<string, string>(Args, StringComparer.Ordinal);
        foreach (var (key, value) in inner.Args)
        {
            args.TryAdd(key, value);
        }

        args[name] = "@" + inner.Key;
        return new MessageRef(Key, args);
    }
}

/// <summary>The result of a "test connection" check.</summary>
/// <summary>A connection test's outcome; <see cref="MessageRef"/> and <see cref="FixHintRef"/> are its sentences as data, when known.</summary>
public sealed record PosConnectionCheck(bool Ok, string Message, FailureReason? Reason = null, string? FixHint = null)
{
    public MessageRef? MessageRef { get; init; }

    public MessageRef? FixHintRef { get; init; }
}

/// <summary>One kind of POS (Poster, webhook). Implementations never retry a create on their own.</summary>
public interface IPosClient
{
    PosKind Kind { get; }

    /// <summary>Sends the order once.</summary>
    Task<PosPushResult> CreateOrderAsync(PosTarget target, PosOrder order, CancellationToken cancellationToken);

    /// <summary>
    /// After an ambiguous attempt: asks the POS whether it already has this order. Returns a Delivered result
    /// with <see cref="PosPushResult.FoundExisting"/> when it does, null when it surely does not, and a
    /// Retryable result when the lookup itself failed (then nothing may be sent yet). <paramref name="attemptedSince"/>
    /// is when the first attempt that may have reached the POS started: the POS can hold the order only from then on.
    /// </summary>
    Task<PosPushResult?> FindExistingAsync(PosTarget target, PosOrder order, DateTimeOffset attemptedSince, CancellationToken cancellationToken);

    /// <summary>
    /// Tells the POS that an order it has was cancelled in Dots. A POS that cannot be told (Poster has no
    /// cancel call) answers Permanent with a message saying a person must act at the register.
    /// </summary>
    Task<PosPushResult> CancelOrderAsync(PosTarget target, PosOrder order, string? reason, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the order's status at the POS (Poster: <c>getIncomingOrder</c> after an <c>incoming_order</c>
    /// webhook). Delivered with <see cref="PosPushResult.PosStatus"/> set, or Retryable/Permanent when it could not.
    /// </summary>
    Task<PosPushResult> GetOrderStatusAsync(PosTarget target, string posOrderId, CancellationToken cancellationToken);

    Task<PosConnectionCheck> TestConnectionAsync(PosTarget target, CancellationToken cancellationToken);
}

/// <summary>One item of a POS catalog: a product, a variant, a dish modifier or a promotion, price in currency units.</summary>
public sealed record PosCatalogEntry(ExternalIdKind Kind, string ExternalId, string Name, decimal? Price, string? ParentExternalId = null);

/// <summary>A catalog read from a POS, or why it could not be read.</summary>
public sealed record PosCatalogRead(bool Ok, IReadOnlyList<PosCatalogEntry> Items, string Message, FailureReason? Reason = null, string? FixHint = null);
