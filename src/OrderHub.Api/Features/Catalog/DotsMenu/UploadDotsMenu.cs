using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
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

public sealed record GetDotsMenuQuery(Guid CompanyId) : IRequest<IReadOnlyList<DotsMenuItemDto>>;

public sealed class GetDotsMenuHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<GetDotsMenuQuery, IReadOnlyList<DotsMenuItemDto>>
{
    public async Task<IReadOnlyList<DotsMenuItemDto>> Handle(GetDotsMenuQuery request, CancellationToken cancellationToken)
    {
        var company = await CatalogAccess.CompanyAsync(db, access, request.CompanyId, cancellationToken);
        var rows = await db.DotsMenuItems.AsNoTracking().Where(i => i.CompanyId == company.Id).ToListAsync(cancellationToken);
        return rows.OrderBy(r => r.Kind).ThenBy(r => r.Name, StringComparer.CurrentCulture).Select(r => new DotsMenuItemDto
        {
            Kind = r.Kind.ToString(),
            DotsId = r.DotsId,
            Name = r.Name,
            Price = r.Price,
            Source = r.Source,
            FirstSeenAt = r.FirstSeenAt,
            UpdatedAt = r.UpdatedAt,
            ChangedAt = r.ChangedAt,
            PreviousName = r.PreviousName,
            PreviousPrice = r.PreviousPrice,
        }).ToList();
    }
}
