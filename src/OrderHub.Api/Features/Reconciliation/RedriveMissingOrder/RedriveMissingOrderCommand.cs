using System.Globalization;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Orders.ExportOrder;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Reconciliation;

namespace OrderHub.Api.Features.Reconciliation.RedriveMissingOrder;

/// <summary>
/// Sends an order a reconciliation found missing at the register again, in one action, through the operator's
/// export (<see cref="ExportOrderCommand"/>): an exported order the register lost goes as a forced resend (a new
/// marker, with the reconciliation as its reason); a failed or waiting one is exported as usual. A second press
/// while it is queued is refused by the export, so it reaches the register once.
/// </summary>
public sealed record RedriveMissingOrderCommand(Guid PickupPointId, Guid RunId, Guid FindingId, string Actor) : IRequest<ExportOrderResult>;

public sealed class RedriveMissingOrderHandler(OrderHubDbContext db, IMediator mediator, AccessScope access, TimeProvider time)
    : IRequestHandler<RedriveMissingOrderCommand, ExportOrderResult>
{
    public async Task<ExportOrderResult> Handle(RedriveMissingOrderCommand request, CancellationToken cancellationToken)
    {
        var run = await db.ReconciliationRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == request.RunId && r.PickupPointId == request.PickupPointId, cancellationToken)
                  ?? throw ProblemException.NotFound("Reconciliation", request.RunId);
        await access.EnsureCanSeeAsync(run.CompanyId, "Reconciliation", run.Id, cancellationToken);
        var finding = await db.ReconciliationFindings.FirstOrDefaultAsync(f => f.Id == request.FindingId && f.RunId == run.Id, cancellationToken)
                      ?? throw ProblemException.NotFound("Finding", request.FindingId);
        if (finding.Kind != ReconciliationFindingKind.Missing || finding.OrderId is not { } orderId)
        {
            throw ProblemException.Conflict(Msg.Of("problem.notMissing"), Msg.Of("problem.notMissing.detail"));
        }

        if (finding.RedrivenAt is not null)
        {
            throw ProblemException.Conflict(Msg.Of("problem.alreadyRedriven"), Msg.Of("problem.alreadyRedriven.detail"));
        }

        // Marked before the export, on the same context: the export's save commits the mark with the queued order, or neither.
        finding.RedrivenAt = time.GetUtcNow();
        finding.RedrivenBy = request.Actor.Length > 128 ? request.Actor[..128] : request.Actor;
        var state = await db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => o.ExportState).FirstAsync(cancellationToken);
        var reason = string.Create(CultureInfo.InvariantCulture, $"Reconciliation of {run.Day:yyyy-MM-dd}: missing at the register.");
        try
        {
            return await mediator.Send(state == ExportState.Exported
                ? new ExportOrderCommand(orderId, request.Actor, Force: true, Reason: reason)
                : new ExportOrderCommand(orderId, request.Actor), cancellationToken);
        }
        catch (ProblemException)
        {
            // Refused (ids missing now, the POS switched off, being sent right now): not sent again, so not marked.
            // A refusal the export saved (its history row) saved the mark with it: take it back.
            db.ChangeTracker.Clear();
            await db.ReconciliationFindings.Where(f => f.Id == finding.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(f => f.RedrivenAt, (DateTimeOffset?)null).SetProperty(f => f.RedrivenBy, (string?)null), cancellationToken);
            throw;
        }
    }
}
