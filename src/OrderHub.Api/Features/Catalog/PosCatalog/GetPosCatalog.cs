using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Tenancy;

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

internal static class CatalogAccess
{
    /// <summary>The pickup point, or 404 when it does not exist or the caller may not see its company.</summary>
    public static async Task<PickupPoint> PointAsync(OrderHubDbContext db, AccessScope access, Guid pickupPointId, CancellationToken cancellationToken)
    {
        await access.EnsurePickupPointAsync(pickupPointId, cancellationToken);
        return await db.PickupPoints.AsNoTracking().FirstOrDefaultAsync(p => p.Id == pickupPointId, cancellationToken)
               ?? throw ProblemException.NotFound("Pickup point", pickupPointId);
    }

    public static async Task<Company> CompanyAsync(OrderHubDbContext db, AccessScope access, Guid companyId, CancellationToken cancellationToken)
    {
        var company = await db.Companies.AsNoTracking().FirstOrDefaultAsync(c => c.Id == companyId, cancellationToken);
        if (company is null || !await access.CanSeeAsync(companyId, cancellationToken))
        {
            throw ProblemException.NotFound("Company", companyId);
        }

        return company;
    }
}
