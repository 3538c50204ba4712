using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Fiscalization;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.History;

namespace OrderHub.Api.Features.Fiscal.Receipts;

/// <summary>
/// An operator found an <see cref="FiscalReceiptState.Unclear"/> receipt in the provider's cabinet: it becomes
/// Successful with the fiscal number they read there. Nothing is sent to the provider. Audited.
/// </summary>
public sealed record MarkReceiptFoundCommand : IRequest<ReceiptDto>
{
    public Guid ReceiptId { get; init; }

    /// <summary>The receipt's fiscal number as the provider's cabinet shows it.</summary>
    public string? FiscalCode { get; init; }

    /// <summary>The tax service's page of the receipt, if the cabinet shows it.</summary>
    public string? TaxUrl { get; init; }

    public string Actor { get; init; } = "";
}

public sealed class MarkReceiptFoundValidator : AbstractValidator<MarkReceiptFoundCommand>
{
    public MarkReceiptFoundValidator()
    {
        RuleFor(c => c.FiscalCode).NotEmpty().WithMessageKey("valid.fiscalCodeRequired");
        RuleFor(c => c.FiscalCode).Matches("^[0-9A-Za-z./-]{1,64}$").When(c => !string.IsNullOrEmpty(c.FiscalCode)).WithMessageKey("valid.fiscalCode");
        RuleFor(c => c.TaxUrl).Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
            .When(c => c.TaxUrl is not null).WithMessageKey("valid.taxUrl").MaximumLength(1000);
    }
}

public sealed class MarkReceiptFoundHandler(OrderHubDbContext db, AccessScope access, AuditTrail audit, TimeProvider time)
    : IRequestHandler<MarkReceiptFoundCommand, ReceiptDto>
{
    public async Task<ReceiptDto> Handle(MarkReceiptFoundCommand request, CancellationToken cancellationToken)
    {
        var receipt = await UnclearReceipts.LoadAsync(db, access, request.ReceiptId, cancellationToken);
        var order = await db.Orders.FirstAsync(o => o.Id == receipt.OrderId, cancellationToken);
        var now = time.GetUtcNow();
        var before = UnclearReceipts.AuditView(receipt);
        receipt.State = FiscalReceiptState.Successful;
        receipt.FiscalCode = request.FiscalCode!.Trim();
        receipt.FiscalDate ??= receipt.LastAttemptAt ?? now;
        receipt.TaxUrl = request.TaxUrl;
        receipt.Error = null;
        receipt.FixHint = null;
        receipt.LeaseOwner = null;
        receipt.LeaseUntil = null;
        receipt.UpdatedAt = now;
        var what = Msg.Term(receipt.Kind == FiscalReceiptKind.Sale ? "term.saleReceipt" : "term.returnReceipt");
        db.Record(order, now, receipt.Kind == FiscalReceiptKind.Return ? FiscalActions.RefundIssued : FiscalActions.Attempt, ActionOutcome.Success,
            Msg.Of("fiscal.markedFound", ("what", what), ("receipt", receipt.Id), ("provider", receipt.Provider), ("fiscalCode", receipt.FiscalCode)),
            request.Actor, details: new { receiptId = receipt.Id, fiscalCode = receipt.FiscalCode, localNumber = receipt.LocalNumber, resolvedBy = request.Actor });
        audit.Record(db, "FiscalReceipt", receipt.Id.ToString(), receipt.CompanyId, "marked-found", before, UnclearReceipts.AuditView(receipt));
        await db.SaveChangesAsync(cancellationToken);
        return ReceiptDto.From(receipt);
    }
}

/// <summary>
/// An operator checked the provider's cabinet and the <see cref="FiscalReceiptState.Unclear"/> receipt is not
/// there: it is sent again (Cashalot: as a new check under a fresh local number; Checkbox: with the same id).
/// Audited; only for operators who manage settings, since a wrong call here makes a second tax record.
/// </summary>
public sealed record SendReceiptAgainCommand(Guid ReceiptId, string Actor) : IRequest<ReceiptDto>;

public sealed class SendReceiptAgainHandler(OrderHubDbContext db, AccessScope access, AuditTrail audit, TimeProvider time)
    : IRequestHandler<SendReceiptAgainCommand, ReceiptDto>
{
    public async Task<ReceiptDto> Handle(SendReceiptAgainCommand request, CancellationToken cancellationToken)
    {
        var receipt = await UnclearReceipts.LoadAsync(db, access, request.ReceiptId, cancellationToken);
        var order = await db.Orders.FirstAsync(o => o.Id == receipt.OrderId, cancellationToken);
        var now = time.GetUtcNow();
        var before = UnclearReceipts.AuditView(receipt);
        receipt.State = FiscalReceiptState.Pending;
        receipt.LocalNumber = null;
        receipt.Error = null;
        receipt.FixHint = null;
        receipt.LeaseOwner = null;
        receipt.LeaseUntil = null;
        receipt.NextAttemptAt = now;
        receipt.QueuedAt = now;
        receipt.UpdatedAt = now;
        db.Record(order, now, FiscalActions.Retry, ActionOutcome.Info,
            Msg.Of("fiscal.sentAgainByOperator", ("receipt", receipt.Id), ("provider", receipt.Provider)), request.Actor,
            details: new { receiptId = receipt.Id, resolvedBy = request.Actor });
        audit.Record(db, "FiscalReceipt", receipt.Id.ToString(), receipt.CompanyId, "sent-again", before, UnclearReceipts.AuditView(receipt));
        await db.SaveChangesAsync(cancellationToken);
        return ReceiptDto.From(receipt);
    }
}

internal static class UnclearReceipts
{
    public static async Task<FiscalReceipt> LoadAsync(OrderHubDbContext db, AccessScope access, Guid id, CancellationToken cancellationToken)
    {
        var receipt = await db.FiscalReceipts.FirstOrDefaultAsync(r => r.Id == id, cancellationToken)
                      ?? throw ProblemException.NotFound("Receipt", id);
        await access.EnsureCanSeeAsync(receipt.CompanyId, "Receipt", id, cancellationToken);
        if (receipt.State != FiscalReceiptState.Unclear)
        {
            throw ProblemException.Conflict(Msg.Of("problem.receiptNotUnclear"), Msg.Of("problem.receiptNotUnclear.detail", ("state", receipt.State)));
        }

        return receipt;
    }

    public static object AuditView(FiscalReceipt r) => new
    {
        state = r.State.ToString(),
        r.FiscalCode,
        r.LocalNumber,
        r.RegisterFiscalNumber,
        r.Total,
    };
}
