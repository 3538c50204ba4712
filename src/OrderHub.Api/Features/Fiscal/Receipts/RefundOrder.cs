using System.Text.Json;
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

/// <summary>A return receipt for the order's sale: everything not yet returned, or the chosen goods.</summary>
public sealed record RefundOrderCommand : IRequest<ReceiptDto>
{
    [JsonIgnore]
    public Guid OrderId { get; init; }

    [JsonIgnore]
    public string? UserName { get; init; }

    [JsonIgnore]
    public string Actor { get; init; } = "";

    /// <summary>The goods to return, by their index in the sale receipt; omit for a full refund of what is left.</summary>
    public List<RefundLine>? Lines { get; init; }

    /// <summary>Why; kept in the history.</summary>
    public string? Reason { get; init; }
}

/// <summary>A quantity of the sale receipt's good <see cref="Index"/>.</summary>
public sealed record RefundLine(int Index, decimal Quantity);

public sealed class RefundOrderValidator : AbstractValidator<RefundOrderCommand>
{
    public RefundOrderValidator()
    {
        RuleFor(c => c.Reason).MaximumLength(Limits.Text);
        RuleFor(c => c.Lines).Must(l => l!.Count is > 0 and <= 500).When(c => c.Lines is not null).WithMessageKey("valid.refundLines");
        RuleFor(c => c.Lines).Must(l => l!.Select(x => x.Index).Distinct().Count() == l!.Count).When(c => c.Lines is not null)
            .WithMessageKey("valid.eachGoodOnce");
        RuleForEach(c => c.Lines).ChildRules(line =>
        {
            line.RuleFor(l => l.Index).GreaterThanOrEqualTo(0);
            line.RuleFor(l => l.Quantity).GreaterThan(0).LessThanOrEqualTo(100_000);
        });
    }
}

public sealed class RefundOrderHandler(OrderHubDbContext db, AccessScope access, FiscalSetup setup, TimeProvider time)
    : IRequestHandler<RefundOrderCommand, ReceiptDto>
{
    public async Task<ReceiptDto> Handle(RefundOrderCommand request, CancellationToken cancellationToken)
    {
        var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == request.OrderId, cancellationToken) ?? throw ProblemException.NotFound("Order", request.OrderId);
        await access.EnsureCanSeeAsync(order.CompanyId, "Order", order.Id, cancellationToken);
        var saleKey = "sale:" + order.Id.ToString("N");
        var sale = await db.FiscalReceipts.AsNoTracking().FirstOrDefaultAsync(r => r.DedupKey == saleKey, cancellationToken)
                   ?? throw ProblemException.Conflict(Msg.Of("problem.noSale"), Msg.Of("problem.noSale.detail"));
        if (sale.State != FiscalReceiptState.Successful)
        {
            throw ProblemException.Conflict(Msg.Of("problem.saleNotFiscalized"), Msg.Of("problem.saleNotFiscalized.detail", ("state", sale.State)));
        }

        var point = await db.PickupPoints.AsNoTracking().FirstAsync(p => p.Id == order.PickupPointId, cancellationToken);
        var employee = await ManualCashier.RequireAsync(setup, request.UserName, point, cancellationToken);
        var connection = await setup.EffectiveConnectionAsync(order.CompanyId, point.Id, cancellationToken)
                         ?? throw ProblemException.Conflict(Msg.Of("problem.noFiscalConnection"), Msg.Of("fiscal.noConnection", ("point", point.Name)));

        // One read gives both what was returned and the next return's number, so they agree.
        var returns = await db.FiscalReceipts.AsNoTracking()
            .Where(r => r.SaleReceiptId == sale.Id).Select(r => new { r.State, r.Content }).ToListAsync(cancellationToken);
        var earlier = returns.Where(r => r.State != FiscalReceiptState.Error).Select(r => r.Content).ToList();
        var saleContent = JsonSerializer.Deserialize<ReceiptContent>(sale.Content, SaleReceipts.ContentJson)!;
        var wanted = request.Lines?.ToDictionary(l => l.Index, l => l.Quantity);
        var (content, excess) = ReceiptBuilder.Return(saleContent,
            earlier.Select(c => JsonSerializer.Deserialize<ReceiptContent>(c, SaleReceipts.ContentJson)!).ToList(), wanted);
        if (excess.Count > 0)
        {
            var errors = excess.ToDictionary(
                e => $"lines[{request.Lines!.FindIndex(l => l.Index == e.Index)}].quantity",
                e => new[] { saleContent.Goods.Any(g => g.Index == e.Index) ? $"Only {e.Left} of good #{e.Index} is left to refund." : $"The sale has no good #{e.Index}." });
            throw new ProblemException(StatusCodes.Status422UnprocessableEntity, Msg.Of("problem.refundTooMuch"), Msg.Of("problem.refundTooMuch.detail"),
                new Dictionary<string, object?> { ["errors"] = errors });
        }

        if (content is null)
        {
            throw ProblemException.Conflict(Msg.Of("problem.alreadyRefunded"), Msg.Of("problem.alreadyRefunded.detail"));
        }

        var now = time.GetUtcNow();
        var receipt = new FiscalReceipt
        {
            CompanyId = order.CompanyId,
            OrderId = order.Id,
            PickupPointId = point.Id,
            ConnectionId = connection.Id,
            Kind = FiscalReceiptKind.Return,
            SaleReceiptId = sale.Id,
            Provider = connection.Provider,
            EmployeeId = employee.Id,
            CashierName = employee.Name,
            RegisterFiscalNumber = employee.FiscalNumber,
            PaymentType = sale.PaymentType,
            Total = content.Total,
            Content = JsonSerializer.Serialize(content, SaleReceipts.ContentJson),
            Contact = sale.Contact,
            ContactSource = sale.ContactSource,
            RequestedBy = request.Actor,
            NextAttemptAt = now,
            QueuedAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        // The n-th return of this sale: two refunds computed from the same state collide on the unique key, so
        // a concurrent pair cannot together return more than was sold.
        var returnNumber = returns.Count + 1;
        receipt.DedupKey = $"return:{sale.Id:N}:{returnNumber}";
        db.FiscalReceipts.Add(receipt);
        db.Record(order, now, FiscalActions.RefundQueued, ActionOutcome.Info,
            Msg.Of("fiscal.refundQueued", ("receipt", receipt.Id), ("sale", sale.Id), ("fiscalCode", sale.FiscalCode), ("goods", content.Goods.Count), ("total", content.Total),
                ("reasonPart", request.Reason is null ? "" : Msg.Term("fiscal.refundReason")), ("reason", request.Reason)),
            request.Actor, details: new { receiptId = receipt.Id, saleReceiptId = sale.Id, goods = content.Goods.Select(g => new { g.Index, g.Name, g.Quantity, g.Sum }), discount = content.Discount });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw ProblemException.Conflict(Msg.Of("problem.refundedConcurrently"), Msg.Of("problem.refundedConcurrently.detail"));
        }

        return ReceiptDto.From(receipt);
    }
}
