using OrderHub.Domain.Mappings;

namespace OrderHub.Domain.Orders;

/// <summary>An order accepted in Dots, as OrderHub keeps it: resolved against one pickup point's POS ids.</summary>
public sealed class Order
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CompanyId { get; set; }

    public Guid PickupPointId { get; set; }

    public string DotsOrderId { get; set; } = "";

    public string Number { get; set; } = "";

    /// <summary>The order's status in Dots (<c>accepted</c>, <c>cooking</c>, <c>on_the_way</c>, <c>cancelled</c>...).</summary>
    public string DotsStatus { get; set; } = "";

    /// <summary>Dots' own reason for a cancellation ("Клієнт відмовився"), carried to the POS, the history and alerts.</summary>
    public string? CancelReason { get; set; }

    public ExportState ExportState { get; private set; } = ExportState.Received;

    /// <summary>The reason of the last problem that still stands (missing ids, a failure, drift), for filtering.</summary>
    public History.FailureReason? Problem { get; set; }

    public string DeliveryType { get; set; } = "";

    public string PaymentType { get; set; } = "";

    public bool Paid { get; set; }

    public string Currency { get; set; } = "UAH";

    public decimal DeliveryPrice { get; set; }

    public decimal Total { get; set; }

    public int? Persons { get; set; }

    public string? Comment { get; set; }

    public DateTimeOffset? DeliveryTime { get; set; }

    public string? AcceptedBy { get; set; }

    /// <summary>The order's id at the POS once it has it (Poster's incoming order id, or what the webhook POS answered).</summary>
    public string? PosOrderId { get; set; }

    /// <summary>The order's last status reported by the POS (Poster: 0 new, 1 accepted, 7 rejected; webhook POS: its own word).</summary>
    public string? PosStatus { get; set; }

    public DateTimeOffset? ExportedAt { get; set; }

    /// <summary>The parked-orders queue (its key) an operator put this order in while it waits for export.</summary>
    public string? ParkedQueue { get; set; }

    /// <summary>Who parked it (<c>user:{name}</c>) and their role then, for "own" and "same role" visibility.</summary>
    public string? ParkedBy { get; set; }

    public string? ParkedByRole { get; set; }

    public DateTimeOffset? ParkedAt { get; set; }

    /// <summary>When Dots accepted the order (the event's <c>occurredAt</c>).</summary>
    public DateTimeOffset AcceptedAt { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? CustomerName { get; set; }

    public string? CustomerPhone { get; set; }

    public string? CustomerEmail { get; set; }

    public OrderAddress? Address { get; set; }

    /// <summary>The accepting event exactly as it arrived, so a real payload can be replayed.</summary>
    public string RawPayload { get; set; } = "";

    /// <summary>When retention emptied <see cref="RawPayload"/> (older than <c>Retention:RawPayloadAge</c>); null while it is kept.</summary>
    public DateTimeOffset? RawPayloadPrunedAt { get; set; }

    // ── Test orders (issue 18) ──

    /// <summary>
    /// A test order an operator sent from the panel or API (<c>[TEST]</c> in its number and comment): it goes
    /// through the real export path, and never counts in dashboards, reconciliation or reports.
    /// </summary>
    public bool IsTest { get; set; }

    public List<OrderLine> Lines { get; set; } = [];

    public List<OrderPromotion> Promotions { get; set; } = [];

    /// <summary>Σ line totals − Σ promotion discounts + delivery price.</summary>
    public decimal ComputedTotal =>
        Lines.Sum(l => l.LineTotal) - Promotions.Sum(p => p.Discount) + DeliveryPrice;

    /// <summary>Whether an export request may (re)resolve and queue the order.</summary>
    public bool CanBeExported =>
        ExportState is ExportState.Received or ExportState.NeedsMapping or ExportState.AwaitingExport or ExportState.Failed
            or ExportState.Shadowed;

    public bool IsWithPos => ExportState is ExportState.Queued or ExportState.Exported;

    /// <summary>
    /// Fills every external id from the resolver. Returns the items with none; when there are any, the order
    /// waits in <see cref="ExportState.NeedsMapping"/>.
    /// </summary>
    public IReadOnlyList<MissingExternalId> ResolveExternalIds(ExternalIdResolver resolver)
    {
        foreach (var line in Lines.OrderBy(l => l.Position))
        {
            line.ExternalProductId = resolver.Resolve(ExternalIdKind.Product, line.DotsProductId, line.Name);
            line.ExternalVariantId = line.DotsVariantId is null
                ? null
                : resolver.Resolve(ExternalIdKind.Variant, line.DotsVariantId, line.Name);
            foreach (var modifier in line.Modifiers.OrderBy(m => m.Position))
            {
                modifier.ExternalId = resolver.Resolve(ExternalIdKind.Modifier, modifier.DotsModifierId, modifier.Name);
            }
        }

        foreach (var promotion in Promotions.OrderBy(p => p.Position))
        {
            promotion.ExternalId = resolver.Resolve(ExternalIdKind.Promotion, promotion.DotsPromotionId, promotion.Name);
        }

        return resolver.Missing;
    }

    public void MarkNeedsMapping()
    {
        EnsureExportable();
        ExportState = ExportState.NeedsMapping;
        Problem = History.FailureReason.MissingExternalId;
    }

    public void MarkAwaitingExport()
    {
        EnsureExportable();
        ExportState = ExportState.AwaitingExport;
        Problem = null;
    }

    /// <summary>Shadow mode: the request was built and checked, and nothing was sent.</summary>
    public void MarkShadowed()
    {
        EnsureExportable();
        ExportState = ExportState.Shadowed;
        Problem = null;
    }

    public void MarkQueued()
    {
        EnsureExportable();
        ExportState = ExportState.Queued;
        Problem = null;
    }

    public void MarkExported()
    {
        if (ExportState != ExportState.Queued)
        {
            throw new InvalidOperationException($"Only a queued order can be exported, not one in {ExportState}.");
        }

        ExportState = ExportState.Exported;
        Problem = null;
    }

    /// <summary>An operator sends an exported order again on purpose (the POS lost it): back to Queued.</summary>
    public void RequeueForcedResend()
    {
        if (ExportState != ExportState.Exported)
        {
            throw new InvalidOperationException($"Only an exported order can be sent again by force, not one in {ExportState}.");
        }

        ExportState = ExportState.Queued;
        Problem = null;
    }

    public void MarkFailed(History.FailureReason reason)
    {
        if (ExportState != ExportState.Queued)
        {
            throw new InvalidOperationException($"Only a queued order can fail its export, not one in {ExportState}.");
        }

        ExportState = ExportState.Failed;
        Problem = reason;
    }

    /// <summary>Cancels an order that has not reached the POS. Returns false if it already has (or is cancelled).</summary>
    public bool TryCancelBeforeExport()
    {
        if (ExportState is ExportState.Exported or ExportState.Cancelled)
        {
            return false;
        }

        ExportState = ExportState.Cancelled;
        Problem = null;
        return true;
    }

    private void EnsureExportable()
    {
        if (!CanBeExported)
        {
            throw new InvalidOperationException($"An order in {ExportState} cannot be resolved for export again.");
        }
    }
}

/// <summary>The delivery address of an order, with the contacts Dots gives for it.</summary>
public sealed class OrderAddress
{
    public string? Street { get; set; }

    public string? House { get; set; }

    public string? Entrance { get; set; }

    public string? Floor { get; set; }

    public string? Apartment { get; set; }

    public string? Comment { get; set; }

    /// <summary>Where the fiscal receipt copy goes, if the customer gave one for this address.</summary>
    public string? ReceiptContact { get; set; }

    /// <summary>Phones of the address, in the order Dots gives them, joined by a comma.</summary>
    public string? Phones { get; set; }
}
