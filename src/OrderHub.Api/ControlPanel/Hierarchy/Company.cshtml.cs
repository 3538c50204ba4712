using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Features.Tenancy.Companies;
using OrderHub.Api.Features.Tenancy.ExternalIds;
using OrderHub.Api.Features.Tenancy.PickupPoints;
using OrderHub.Api.Security;

namespace OrderHub.Api.ControlPanel.Hierarchy;

/// <summary>A company: its pickup points (and a new one), and its default external ids.</summary>
public sealed class CompanyModel(IMediator mediator, IAuthorizationService authorization, PanelText text) : PanelPageModel(mediator, authorization)
{
    public CompanyDto Company { get; private set; } = null!;
    public IReadOnlyList<PickupPointDto> Points { get; private set; } = [];
    public IReadOnlyList<ExternalIdDto> Defaults { get; private set; } = [];
    public bool CanManage { get; private set; }

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => LoadAsync(async () =>
    {
        Company = await Mediator.Send(new GetCompanyQuery(id), cancellationToken);
        Points = await Mediator.Send(new GetPickupPointsQuery(id), cancellationToken);
        Defaults = await Mediator.Send(new GetExternalIdsQuery(id, false, null), cancellationToken);
        CanManage = await AllowedAsync(AccessScope.ManageSettingsPolicy);
    });

    public Task<IActionResult> OnPostPointAsync(Guid id, string? name, string? dotsAddressId, string? address, string? timeZone, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            var point = await Mediator.Send(new SavePickupPointCommand
            {
                CompanyId = id, Name = name, DotsAddressId = dotsAddressId, Address = address,
                TimeZone = string.IsNullOrWhiteSpace(timeZone) ? null : timeZone,
            }, cancellationToken);
            return text.Format("hierarchy.pointCreated", point.Name);
        });
}
