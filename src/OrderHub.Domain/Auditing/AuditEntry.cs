namespace OrderHub.Domain.Auditing;

/// <summary>One settings or mapping change: who, when, what, and the values before and after (secrets masked).</summary>
public sealed class AuditEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public DateTimeOffset At { get; set; }

    /// <summary>How the history names the caller (<c>user:{name}</c>), or <c>system</c>.</summary>
    public string Actor { get; set; } = "";

    /// <summary>The database user behind the actor, when there is one.</summary>
    public Guid? ActorUserId { get; set; }

    /// <summary>E.g. <c>Company</c>, <c>PickupPoint</c>, <c>PosIntegration</c>, <c>ExternalIds</c>, <c>User</c>, <c>ApiKey</c>.</summary>
    public string EntityType { get; set; } = "";

    public string EntityId { get; set; } = "";

    /// <summary>The company the change belongs to, for scoping; null for users and other global settings.</summary>
    public Guid? CompanyId { get; set; }

    /// <summary>E.g. <c>created</c>, <c>updated</c>, <c>deleted</c>, <c>secret-rotated</c>, <c>locked-out</c>.</summary>
    public string Action { get; set; } = "";

    /// <summary>JSON of the values before the change (null when created); secrets never appear.</summary>
    public string? Before { get; set; }

    /// <summary>JSON of the values after the change (null when deleted); secrets never appear.</summary>
    public string? After { get; set; }
}
