namespace OrderHub.Domain;

/// <summary>
/// A row of a leased queue (inbox events, export entries, fiscal receipts, alert messages): due at
/// <see cref="NextAttemptAt"/>, held by <see cref="LeaseOwner"/> until <see cref="LeaseUntil"/> while an attempt runs.
/// </summary>
public interface ILeasedRow
{
    Guid Id { get; }

    /// <summary>Attempts started so far: each claim adds one, and an outcome is written only for the attempt that holds the claim.</summary>
    int Attempts { get; }

    DateTimeOffset NextAttemptAt { get; }

    /// <summary>Until when the claim holds; after it any instance may claim the row again.</summary>
    DateTimeOffset? LeaseUntil { get; }

    /// <summary>The claim token (instance id, "/", 16 hex digits); null when nobody holds the row.</summary>
    string? LeaseOwner { get; }
}
