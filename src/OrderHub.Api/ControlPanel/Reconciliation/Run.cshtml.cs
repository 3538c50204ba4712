using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Features.Reconciliation;
using OrderHub.Api.Features.Reconciliation.GetReconciliations;
using OrderHub.Api.Features.Reconciliation.RedriveMissingOrder;
using OrderHub.Api.Features.Tenancy.PickupPoints;
using OrderHub.Api.Security;

namespace OrderHub.Api.ControlPanel.Reconciliation;

/// <summary>One reconciliation: its figures and findings, each linked to its order; a missing order is sent again in one press.</summary>
public sealed class RunModel(IMediator mediator, IAuthorizationService authorization, PanelText text) : PanelPageModel(mediator, authorization)
{
    public PickupPointDto Point { get; private set; } = null!;
    public ReconciliationRunDto Run { get; private set; } = null!;

    public Task<IActionResult> OnGetAsync(Guid id, Guid runId, CancellationToken cancellationToken) => LoadAsync(async () =>
    {
        Point = await Mediator.Send(new GetPickupPointQuery(id), cancellationToken);
        Run = await Mediator.Send(new GetReconciliationQuery(id, runId), cancellationToken);
    });

    public Task<IActionResult> OnPostRedriveAsync(Guid id, Guid runId, Guid findingId, string? number, CancellationToken cancellationToken) =>
        ChangeAsync(null, async () =>
        {
            await Mediator.Send(new RedriveMissingOrderCommand(id, runId, findingId, User.Actor()), cancellationToken);
            return text.Format("recon.redriveDone", number);
        });

    /// <summary>A finding in the reader's language.</summary>
    public static string Describe(ReconciliationFindingDto finding) =>
        Features.Reconciliation.RunReconciliation.ReconciliationSummary.Describe(new Domain.Reconciliation.ReconciliationFinding
        {
            Kind = Enum.Parse<Domain.Reconciliation.ReconciliationFindingKind>(finding.Kind),
            Copies = finding.Copies,
            PosOrderIds = finding.PosOrderIds,
            ExpectedTotal = finding.ExpectedTotal,
            PosTotal = finding.PosTotal,
        }, PanelText.CurrentLanguage);
}
