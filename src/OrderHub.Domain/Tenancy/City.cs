namespace OrderHub.Domain.Tenancy;

/// <summary>A Dots city: the top of the hierarchy City → Company → PickupPoint → POS.</summary>
public sealed class City
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The Dots city id as it appears in order events (<c>cityId</c>, e.g. "kyiv").</summary>
    public string DotsCityId { get; set; } = "";

    public string Name { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
