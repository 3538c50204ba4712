using System.Security.Claims;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Features.Orders.SendHeldOrder;
using OrderHub.Api.Security;

namespace OrderHub.Api.ControlPanel.PreOrders;

/// <summary>"Send now" on a held order's page: the order goes to the POS at once; back to the order's page.</summary>
public sealed class SendHeldOrderModel(IMediator mediator, IAuthorizationService authorization, PanelText text) : PanelPageModel(mediator, authorization)
{
    public IActionResult OnGet(Guid id) => Redirect($"/panel/orders/{id}");

    public Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(null, async () =>
        {
            await Mediator.Send(new SendHeldOrderCommand(id, User.Actor()), cancellationToken);
            return text["held.sent"];
        }, () => Redirect($"/panel/orders/{id}"));
}
