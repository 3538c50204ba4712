using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Features.Reconciliation;
using OrderHub.Api.Features.Reconciliation.GetReconciliations;
using OrderHub.Api.Features.Reconciliation.RunReconciliation;
using OrderHub.Api.Features.Tenancy.PickupPoints;
using OrderHub.Api.Security;

namespace OrderHub.Api.ControlPanel.Reconciliation;

/// <summary>A point's reconciliations with its register, newest day first, and a form to reconcile a day now.</summary>
public sealed class IndexModel(IMediator mediator, IAuthorizationService authorization, PanelText text, TimeProvider time) : PanelPageModel(mediator, authorization)
{
    public PickupPointDto Point { get; private set; } = null!;
    public IReadOnlyList<ReconciliationRunDto> Runs { get; private set; } = [];

    /// <summary>Yesterday in the point's time zone: the day the form offers.</summary>
    public DateOnly Yesterday { get; private set; }

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => LoadAsync(async () =>
    {
        Point = await Mediator.Send(new GetPickupPointQuery(id), cancellationToken);
        Runs = await Mediator.Send(new GetReconciliationsQuery(id), cancellationToken);
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(Point.TimeZone, out var z) ? z : TimeZoneInfo.Utc;
        Yesterday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime).AddDays(-1);
    });

    public async Task<IActionResult> OnPostRunAsync(Guid id, DateOnly? day, CancellationToken cancellationToken)
    {
        ReconciliationRunDto? run = null;
        var result = await ChangeAsync(null, async () =>
        {
            run = await Mediator.Send(new RunReconciliationCommand(id, day, User.Actor()), cancellationToken);
            return text.Format("recon.ran", run.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        });
        return run is null ? result : Redirect($"/panel/points/{id}/reconciliations/{run.Id}");
    }
}
