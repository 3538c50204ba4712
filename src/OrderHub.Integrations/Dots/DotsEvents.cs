namespace OrderHub.Integrations.Dots;

/// <summary>The event types of OrderHub's inbound contract v1 for Dots.</summary>
public static class DotsEventTypes
{
    public const string OrderAccepted = "order.accepted";
    public const string OrderStatusChanged = "order.status_changed";
    public const string OrderCancelled = "order.cancelled";
}

/// <summary>The envelope every inbound event shares. <see cref="Order"/> or <see cref="StatusChange"/> is set by type.</summary>
public sealed record DotsEvent(
    string Version,
    string EventId,
    string EventType,
    DateTimeOffset? OccurredAt,
    DotsOrder? Order,
    DotsStatusChange? StatusChange)
{
    public bool IsKnownType => Order is not null || StatusChange is not null;

    /// <summary>The Dots order id, whichever the event type.</summary>
    public string? OrderId => Order?.Id ?? StatusChange?.OrderId;

    public string? CompanyAddressId => Order?.CompanyAddressId ?? StatusChange?.CompanyAddressId;

    public string? CompanyId => Order?.CompanyId ?? StatusChange?.CompanyId;
}

/// <summary>An accepted order, as <c>order.accepted</c> carries it. Money in currency units.</summary>
public sealed record DotsOrder(
    string Id,
    string Number,
    string? CityId,
    string CompanyId,
    string CompanyAddressId,
    string Status,
    string? AcceptedBy,
    string DeliveryType,
    string PaymentType,
    bool Paid,
    DateTimeOffset? DeliveryTime,
    DotsCustomer Customer,
    DotsAddress? Address,
    IReadOnlyList<DotsItem> Items,
    IReadOnlyList<DotsPromotion> Promotions,
    decimal DeliveryPrice,
    decimal Total,
    string Currency,
    int? Persons,
    string? Comment)
{
    /// <summary>Σ quantity × (price + Σ modifier quantity × price) − Σ discounts + delivery.</summary>
    public decimal ComputedTotal =>
        Items.Sum(i => i.Quantity * (i.Price + i.Modifiers.Sum(m => m.Quantity * m.Price)))
        - Promotions.Sum(p => p.Discount)
        + DeliveryPrice;
}

public sealed record DotsCustomer(string? Name, string? Phone, string? Email);

public sealed record DotsAddress(
    string? Street,
    string? House,
    string? Entrance,
    string? Floor,
    string? Apartment,
    string? Comment,
    string? ReceiptContact,
    IReadOnlyList<string> Phones);

public sealed record DotsItem(
    string ProductId,
    string? VariantId,
    string Name,
    decimal Quantity,
    decimal Price,
    IReadOnlyList<DotsModifier> Modifiers);

public sealed record DotsModifier(string Id, string? GroupId, string Name, decimal Quantity, decimal Price);

public sealed record DotsPromotion(string Id, string Name, decimal Discount);

/// <summary>What <c>order.status_changed</c> and <c>order.cancelled</c> carry.</summary>
public sealed record DotsStatusChange(
    string OrderId,
    string? Number,
    string? CompanyId,
    string? CompanyAddressId,
    string? PreviousStatus,
    string Status,
    string? Reason,
    string? ChangedBy)
{
    /// <summary>Optional: true when Dots reports the order paid (cash or card collected), which issues its fiscal receipt.</summary>
    public bool? Paid { get; init; }

    /// <summary>Optional: how it was paid (<c>cash</c>, <c>card</c>), when <see cref="Paid"/> is reported.</summary>
    public string? PaymentType { get; init; }
}
