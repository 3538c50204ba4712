using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Fiscalization;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Persistence.Configurations;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.History;

namespace OrderHub.Api.Features.Fiscal.Receipts;

/// <summary>An operator records that a cash or card order was paid; with the point's switch on, its sale receipt is queued.</summary>
public sealed record MarkOrderPaidCommand : IRequest<MarkOrderPaidResult>
{
    [JsonIgnore]
    public Guid OrderId { get; init; }

    [JsonIgnore]
    public string? UserName { get; init; }

    [JsonIgnore]
    public string Actor { get; init; } = "";

    /// <summary><c>cash</c> or <c>card</c>; default: the order's own payment type.</summary>
    public string? PaymentType { get; init; }

    /// <summary>Optional buyer name on the receipt.</summary>
    public string? BuyerName { get; init; }

    /// <summary>Optional buyer tax id (РНОКПП or ЄДРПОУ) on the receipt.</summary>
    public string? BuyerTaxId { get; init; }
}

/// <summary>The receipt queued (null when the point does not issue receipts) and what to know about it.</summary>
public sealed record MarkOrderPaidResult(Guid OrderId, bool Paid, ReceiptDto? Receipt, IReadOnlyList<string> Warnings);

public sealed class MarkOrderPaidValidator : AbstractValidator<MarkOrderPaidCommand>
{
    public MarkOrderPaidValidator()
    {
        RuleFor(c => c.PaymentType).Must(p => p is "cash" or "card").When(c => c.PaymentType is not null).WithMessageKey("valid.cashOrCard");
        RuleFor(c => c.BuyerName).MaximumLength(Limits.Name);
        RuleFor(c => c.BuyerTaxId).Matches("^[0-9]{8,10}$").When(c => c.BuyerTaxId is not null).WithMessageKey("valid.taxId");
    }
}

public sealed class MarkOrderPaidHandler(OrderHubDbContext db, AccessScope access, FiscalSetup setup, SaleReceipts receipts, TimeProvider time)
    : IRequestHandler<MarkOrderPaidCommand, MarkOrderPaidResult>
{
    public async Task<MarkOrderPaidResult> Handle(MarkOrderPaidCommand request, CancellationToken cancellationToken)
    {
        var order = await db.Orders.Include(o => o.Lines).ThenInclude(l => l.Modifiers).Include(o => o.Promotions).AsSplitQuery()
                        .FirstOrDefaultAsync(o => o.Id == request.OrderId, cancellationToken)
                    ?? throw ProblemException.NotFound("Order", request.OrderId);
        await access.EnsureCanSeeAsync(order.CompanyId, "Order", order.Id, cancellationToken);
        var saleKey = "sale:" + order.Id.ToString("N");
        if (await db.FiscalReceipts.AnyAsync(r => r.DedupKey == saleKey, cancellationToken))
        {
            throw ProblemException.Conflict(Msg.Of("problem.alreadyPaid"), Msg.Of("problem.alreadyPaid.receipt"));
        }

        var point = await db.PickupPoints.AsNoTracking().FirstAsync(p => p.Id == order.PickupPointId, cancellationToken);
        var connection = await setup.EffectiveConnectionAsync(order.CompanyId, point.Id, cancellationToken);
        var now = time.GetUtcNow();
        var warnings = new List<Msg>();
        FiscalEmployee? employee = null;
        if (connection is { ReceiptsEnabled: true })
        {
            employee = await ManualCashier.RequireAsync(setup, request.UserName, point, cancellationToken);
            if (FiscalNumberRule.LooksLikePersonalTaxNumber(employee.FiscalNumber))
            {
                warnings.Add(Msg.Of("fiscal.personalTaxNumber"));
            }
        }
        else if (order.Paid)
        {
            throw ProblemException.Conflict(Msg.Of("problem.alreadyPaid"), Msg.Of("problem.alreadyPaid.noReceipts"));
        }

        order.Paid = true;
        order.UpdatedAt = now;
        db.Record(order, now, FiscalActions.MarkedPaid, ActionOutcome.Info,
            Msg.Of("fiscal.markedPaid", ("payment", request.PaymentType ?? order.PaymentType),
                ("noReceipts", connection is { ReceiptsEnabled: true } ? "" : Msg.Term("fiscal.noReceiptsPart"))),
            request.Actor);
        foreach (var warning in warnings)
        {
            db.Record(order, now, FiscalActions.CashierWarning, ActionOutcome.Warning, warning, request.Actor, reason: FailureReason.FiscalMisconfigured,
                fixHint: FiscalMessages.EnterFiscalNumberHint(employee!.Name));
        }

        var receipt = employee is null
            ? null
            : await receipts.QueueSaleAsync(order, point, request.Actor, now, employee, request.PaymentType, request.BuyerName, request.BuyerTaxId, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw ProblemException.Conflict(Msg.Of("problem.alreadyPaid"), Msg.Of("problem.alreadyPaid.race"));
        }

        return new MarkOrderPaidResult(order.Id, true, receipt is null ? null : ReceiptDto.From(receipt), warnings.Select(w => MessageCatalog.Render(w, MessageCatalog.CurrentLanguage)).ToList());
    }
}
