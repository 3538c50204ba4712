using OrderHub.Domain.Reconciliation;

namespace OrderHub.Api.Features.Reconciliation;

/// <summary>One reconciliation of a pickup point's day: counts, and with <see cref="Findings"/> when read alone.</summary>
public sealed record ReconciliationRunDto
{
    public Guid Id { get; init; }
    public Guid PickupPointId { get; init; }

    /// <summary>The day in the point's time zone.</summary>
    public DateOnly Day { get; init; }

    /// <summary>Running, Done or Failed.</summary>
    public string State { get; init; } = "";

    /// <summary>Automatic or Manual.</summary>
    public string Trigger { get; init; } = "";

    /// <summary>Poster or Webhook: the POS compared against.</summary>
    public string? PosKind { get; init; }

    /// <summary>Orders accepted that day and not cancelled: the ones the register should have.</summary>
    public int Expected { get; init; }

    /// <summary>Of those, found at the register.</summary>
    public int AtPos { get; init; }

    /// <summary>Orders cancelled in Dots (expected absent).</summary>
    public int Cancelled { get; init; }

    public int Missing { get; init; }
    public int Duplicates { get; init; }
    public int TotalMismatches { get; init; }

    /// <summary>Orders at the register with OrderHub's marker that the point does not know.</summary>
    public int Unknown { get; init; }

    /// <summary>True when every expected order is at the register once, with its total, and nothing is unknown.</summary>
    public bool Clean { get; init; }

    /// <summary>Why the register could not be read (state Failed).</summary>
    public string? Error { get; init; }

    public string? RequestedBy { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Only in <c>GET …/reconciliations/{runId}</c>.</summary>
    public IReadOnlyList<ReconciliationFindingDto>? Findings { get; init; }

    public static ReconciliationRunDto From(ReconciliationRun run, bool withFindings) => new()
    {
        Id = run.Id,
        PickupPointId = run.PickupPointId,
        Day = run.Day,
        State = run.State.ToString(),
        Trigger = run.Trigger.ToString(),
        PosKind = run.PosKind,
        Expected = run.Expected,
        AtPos = run.AtPos,
        Cancelled = run.Cancelled,
        Missing = run.Missing,
        Duplicates = run.Duplicates,
        TotalMismatches = run.TotalMismatches,
        Unknown = run.Unknown,
        Clean = run.Clean,
        Error = run.Error is null ? null : Messages.MessageCatalog.Render(run.ErrorKey, run.ErrorArgs, run.Error, Messages.MessageCatalog.CurrentLanguage),
        RequestedBy = run.RequestedBy,
        StartedAt = run.StartedAt,
        FinishedAt = run.FinishedAt,
        Findings = withFindings
            ? run.Findings.OrderBy(f => f.Kind).ThenBy(f => f.OrderNumber, StringComparer.Ordinal).Select(ReconciliationFindingDto.From).ToList()
            : null,
    };
}

/// <summary>One exception a reconciliation found.</summary>
public sealed record ReconciliationFindingDto
{
    public Guid Id { get; init; }

    /// <summary>Missing, Duplicate, TotalDiffers or UnknownAtPos.</summary>
    public string Kind { get; init; } = "";

    /// <summary>The order (its page: <c>/api/orders/{orderId}</c>); null for an order the point does not know.</summary>
    public Guid? OrderId { get; init; }

    public string OrderNumber { get; init; } = "";

    /// <summary>The order's export state when compared.</summary>
    public string? ExportState { get; init; }

    /// <summary>The register's ids of the order, comma-separated.</summary>
    public string? PosOrderIds { get; init; }

    /// <summary>How many times the register has it.</summary>
    public int Copies { get; init; }

    /// <summary>The total OrderHub sent, in kopecks.</summary>
    public long? ExpectedTotal { get; init; }

    /// <summary>The total at the register, in kopecks.</summary>
    public long? PosTotal { get; init; }

    public DateTimeOffset? RedrivenAt { get; init; }
    public string? RedrivenBy { get; init; }

    public static ReconciliationFindingDto From(ReconciliationFinding f) => new()
    {
        Id = f.Id,
        Kind = f.Kind.ToString(),
        OrderId = f.OrderId,
        OrderNumber = f.OrderNumber,
        ExportState = f.ExportState,
        PosOrderIds = f.PosOrderIds,
        Copies = f.Copies,
        ExpectedTotal = f.ExpectedTotal,
        PosTotal = f.PosTotal,
        RedrivenAt = f.RedrivenAt,
        RedrivenBy = f.RedrivenBy,
    };
}

/// <summary>The body of <c>POST /api/pickup-points/{id}/reconciliations</c>.</summary>
public sealed record RunReconciliationRequest
{
    /// <summary>The day in the point's time zone (<c>yyyy-MM-dd</c>); yesterday when left out.</summary>
    public DateOnly? Day { get; init; }
}
