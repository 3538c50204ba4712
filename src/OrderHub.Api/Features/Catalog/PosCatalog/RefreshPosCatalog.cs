using MediatR;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Catalog.PosCatalog;

/// <summary>Reads the point's catalog from its POS again (Poster <c>menu.getProducts</c>) and stores it.</summary>
public sealed record RefreshPosCatalogCommand(Guid PickupPointId) : IRequest<CatalogImportResult>;

public sealed class RefreshPosCatalogHandler(OrderHubDbContext db, AccessScope access, PosCatalogStore store)
    : IRequestHandler<RefreshPosCatalogCommand, CatalogImportResult>
{
    public async Task<CatalogImportResult> Handle(RefreshPosCatalogCommand request, CancellationToken cancellationToken)
    {
        var point = await CatalogAccess.PointAsync(db, access, request.PickupPointId, cancellationToken);
        return await store.ImportFromPosterAsync(point, cancellationToken);
    }
}
