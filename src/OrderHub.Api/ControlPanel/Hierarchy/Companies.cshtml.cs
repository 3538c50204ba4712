using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Features.Tenancy.Cities;
using OrderHub.Api.Features.Tenancy.Companies;
using OrderHub.Api.Features.Tenancy.PickupPoints;
using OrderHub.Api.Security;

namespace OrderHub.Api.ControlPanel.Hierarchy;

/// <summary>City → company → pickup points, as the Dots panel has it; admins add cities and companies.</summary>
public sealed class CompaniesModel(IMediator mediator, IAuthorizationService authorization, PanelText text) : PanelPageModel(mediator, authorization)
{
    public IReadOnlyList<CityDto> Cities { get; private set; } = [];
    public IReadOnlyList<(CompanyDto Company, IReadOnlyList<PickupPointDto> Points)> Companies { get; private set; } = [];
    public bool IsAdmin { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        IsAdmin = await AllowedAsync(AccessScope.AdminPolicy);
        Cities = await Mediator.Send(new GetCitiesQuery(), cancellationToken);
        var list = new List<(CompanyDto, IReadOnlyList<PickupPointDto>)>();
        foreach (var company in await Mediator.Send(new GetCompaniesQuery(null), cancellationToken))
        {
            list.Add((company, await Mediator.Send(new GetPickupPointsQuery(company.Id), cancellationToken)));
        }

        Companies = list;
    }

    public Task<IActionResult> OnPostCityAsync(string? dotsCityId, string? name, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.AdminPolicy, async () =>
        {
            var city = await Mediator.Send(new SaveCityCommand { DotsCityId = dotsCityId, Name = name }, cancellationToken);
            return text.Format("hierarchy.cityCreated", city.Name);
        });

    /// <summary>
    /// POST /api/companies, then the new company's page, with its signing secret shown once at the top (the answer
    /// to the create is the only time OrderHub has it in clear).
    /// </summary>
    public Task<IActionResult> OnPostCompanyAsync(Guid? cityId, string? name, string? key, string? dotsCompanyId, CancellationToken cancellationToken)
    {
        Guid? created = null;
        return ChangeAsync(AccessScope.AdminPolicy, async () =>
        {
            var company = await Mediator.Send(new CreateCompanyCommand { CityId = cityId, Name = name, Key = key, DotsCompanyId = dotsCompanyId }, cancellationToken);
            created = company.Id;
            if (company.SigningSecret is { } secret)
            {
                ShowSecretOnce(secret, "hierarchy.secretOnce");
            }

            return text.Format("hierarchy.companyCreated", company.Name);
        }, () => created is { } id ? Redirect($"/panel/companies/{id}") : Redirect("/panel/companies"));
    }
}
