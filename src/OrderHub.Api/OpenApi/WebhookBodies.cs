using System.Text.Json.Serialization;

namespace OrderHub.Api.OpenApi;

// The request bodies of the webhooks as senders write them. The endpoints read raw bytes (signatures are computed
// over them), so these records only describe the wire format in the OpenAPI document; the parsers in
// OrderHub.Integrations are what enforce it.

/// <summary>An event of OrderHub's inbound contract v1 from Dots (<c>order.accepted</c>, <c>order.status_changed</c>,
/// <c>order.cancelled</c>). Unknown fields are accepted and kept.</summary>
/// <param name="Version">Contract version: <c>1</c>.</param>
/// <param name="EventId">The event's id; the <c>webhook-id</c> header carries the same value.</param>
/// <param name="Event">The event type: <c>order.accepted</c>, <c>order.status_changed</c> or <c>order.cancelled</c>; other types are kept and ignored.</param>
/// <param name="OccurredAt">When it happened in Dots, ISO 8601 with offset.</param>
/// <param name="Order">The order (whole for <c>order.accepted</c>; id, company, pickup point and status for the others).</param>
public sealed record DotsWebhookEvent(
    [property: JsonRequired] string Version,
    [property: JsonRequired] string EventId,
    [property: JsonRequired] string Event,
    DateTimeOffset? OccurredAt,
    [property: JsonRequired] DotsWebhookOrder Order);

/// <summary>An order as contract v1 carries it. Money in currency units with two decimals; a line costs
/// quantity × (price + Σ modifier quantity × modifier price); total = lines − promotions + delivery.</summary>
/// <param name="Id">The Dots order id.</param>
/// <param name="Number">The number people see, e.g. <c>DT-104233</c>.</param>
/// <param name="CityId">The Dots city.</param>
/// <param name="CompanyId">The Dots company; it must be the company of the webhook key.</param>
/// <param name="CompanyAddressId">The Dots company address = OrderHub's pickup point.</param>
/// <param name="Status">The order's status in Dots (<c>accepted</c>, <c>cooking</c>, <c>on_the_way</c>, <c>cancelled</c>, …).</param>
/// <param name="PreviousStatus"><c>order.status_changed</c>: the status before.</param>
/// <param name="AcceptedBy">Who accepted it, e.g. <c>manager:olena.k</c>.</param>
/// <param name="ChangedBy"><c>order.status_changed</c>, <c>order.cancelled</c>: who changed it.</param>
/// <param name="Reason"><c>order.cancelled</c>: why, in Dots' words.</param>
/// <param name="DeliveryType"><c>delivery</c> or <c>pickup</c>.</param>
/// <param name="PaymentType"><c>online</c>, <c>cash</c> or <c>card</c>.</param>
/// <param name="Paid">Whether the payment was collected.</param>
/// <param name="DeliveryTime">A scheduled order's time, or null for "as soon as possible".</param>
/// <param name="Customer">The customer.</param>
/// <param name="Address">The delivery address (delivery orders).</param>
/// <param name="Items">The lines (<c>order.accepted</c>): at least one, at most 200.</param>
/// <param name="Promotions">Discounts applied to the order.</param>
/// <param name="DeliveryPrice">The delivery fee.</param>
/// <param name="Total">What the customer pays.</param>
/// <param name="Currency">ISO 4217, <c>UAH</c>.</param>
/// <param name="Persons">Cutlery for how many people.</param>
/// <param name="Comment">The customer's comment to the order.</param>
public sealed record DotsWebhookOrder(
    [property: JsonRequired] string Id,
    string? Number,
    string? CityId,
    [property: JsonRequired] string CompanyId,
    [property: JsonRequired] string CompanyAddressId,
    string? Status,
    string? PreviousStatus,
    string? AcceptedBy,
    string? ChangedBy,
    string? Reason,
    string? DeliveryType,
    string? PaymentType,
    bool? Paid,
    DateTimeOffset? DeliveryTime,
    DotsWebhookCustomer? Customer,
    DotsWebhookAddress? Address,
    IReadOnlyList<DotsWebhookItem>? Items,
    IReadOnlyList<DotsWebhookPromotion>? Promotions,
    decimal? DeliveryPrice,
    decimal? Total,
    string? Currency,
    int? Persons,
    string? Comment);

/// <summary>The customer of an order.</summary>
/// <param name="Name">The customer's name.</param>
/// <param name="Phone">E.164, e.g. <c>+380671234567</c>.</param>
/// <param name="Email">For a copy of the fiscal receipt.</param>
public sealed record DotsWebhookCustomer(string? Name, string? Phone, string? Email);

/// <summary>A delivery address.</summary>
/// <param name="Street">Street.</param>
/// <param name="House">House number.</param>
/// <param name="Entrance">Entrance.</param>
/// <param name="Floor">Floor.</param>
/// <param name="Apartment">Apartment.</param>
/// <param name="Comment">A note for the courier (door codes, intercom).</param>
/// <param name="ReceiptContact">Where a fiscal receipt copy goes (e-mail or phone).</param>
/// <param name="Phones">Phones to call at the address.</param>
public sealed record DotsWebhookAddress(
    string? Street,
    string? House,
    string? Entrance,
    string? Floor,
    string? Apartment,
    string? Comment,
    string? ReceiptContact,
    IReadOnlyList<string>? Phones);

/// <summary>A line of an order.</summary>
/// <param name="ProductId">The Dots product id.</param>
/// <param name="VariantId">The Dots variant id (a size or volume), if any.</param>
/// <param name="Name">The product's name.</param>
/// <param name="Quantity">Greater than zero.</param>
/// <param name="Price">The unit price without modifiers.</param>
/// <param name="Modifiers">The line's modifiers, quantities per unit of the line.</param>
public sealed record DotsWebhookItem(
    [property: JsonRequired] string ProductId,
    string? VariantId,
    [property: JsonRequired] string Name,
    [property: JsonRequired] decimal Quantity,
    [property: JsonRequired] decimal Price,
    IReadOnlyList<DotsWebhookModifier>? Modifiers);

/// <summary>A modifier of a line.</summary>
/// <param name="Id">The Dots modifier id.</param>
/// <param name="GroupId">The Dots modifier group id.</param>
/// <param name="Name">The modifier's name.</param>
/// <param name="Quantity">Per unit of the line, greater than zero.</param>
/// <param name="Price">The unit price.</param>
public sealed record DotsWebhookModifier(
    [property: JsonRequired] string Id,
    string? GroupId,
    [property: JsonRequired] string Name,
    [property: JsonRequired] decimal Quantity,
    [property: JsonRequired] decimal Price);

/// <summary>A promotion applied to an order.</summary>
/// <param name="Id">The Dots promotion id.</param>
/// <param name="Name">The promotion's name.</param>
/// <param name="Discount">The amount taken off the total.</param>
public sealed record DotsWebhookPromotion([property: JsonRequired] string Id, string? Name, [property: JsonRequired] decimal Discount);

/// <summary>A webhook from Poster, authenticated by its <c>verify</c> field.</summary>
/// <param name="Account">The Poster account (subdomain).</param>
/// <param name="AccountNumber">The account's number.</param>
/// <param name="Object">What changed: <c>incoming_order</c>, <c>transaction</c>, …</param>
/// <param name="ObjectId">Its id.</param>
/// <param name="Action"><c>added</c>, <c>changed</c>, <c>removed</c> or <c>transformed</c>.</param>
/// <param name="Time">Unix seconds, as a string.</param>
/// <param name="Data">Extra data, a JSON string (register operations).</param>
/// <param name="Verify">md5 of <c>account;object;object_id;action;[data;]time;application_secret</c>.</param>
public sealed record PosterWebhookBody(
    [property: JsonRequired] string Account,
    [property: JsonPropertyName("account_number")] string? AccountNumber,
    [property: JsonRequired] string Object,
    [property: JsonRequired, JsonPropertyName("object_id")] string ObjectId,
    [property: JsonRequired] string Action,
    [property: JsonRequired] string Time,
    string? Data,
    [property: JsonRequired] string Verify);

/// <summary>A Telegram Bot API <c>Update</c> (only <c>message</c> and <c>callback_query</c> are used).</summary>
/// <param name="UpdateId">The update's id.</param>
/// <param name="Message">A message sent to the bot (commands such as <c>/start CODE</c>).</param>
/// <param name="CallbackQuery">A press of an alert's inline button.</param>
public sealed record TelegramUpdateBody(
    [property: JsonRequired, JsonPropertyName("update_id")] long UpdateId,
    object? Message,
    [property: JsonPropertyName("callback_query")] object? CallbackQuery);
