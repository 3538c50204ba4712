namespace OrderHub.Domain.Fiscal;

public enum FiscalReceiptKind
{
    Sale,
    Return,
}

/// <summary>The receipt's state as operators know it.</summary>
public enum FiscalReceiptState
{
    /// <summary>Stored with its id; not yet taken by the provider (or waiting for a retry).</summary>
    Pending,

    /// <summary>The provider has it (Checkbox: created, not yet fiscalized; Cashalot: sent, answer unclear).</summary>
    SentToPrint,

    /// <summary>Fiscalized: it has a fiscal number.</summary>
    Successful,

    /// <summary>Refused or given up; <see cref="FiscalReceipt.Error"/> and <see cref="FiscalReceipt.FixHint"/> say why.</summary>
    Error,

    /// <summary>
    /// A sale was sent, its answer was lost, and no lookup could say whether the provider fiscalized it. It is never
    /// sent again by itself: the worker keeps looking it up, and an operator marks it found (with the fiscal number
    /// from the provider's cabinet) or sends it again.
    /// </summary>
    Unclear,
}

public enum ReceiptCopyState
{
    /// <summary>Not decided yet (the receipt is not fiscalized).</summary>
    Pending,
    Sent,
    NoContact,
    Failed,
}

/// <summary>
/// One fiscal receipt, persisted with its id before the provider is called, so every retry uses the same id.
/// Doubles as its own outbox row (lease, attempts, next attempt).
/// </summary>
public sealed class FiscalReceipt : ILeasedRow
{
    /// <summary>The id sent to the provider (Checkbox <c>id</c>, Cashalot <c>CHECKHEAD.UID</c>).</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CompanyId { get; set; }

    public Guid OrderId { get; set; }

    public Guid PickupPointId { get; set; }

    public Guid ConnectionId { get; set; }

    /// <summary><c>sale:{orderId}</c> for the one sale receipt of an order; <c>return:{id}</c> for a return.</summary>
    public string DedupKey { get; set; } = "";

    public FiscalReceiptKind Kind { get; set; }

    /// <summary>The sale a return refunds.</summary>
    public Guid? SaleReceiptId { get; set; }

    public FiscalProvider Provider { get; set; }

    public FiscalReceiptState State { get; set; } = FiscalReceiptState.Pending;

    public Guid? EmployeeId { get; set; }

    public string? CashierName { get; set; }

    /// <summary>The register's fiscal number (ФН ПРРО) the receipt is issued on.</summary>
    public string? RegisterFiscalNumber { get; set; }

    /// <summary>CASH or CASHLESS.</summary>
    public string PaymentType { get; set; } = "";

    /// <summary>The receipt's total in UAH.</summary>
    public decimal Total { get; set; }

    /// <summary>The goods, discount and delivery as JSON (<see cref="ReceiptContent"/>).</summary>
    public string Content { get; set; } = "";

    /// <summary>Where the copy goes (an e-mail or a phone); null when there is none.</summary>
    public string? Contact { get; set; }

    public string? ContactSource { get; set; }

    public ReceiptCopyState CopyState { get; set; } = ReceiptCopyState.Pending;

    public string? BuyerName { get; set; }

    public string? BuyerTaxId { get; set; }

    public string? FiscalCode { get; set; }

    public DateTimeOffset? FiscalDate { get; set; }

    /// <summary>The tax service's page of the receipt.</summary>
    public string? TaxUrl { get; set; }

    public string? Error { get; set; }

    public string? FixHint { get; set; }

    public string RequestedBy { get; set; } = "";

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public string? LeaseOwner { get; set; }

    /// <summary>
    /// Cashalot: the register's <c>NextLocalNum</c> read just before <c>RegisterCheck</c> was sent, saved before the
    /// send. Had the check been registered, it holds this local number; after an unclear answer the worker reads
    /// the register's state and <c>DocumentInfoByLocalNum</c> for it before anything is sent again.
    /// </summary>
    public long? LocalNumber { get; set; }

    /// <summary>Set once a request may have reached the provider: the next attempt reads the state back first.</summary>
    public DateTimeOffset? LastAttemptAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it was queued (created, or retried by an operator): the age that gives up counts from here.</summary>
    public DateTimeOffset QueuedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public bool IsOpen => State is FiscalReceiptState.Pending or FiscalReceiptState.SentToPrint or FiscalReceiptState.Unclear;
}

/// <summary>What a receipt holds, in UAH; the provider clients convert units.</summary>
public sealed record ReceiptContent(IReadOnlyList<ReceiptGood> Goods, decimal Discount, string? DiscountName)
{
    public decimal GoodsTotal => Goods.Sum(g => g.Sum);

    public decimal Total => GoodsTotal - Discount;
}

/// <summary>One good: <see cref="Index"/> is its position in the sale receipt (refunds name goods by it).</summary>
public sealed record ReceiptGood(int Index, string Code, string Name, decimal Quantity, decimal Price, string? TaxCode)
{
    public decimal Sum => Math.Round(Quantity * Price, 2, MidpointRounding.AwayFromZero);
}
