using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Features.Tenancy.PickupPoints;
using OrderHub.Api.Security;

namespace OrderHub.Api.ControlPanel.PreOrders;

/// <summary>Saves a point's held pre-order setting (the form on its details sub-page) and returns there.</summary>
public sealed class PointPreOrdersModel(IMediator mediator, IAuthorizationService authorization, PanelText text) : PanelPageModel(mediator, authorization)
{
    public IActionResult OnGet(Guid id) => Redirect($"/panel/points/{id}?tab=details");

    public Task<IActionResult> OnPostAsync(Guid id, bool hold, int? preparationMinutes, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            await Mediator.Send(new SavePickupPointCommand { Id = id, HoldScheduledOrders = hold, PreparationMinutes = preparationMinutes }, cancellationToken);
            return text["held.saved"];
        }, () => Redirect($"/panel/points/{id}?tab=details"));
}
