using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Reconciliation;

namespace OrderHub.Api.Features.Reconciliation.RunReconciliation;

/// <summary>A reconciliation on demand (API, panel): the point's day compared now, replacing an earlier run of the day.</summary>
public sealed record RunReconciliationCommand(Guid PickupPointId, DateOnly? Day, string Actor) : IRequest<ReconciliationRunDto>;

public sealed class RunReconciliationValidator : AbstractValidator<RunReconciliationCommand>
{
    public RunReconciliationValidator() => RuleFor(c => c.PickupPointId).NotEmpty();
}

public sealed class RunReconciliationHandler(OrderHubDbContext db, Reconciler reconciler, AccessScope access, TimeProvider time)
    : IRequestHandler<RunReconciliationCommand, ReconciliationRunDto>
{
    public async Task<ReconciliationRunDto> Handle(RunReconciliationCommand request, CancellationToken cancellationToken)
    {
        var point = await db.PickupPoints.AsNoTracking().FirstOrDefaultAsync(p => p.Id == request.PickupPointId, cancellationToken)
                    ?? throw ProblemException.NotFound("Pickup point", request.PickupPointId);
        await access.EnsureCanSeeAsync(point.CompanyId, "Pickup point", point.Id, cancellationToken);
        var today = Reconciler.LocalDay(point, time.GetUtcNow());
        var day = request.Day ?? today.AddDays(-1);
        if (day > today)
        {
            throw ProblemException.Conflict(Msg.Of("problem.reconciliationFuture"), Msg.Of("problem.reconciliationFuture.detail", ("day", day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))));
        }

        var outcome = await reconciler.RunAsync(point, day, ReconciliationTrigger.Manual, request.Actor, cancellationToken);
        return outcome.Run is { } run
            ? ReconciliationRunDto.From(run, withFindings: true)
            : throw ProblemException.Conflict(Msg.Of("problem.reconciliationRunning"), Msg.Of("problem.reconciliationRunning.detail"));
    }
}
