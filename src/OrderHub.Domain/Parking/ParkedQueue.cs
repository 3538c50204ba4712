namespace OrderHub.Domain.Parking;

/// <summary>
/// A named queue for orders waiting for a manual export, as POS terminals keep parked receipts. A row with no
/// pickup point is a company default; a point's row with the same key renames it there, a new key adds a queue.
/// </summary>
public sealed class ParkedQueue
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CompanyId { get; set; }

    /// <summary>Null for a company default.</summary>
    public Guid? PickupPointId { get; set; }

    /// <summary>The point id, or the company id for a default: one unique index (scope, key) on every database.</summary>
    public Guid ScopeId { get; set; }

    /// <summary>Stable key orders refer to, e.g. <c>bar</c>.</summary>
    public string Key { get; set; } = "";

    public string Name { get; set; } = "";

    public int Position { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Which parked orders a user sees.</summary>
public enum ParkedVisibility
{
    /// <summary>Every parked order of their pickup points.</summary>
    All,

    /// <summary>Only orders they parked themselves.</summary>
    Own,

    /// <summary>Orders parked by users with the same role as theirs.</summary>
    SameRole,
}
