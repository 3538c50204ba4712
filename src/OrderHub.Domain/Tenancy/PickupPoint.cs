namespace OrderHub.Domain.Tenancy;

/// <summary>A Dots company address: where orders are picked up or dispatched from. Has at most one POS.</summary>
public sealed class PickupPoint
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CompanyId { get; set; }

    /// <summary>The Dots <c>companyAddressId</c> that routes an order event to this point.</summary>
    public string DotsAddressId { get; set; } = "";

    public string Name { get; set; } = "";

    public string Address { get; set; } = "";

    /// <summary>IANA time zone id, e.g. "Europe/Kyiv"; used for local times in reports and delivery times.</summary>
    public string TimeZone { get; set; } = "Europe/Kyiv";

    /// <summary>
    /// When true the point takes every external ID from the company defaults and ignores its own overrides;
    /// when false its overrides win and the company defaults fill the gaps.
    /// </summary>
    public bool UseCompanyDefaults { get; set; } = true;

    // Held pre-orders (issue 18): an order with a delivery time is sent at once (default) or held until
    // delivery time minus the preparation minutes.

    /// <summary>Hold orders with a delivery time until <c>deliveryTime − PreparationMinutes</c> instead of sending them at once.</summary>
    public bool HoldScheduledOrders { get; set; }

    /// <summary>Minutes the kitchen needs before the delivery time: a held order reaches the POS this long before it.</summary>
    public int PreparationMinutes { get; set; } = 30;

    public DateTimeOffset CreatedAt { get; set; }
}
