using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Features.Tenancy.ExternalIds;
using OrderHub.Api.Features.Tenancy.PickupPoints;
using OrderHub.Api.Security;

namespace OrderHub.Api.ControlPanel.Hierarchy;

/// <summary>
/// What the point sends to its POS for each Dots item (the API's effective view: inherited, overridden or
/// missing), and a form to set one id — the place a failed order's "fix it here" link opens, prefilled.
/// </summary>
public sealed class MappingsModel(IMediator mediator, IAuthorizationService authorization, PanelText text) : PanelPageModel(mediator, authorization)
{
    public PickupPointDto Point { get; private set; } = null!;
    public IReadOnlyList<EffectiveExternalIdDto> Effective { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? DotsId { get; set; }

    public static readonly string[] Kinds = ["Product", "Variant", "Modifier", "Promotion"];

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => LoadAsync(async () =>
    {
        Point = await Mediator.Send(new GetPickupPointQuery(id), cancellationToken);
        Effective = await Mediator.Send(new GetEffectiveExternalIdsQuery(id, null), cancellationToken);
    });

    /// <summary>Sets one external id at the point (an override) or for the whole company (a default).</summary>
    public Task<IActionResult> OnPostSetAsync(Guid id, string? kind, string? dotsId, string? externalId, string? name, string? target, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.EditMappingsPolicy, async () =>
        {
            var company = target == "company";
            var scopeId = company ? (await Mediator.Send(new GetPickupPointQuery(id), cancellationToken)).CompanyId : id;
            await Mediator.Send(new UpsertExternalIdsCommand
            {
                Id = scopeId,
                IsPoint = !company,
                Items = [new ExternalIdInput { Kind = kind, DotsId = dotsId, ExternalId = externalId, Name = string.IsNullOrWhiteSpace(name) ? null : name }],
            }, cancellationToken);
            return text.Format(company ? "mapping.savedCompany" : "mapping.savedPoint", dotsId, externalId);
        }, () => Redirect($"/panel/points/{id}/mappings"));
}
