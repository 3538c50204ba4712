using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Features.Orders;
using OrderHub.Api.Features.Orders.GetUnrouted;
using OrderHub.Api.Features.Orders.ReplayUnrouted;
using OrderHub.Api.Security;

namespace OrderHub.Api.ControlPanel.Orders;

/// <summary>Events whose pickup point was not configured (GetUnroutedQuery), and their replay.</summary>
public sealed class UnroutedModel(IMediator mediator, IAuthorizationService authorization, PanelText text) : PanelPageModel(mediator, authorization)
{
    public IReadOnlyList<UnroutedEventDto> Events { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Events = await Mediator.Send(new GetUnroutedQuery(null), cancellationToken);

    public Task<IActionResult> OnPostReplayAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(null, async () =>
        {
            var outcome = await Mediator.Send(new ReplayUnroutedCommand(id, User.Actor()), cancellationToken);
            if (outcome.Kind == InboundOutcomeKind.Unrouted)
            {
                throw new Infrastructure.ProblemException(StatusCodes.Status422UnprocessableEntity, text["unrouted.stillUnknown"], text["unrouted.stillUnknownHelp"]);
            }

            return text["unrouted.replayed." + outcome.Kind];
        });
}
