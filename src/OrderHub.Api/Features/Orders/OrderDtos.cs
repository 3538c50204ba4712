namespace OrderHub.Api.Features.Orders;

/// <summary>An order in lists.</summary>
public sealed record OrderSummaryDto
{
    public Guid Id { get; init; }
    public string DotsOrderId { get; init; } = "";
    public string Number { get; init; } = "";
    public Guid CompanyId { get; init; }
    public Guid PickupPointId { get; init; }
    public string DotsStatus { get; init; } = "";

    /// <summary>Received, NeedsMapping, AwaitingExport, Queued, Exported, Failed, Cancelled or Shadowed (shadow mode: built, checked, not sent).</summary>
    public string ExportState { get; init; } = "";

    /// <summary>A [TEST] order sent from the go-live page or API (issue 18); never counted in dashboards or reports.</summary>
    public bool IsTest { get; init; }

    /// <summary>The standing problem, if any (a typed reason such as MissingExternalId).</summary>
    public string? Problem { get; init; }
    public string DeliveryType { get; init; } = "";
    public string PaymentType { get; init; } = "";
    public bool Paid { get; init; }
    public decimal Total { get; init; }
    public string Currency { get; init; } = "";
    public DateTimeOffset AcceptedAt { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>A held pre-order: when it goes to the POS (delivery time minus the point's preparation minutes); null when not held.</summary>
    public DateTimeOffset? HeldUntil { get; init; }
}

/// <summary>An order with its lines, resolved external ids and full action history.</summary>
public sealed record OrderDetailsDto
{
    public Guid Id { get; init; }
    public string DotsOrderId { get; init; } = "";
    public string Number { get; init; } = "";
    public Guid CompanyId { get; init; }
    public Guid PickupPointId { get; init; }
    public string DotsStatus { get; init; } = "";
    public string ExportState { get; init; } = "";

    /// <summary>A [TEST] order sent from the go-live page or API (issue 18); never counted in dashboards or reports.</summary>
    public bool IsTest { get; init; }
    public string? Problem { get; init; }
    public string DeliveryType { get; init; } = "";
    public string PaymentType { get; init; } = "";
    public bool Paid { get; init; }
    public string Currency { get; init; } = "";
    public decimal DeliveryPrice { get; init; }
    public decimal Total { get; init; }
    public int? Persons { get; init; }
    public string? Comment { get; init; }
    public DateTimeOffset? DeliveryTime { get; init; }
    public string? AcceptedBy { get; init; }
    public DateTimeOffset AcceptedAt { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The order's id at the POS once it has it.</summary>
    public string? PosOrderId { get; init; }

    /// <summary>The order's last status at the POS: <c>new</c>, <c>accepted</c>, <c>rejected</c>, <c>closed</c>.</summary>
    public string? PosStatus { get; init; }
    public DateTimeOffset? ExportedAt { get; init; }

    /// <summary>A held pre-order: when it goes to the POS (delivery time minus the point's preparation minutes); null when not held.</summary>
    public DateTimeOffset? HeldUntil { get; init; }
    public string? CustomerName { get; init; }
    public string? CustomerPhone { get; init; }
    public string? CustomerEmail { get; init; }
    public OrderAddressDto? Address { get; init; }
    public IReadOnlyList<OrderLineDto> Lines { get; init; } = [];
    public IReadOnlyList<OrderPromotionDto> Promotions { get; init; } = [];
    public IReadOnlyList<OrderActionDto> History { get; init; } = [];
}

public sealed record OrderAddressDto
{
    public string? Street { get; init; }
    public string? House { get; init; }
    public string? Entrance { get; init; }
    public string? Floor { get; init; }
    public string? Apartment { get; init; }
    public string? Comment { get; init; }
    public string? ReceiptContact { get; init; }
    public string? Phones { get; init; }
}

public sealed record OrderLineDto
{
    public int Position { get; init; }
    public string DotsProductId { get; init; } = "";
    public string? DotsVariantId { get; init; }
    public string Name { get; init; } = "";
    public decimal Quantity { get; init; }
    public decimal Price { get; init; }
    public string? ExternalProductId { get; init; }
    public string? ExternalVariantId { get; init; }
    public IReadOnlyList<OrderLineModifierDto> Modifiers { get; init; } = [];
}

public sealed record OrderLineModifierDto
{
    public int Position { get; init; }
    public string DotsModifierId { get; init; } = "";
    public string? DotsGroupId { get; init; }
    public string Name { get; init; } = "";
    public decimal Quantity { get; init; }
    public decimal Price { get; init; }
    public string? ExternalId { get; init; }
}

public sealed record OrderPromotionDto
{
    public int Position { get; init; }
    public string DotsPromotionId { get; init; } = "";
    public string Name { get; init; } = "";
    public decimal Discount { get; init; }
    public string? ExternalId { get; init; }
}

/// <summary>One row of the action history.</summary>
public sealed record OrderActionDto
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public string Action { get; init; } = "";

    /// <summary>Info, Success, Warning or Failure.</summary>
    public string Outcome { get; init; } = "";

    /// <summary><c>system</c>, <c>user:{name}</c> or <c>dots:{who}</c>.</summary>
    public string Actor { get; init; } = "";
    public string? Reason { get; init; }
    public string? FixHint { get; init; }
    public string Message { get; init; } = "";

    /// <summary>The message as data (a catalog key and its arguments as JSON), when the row has one; <c>Message</c> is its English text.</summary>
    public string? MessageKey { get; init; }
    public string? MessageArgs { get; init; }

    /// <summary>The fix hint as data, like <c>MessageKey</c>; <c>FixHint</c> is its English text.</summary>
    public string? FixHintKey { get; init; }
    public string? FixHintArgs { get; init; }

    /// <summary>Structured details as a JSON string; never secrets or personal data.</summary>
    public string? Details { get; init; }
}

/// <summary>
/// A page of results. <c>TotalCount</c> is exact up to <see cref="PageLimits.MaxExactCount"/>; beyond it
/// counting stops, <c>TotalCount</c> is that limit and <c>TotalCountIsLowerBound</c> is true.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int TotalCount, bool TotalCountIsLowerBound = false);

public static class PageLimits
{
    /// <summary>Lists count at most this many rows (plus one to know there are more): an exact COUNT over a year of orders costs more than the page.</summary>
    public const int MaxExactCount = 10_000;
}
