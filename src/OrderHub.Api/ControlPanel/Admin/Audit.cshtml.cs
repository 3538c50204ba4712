using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Features.Audit;
using OrderHub.Api.Features.Orders;

namespace OrderHub.Api.ControlPanel.Admin;

/// <summary>The audit log (GetAuditEntriesQuery): who changed which setting or mapping, when, before and after (secrets masked).</summary>
public sealed class AuditModel(IMediator mediator, IAuthorizationService authorization) : PanelPageModel(mediator, authorization)
{
    [BindProperty(SupportsGet = true)]
    public string? EntityType { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public Page<AuditEntryDto> Entries { get; private set; } = new([], 1, 50, 0);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Entries = await Mediator.Send(new GetAuditEntriesQuery
        {
            EntityType = string.IsNullOrWhiteSpace(EntityType) ? null : EntityType,
            Actor = string.IsNullOrWhiteSpace(Actor) ? null : Actor,
            Page = Math.Max(1, PageNumber),
            PageSize = 50,
        }, cancellationToken);
}
