using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Catalog.PosCatalog;

/// <summary>The point's POS catalog snapshot, optionally of one kind; removed items only with <c>includeRemoved</c>.</summary>
public sealed record GetPosCatalogQuery(Guid PickupPointId, string? Kind, bool IncludeRemoved) : IRequest<PosCatalogDto>;

public sealed class GetPosCatalogValidator : AbstractValidator<GetPosCatalogQuery>
{
    public GetPosCatalogValidator() =>
        RuleFor(q => q.Kind).Must(k => MenuDocumentRules.Kind(k) is not null).When(q => q.Kind is not null)
            .WithMessageKey("valid.oneOf", ("values", Shared.TenancyRules.Names<Domain.Mappings.ExternalIdKind>()));
}

public sealed class GetPosCatalogHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<GetPosCatalogQuery, PosCatalogDto>
{
    public async Task<PosCatalogDto> Handle(GetPosCatalogQuery request, CancellationToken cancellationToken)
    {
        var point = await CatalogAccess.PointAsync(db, access, request.PickupPointId, cancellationToken);
        var items = db.PosCatalogItems.AsNoTracking().Where(i => i.PickupPointId == point.Id);
        if (MenuDocumentRules.Kind(request.Kind) is { } kind)
        {
            items = items.Where(i => i.Kind == kind);
        }

        var rows = await items.ToListAsync(cancellationToken);
        return new PosCatalogDto
        {
            PickupPointId = point.Id,
            ImportedAt = rows.Count == 0 ? null : rows.Max(r => r.ImportedAt),
            ActiveCount = rows.Count(r => r.RemovedAt is null),
            Items = rows.Where(r => request.IncludeRemoved || r.RemovedAt is null)
                .OrderBy(r => r.Kind).ThenBy(r => r.Name, StringComparer.CurrentCulture)
                .Select(r => new PosCatalogItemDto
                {
                    Kind = r.Kind.ToString(),
                    ExternalId = r.ExternalId,
                    ParentExternalId = r.ParentExternalId,
                    Name = r.Name,
                    Price = r.Price,
                    FirstSeenAt = r.FirstSeenAt,
                    ImportedAt = r.ImportedAt,
                    ChangedAt = r.ChangedAt,
                    PreviousName = r.PreviousName,
                    PreviousPrice = r.PreviousPrice,
                    RemovedAt = r.RemovedAt,
                }).ToList(),
        };
    }
}
