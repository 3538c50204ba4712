using MediatR;
using OrderHub.Api.Features.Tenancy.Companies;
using OrderHub.Api.Features.Tenancy.PickupPoints;

namespace OrderHub.Api.ControlPanel;

/// <summary>A visible pickup point with its company's name, for filters and labels.</summary>
public sealed record PanelPoint(Guid Id, string Name, Guid CompanyId, string CompanyName);

/// <summary>The companies and pickup points the signed-in user may see, read through the API's own queries.</summary>
public static class PanelDirectory
{
    public static async Task<IReadOnlyList<PanelPoint>> PointsAsync(IMediator mediator, CancellationToken cancellationToken)
    {
        var points = new List<PanelPoint>();
        foreach (var company in await mediator.Send(new GetCompaniesQuery(null), cancellationToken))
        {
            points.AddRange((await mediator.Send(new GetPickupPointsQuery(company.Id), cancellationToken))
                .Select(p => new PanelPoint(p.Id, p.Name, company.Id, company.Name)));
        }

        return points.OrderBy(p => p.CompanyName, StringComparer.CurrentCulture).ThenBy(p => p.Name, StringComparer.CurrentCulture).ToList();
    }
}
