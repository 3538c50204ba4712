using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.History;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Fiscalization;

/// <summary>Adds receipt rows (with their ids, before any provider call) to the caller's unit of work.</summary>
public sealed class SaleReceipts(OrderHubDbContext db, FiscalSetup setup)
{
    public static readonly JsonSerializerOptions ContentJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Queues the order's one sale receipt when its point's "fiscal receipt" switch is on. The order must be
    /// tracked with its lines and promotions. <paramref name="employee"/> is the acting user's employee for a
    /// manual action; null for automatic receipts (the point's cashier is taken at send time).
    /// Returns the receipt, or null when none is issued.
    /// </summary>
    public async Task<FiscalReceipt?> QueueSaleAsync(
        Order order, PickupPoint point, string actor, DateTimeOffset now, FiscalEmployee? employee, string? paymentType,
        string? buyerName, string? buyerTaxId, CancellationToken cancellationToken)
    {
        var connection = await setup.EffectiveConnectionAsync(order.CompanyId, point.Id, cancellationToken);
        if (connection is not { ReceiptsEnabled: true })
        {
            return null;
        }

        var dedupKey = "sale:" + order.Id.ToString("N");
        if (await db.FiscalReceipts.AnyAsync(r => r.DedupKey == dedupKey, cancellationToken)
            || db.FiscalReceipts.Local.Any(r => r.DedupKey == dedupKey))
        {
            return null;
        }

        employee ??= await setup.DefaultCashierAsync(point.Id, cancellationToken);
        var content = ReceiptBuilder.Sale(order, connection);
        var phones = (order.Address?.Phones ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var contact = connection.Provider == FiscalProvider.Cashalot
            ? ReceiptContactRule.ResolvePhone(order.Address?.ReceiptContact, order.CustomerEmail, phones)
            : ReceiptContactRule.Resolve(order.Address?.ReceiptContact, order.CustomerEmail, phones);
        var receipt = new FiscalReceipt
        {
            CompanyId = order.CompanyId,
            OrderId = order.Id,
            PickupPointId = point.Id,
            ConnectionId = connection.Id,
            DedupKey = dedupKey,
            Kind = FiscalReceiptKind.Sale,
            Provider = connection.Provider,
            EmployeeId = employee?.Id,
            CashierName = employee?.Name,
            RegisterFiscalNumber = employee?.FiscalNumber,
            PaymentType = PaymentTypeOf(paymentType ?? order.PaymentType),
            Total = content.Total,
            Content = JsonSerializer.Serialize(content, ContentJson),
            Contact = contact.Value,
            ContactSource = contact.Source,
            BuyerName = buyerName,
            BuyerTaxId = buyerTaxId,
            RequestedBy = actor,
            NextAttemptAt = now,
            QueuedAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.FiscalReceipts.Add(receipt);
        db.Record(order, now, FiscalActions.ReceiptQueued, ActionOutcome.Info,
            Msg.Of("fiscal.saleQueued", ("receipt", receipt.Id), ("provider", connection.Provider), ("connection", connection.Name), ("goods", content.Goods.Count),
                ("total", content.Total), ("payment", Msg.Term("term.payment." + receipt.PaymentType)),
                ("copy", contact.Note is null ? "" : Msg.Term("fiscal.copyNote")), ("note", contact.Note)),
            actor, details: new
            {
                receiptId = receipt.Id,
                provider = connection.Provider.ToString(),
                goods = content.Goods.Select(g => new { g.Code, g.Name, g.Quantity, g.Price, g.Sum, g.TaxCode }),
                discount = content.Discount,
                contact = ReceiptContactRule.Mask(contact.Value),
                contactSource = contact.Source,
                contactNote = contact.Note,
            });
        return receipt;
    }

    /// <summary>CASH for cash; CASHLESS for card and online payments.</summary>
    public static string PaymentTypeOf(string dotsPaymentType) =>
        string.Equals(dotsPaymentType, "cash", StringComparison.OrdinalIgnoreCase) ? "CASH" : "CASHLESS";
}

/// <summary>The history's fiscal action names.</summary>
public static class FiscalActions
{
    public const string ReceiptQueued = "fiscal.receipt_queued";
    public const string Attempt = "fiscal.attempt";

    /// <summary>A return receipt fiscalized: the money went back (an alert of its own for owners).</summary>
    public const string RefundIssued = "fiscal.refund_issued";
    public const string Copy = "fiscal.copy";
    public const string Shift = "fiscal.shift";
    public const string MarkedPaid = "order.marked_paid";
    public const string RefundQueued = "fiscal.refund_queued";
    public const string Retry = "fiscal.retry";
    public const string CashierWarning = "fiscal.cashier_warning";
}
