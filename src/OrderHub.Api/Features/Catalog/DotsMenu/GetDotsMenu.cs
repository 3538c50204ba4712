using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Catalog.PosCatalog;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Catalog.DotsMenu;

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
