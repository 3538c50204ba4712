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

/// <summary>Sends a receipt in Error again, with the same id (so it cannot be fiscalized twice), in the acting user's name.</summary>
public sealed record RetryReceiptCommand(Guid ReceiptId, string? UserName, string Actor) : IRequest<ReceiptDto>;

public sealed class RetryReceiptHandler(OrderHubDbContext db, AccessScope access, FiscalSetup setup, TimeProvider time)
    : IRequestHandler<RetryReceiptCommand, ReceiptDto>
{
    public async Task<ReceiptDto> Handle(RetryReceiptCommand request, CancellationToken cancellationToken)
    {
        var receipt = await db.FiscalReceipts.FirstOrDefaultAsync(r => r.Id == request.ReceiptId, cancellationToken)
                      ?? throw ProblemException.NotFound("Receipt", request.ReceiptId);
        await access.EnsureCanSeeAsync(receipt.CompanyId, "Receipt", request.ReceiptId, cancellationToken);
        if (receipt.State != FiscalReceiptState.Error)
        {
            throw ProblemException.Conflict(Msg.Of("problem.receiptNotInError"), Msg.Of("problem.receiptNotInError.detail", ("state", receipt.State)));
        }

        var point = await db.PickupPoints.AsNoTracking().FirstAsync(p => p.Id == receipt.PickupPointId, cancellationToken);
        var employee = await ManualCashier.RequireAsync(setup, request.UserName, point, cancellationToken);
        var connection = await setup.EffectiveConnectionAsync(receipt.CompanyId, point.Id, cancellationToken)
                         ?? throw ProblemException.Conflict(Msg.Of("problem.noFiscalConnection"), Msg.Of("problem.noFiscalConnection.detail", ("point", point.Name)));
        var order = await db.Orders.FirstAsync(o => o.Id == receipt.OrderId, cancellationToken);
        var now = time.GetUtcNow();
        receipt.ConnectionId = connection.Id;
        receipt.Provider = connection.Provider;
        receipt.EmployeeId = employee.Id;
        receipt.CashierName = employee.Name;
        receipt.RegisterFiscalNumber = employee.FiscalNumber;
        receipt.State = FiscalReceiptState.Pending;
        receipt.Error = null;
        receipt.FixHint = null;
        receipt.NextAttemptAt = now;
        receipt.QueuedAt = now;
        receipt.UpdatedAt = now;
        db.Record(order, now, FiscalActions.Retry, ActionOutcome.Info, Msg.Of("fiscal.retried", ("receipt", receipt.Id), ("cashier", employee.Name)), request.Actor);
        await db.SaveChangesAsync(cancellationToken);
        return ReceiptDto.From(receipt);
    }
}
