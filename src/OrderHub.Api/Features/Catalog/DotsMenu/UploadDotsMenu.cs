using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using OrderHub.Api.Features.Catalog.PosCatalog;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Catalog;

namespace OrderHub.Api.Features.Catalog.DotsMenu;

/// <summary>
/// Stores a Dots menu export for a company (<see cref="MenuDocument"/> with Dots ids). Merges: items already
/// known keep their history; items not in the upload stay (they may still be sold and seen in orders).
/// </summary>
public sealed record UploadDotsMenuCommand : MenuDocument, IRequest<DotsMenuResult>
{
    [JsonIgnore]
    public Guid CompanyId { get; init; }
}

public sealed class UploadDotsMenuValidator : AbstractValidator<UploadDotsMenuCommand>
{
    public UploadDotsMenuValidator() => Include(new MenuDocumentValidator());
}

public sealed class UploadDotsMenuHandler(OrderHubDbContext db, AccessScope access, DotsMenuStore store, TimeProvider time)
    : IRequestHandler<UploadDotsMenuCommand, DotsMenuResult>
{
    public async Task<DotsMenuResult> Handle(UploadDotsMenuCommand request, CancellationToken cancellationToken)
    {
        var company = await CatalogAccess.CompanyAsync(db, access, request.CompanyId, cancellationToken);
        var now = time.GetUtcNow();
        var sightings = MenuDocumentRules.Flatten(request)
            .Select(e => new DotsItemSighting(e.Kind, e.ExternalId, e.Name, e.Price, now)).ToList();
        return await store.ApplyAsync(company.Id, sightings, DotsMenuItem.SourceUpload, cancellationToken);
    }
}
