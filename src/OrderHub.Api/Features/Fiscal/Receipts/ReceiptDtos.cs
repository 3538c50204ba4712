using System.Text.Json;
using OrderHub.Api.Fiscalization;
using OrderHub.Domain.Fiscal;

namespace OrderHub.Api.Features.Fiscal.Receipts;

/// <summary>A fiscal receipt as operators see it: state, fiscal number and date, the tax service's link, content.</summary>
public sealed record ReceiptDto
{
    public Guid Id { get; init; }
    public Guid OrderId { get; init; }

    /// <summary>Sale or Return.</summary>
    public string Kind { get; init; } = "";

    /// <summary>The sale a return refunds.</summary>
    public Guid? SaleReceiptId { get; init; }
    public string Provider { get; init; } = "";

    /// <summary>Pending, SentToPrint, Successful, Error or Unclear (sent, answer lost, not found yet: an operator marks it found or sends it again).</summary>
    public string State { get; init; } = "";
    public string? FiscalCode { get; init; }
    public DateTimeOffset? FiscalDate { get; init; }

    /// <summary>The tax service's page of this receipt.</summary>
    public string? TaxUrl { get; init; }
    public decimal Total { get; init; }

    /// <summary>CASH or CASHLESS.</summary>
    public string PaymentType { get; init; } = "";
    public string? CashierName { get; init; }
    public string? RegisterFiscalNumber { get; init; }

    /// <summary>Cashalot: the register's local number the check was sent under (what to look for in the cabinet).</summary>
    public long? LocalNumber { get; init; }
    public IReadOnlyList<ReceiptGoodDto> Goods { get; init; } = [];
    public decimal Discount { get; init; }
    public string? DiscountName { get; init; }

    /// <summary>Where the copy went, masked.</summary>
    public string? Contact { get; init; }

    /// <summary>Which rule picked the contact: address receipt contact, customer e-mail, address mobile phone, none.</summary>
    public string? ContactSource { get; init; }

    /// <summary>Pending, Sent, NoContact or Failed.</summary>
    public string CopyState { get; init; } = "";
    public string? BuyerName { get; init; }
    public string? BuyerTaxId { get; init; }
    public string? Error { get; init; }
    public string? FixHint { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public string RequestedBy { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public static ReceiptDto From(FiscalReceipt r)
    {
        var content = JsonSerializer.Deserialize<ReceiptContent>(r.Content, SaleReceipts.ContentJson)!;
        return new ReceiptDto
        {
            Id = r.Id,
            OrderId = r.OrderId,
            Kind = r.Kind.ToString(),
            SaleReceiptId = r.SaleReceiptId,
            Provider = r.Provider.ToString(),
            State = r.State.ToString(),
            FiscalCode = r.FiscalCode,
            FiscalDate = r.FiscalDate,
            TaxUrl = r.TaxUrl,
            Total = r.Total,
            PaymentType = r.PaymentType,
            CashierName = r.CashierName,
            RegisterFiscalNumber = r.RegisterFiscalNumber,
            LocalNumber = r.LocalNumber,
            Goods = content.Goods.Select(g => new ReceiptGoodDto(g.Index, g.Code, g.Name, g.Quantity, g.Price, g.Sum, g.TaxCode)).ToList(),
            Discount = content.Discount,
            DiscountName = content.DiscountName,
            Contact = r.Contact is null ? null : ReceiptContactRule.Mask(r.Contact),
            ContactSource = r.ContactSource,
            CopyState = r.CopyState.ToString(),
            BuyerName = r.BuyerName,
            BuyerTaxId = r.BuyerTaxId,
            Error = r.Error,
            FixHint = r.FixHint,
            Attempts = r.Attempts,
            NextAttemptAt = r.IsOpen ? r.NextAttemptAt : null,
            RequestedBy = r.RequestedBy,
            CreatedAt = r.CreatedAt,
            UpdatedAt = r.UpdatedAt,
        };
    }
}

/// <summary>One good; a refund names goods by <see cref="Index"/>.</summary>
public sealed record ReceiptGoodDto(int Index, string Code, string Name, decimal Quantity, decimal Price, decimal Sum, string? TaxCode);
