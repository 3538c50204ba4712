using MediatR;
using OrderHub.Api.Features.Catalog.PosCatalog;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Catalog;

namespace OrderHub.Api.Features.Catalog.DotsMenu;

/// <summary>Adds to the company's Dots menu every product, variant, modifier and promotion its orders carried (since <c>since</c>, default all).</summary>
public sealed record BuildDotsMenuFromOrdersCommand(Guid CompanyId, DateTimeOffset? Since) : IRequest<DotsMenuResult>;

public sealed class BuildDotsMenuFromOrdersHandler(OrderHubDbContext db, AccessScope access, DotsMenuStore store)
    : IRequestHandler<BuildDotsMenuFromOrdersCommand, DotsMenuResult>
{
    public async Task<DotsMenuResult> Handle(BuildDotsMenuFromOrdersCommand request, CancellationToken cancellationToken)
    {
        var company = await CatalogAccess.CompanyAsync(db, access, request.CompanyId, cancellationToken);
        var sightings = await store.SightingsInOrdersAsync(company.Id, request.Since, cancellationToken);
        return await store.ApplyAsync(company.Id, sightings, DotsMenuItem.SourceOrders, cancellationToken);
    }
}
