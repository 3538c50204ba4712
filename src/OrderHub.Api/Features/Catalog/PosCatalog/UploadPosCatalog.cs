using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Catalog.PosCatalog;

/// <summary>
/// Replaces the point's POS catalog with an uploaded one (a webhook POS's menu, or any POS whose menu cannot be
/// read): <see cref="MenuDocument"/> with the POS's own ids. Items missing from the upload are marked removed.
/// </summary>
public sealed record UploadPosCatalogCommand : MenuDocument, IRequest<CatalogImportResult>
{
    [JsonIgnore]
    public Guid PickupPointId { get; init; }
}

public sealed class UploadPosCatalogValidator : AbstractValidator<UploadPosCatalogCommand>
{
    public UploadPosCatalogValidator() => Include(new MenuDocumentValidator());
}

public sealed class UploadPosCatalogHandler(OrderHubDbContext db, AccessScope access, PosCatalogStore store)
    : IRequestHandler<UploadPosCatalogCommand, CatalogImportResult>
{
    public async Task<CatalogImportResult> Handle(UploadPosCatalogCommand request, CancellationToken cancellationToken)
    {
        var point = await CatalogAccess.PointAsync(db, access, request.PickupPointId, cancellationToken);
        return await store.ApplyAsync(point, MenuDocumentRules.Flatten(request), PosCatalogStore.SourceUpload, cancellationToken);
    }
}
