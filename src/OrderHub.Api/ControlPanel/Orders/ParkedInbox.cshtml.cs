using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Features.Inbox;

namespace OrderHub.Api.ControlPanel.Orders;

/// <summary>Dots events whose processing kept failing (GET /api/inbox/parked), and "process again" once the cause is fixed.</summary>
public sealed class ParkedInboxModel(IMediator mediator, IAuthorizationService authorization, PanelText text) : PanelPageModel(mediator, authorization)
{
    public IReadOnlyList<InboxEventDto> Events { get; private set; } = [];

    public IReadOnlyList<PanelPoint> Points { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Events = await Mediator.Send(new GetParkedInboxEventsQuery(null), cancellationToken);
        Points = await PanelDirectory.PointsAsync(Mediator, cancellationToken);
    }

    public string CompanyName(Guid companyId) => Points.FirstOrDefault(p => p.CompanyId == companyId)?.CompanyName ?? "";

    /// <summary>POST /api/inbox/{id}/retry: open to every role, like the API.</summary>
    public Task<IActionResult> OnPostRetryAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(null, async () =>
        {
            await Mediator.Send(new RetryInboxEventCommand(id), cancellationToken);
            return text["inbox.retried"];
        });
}
