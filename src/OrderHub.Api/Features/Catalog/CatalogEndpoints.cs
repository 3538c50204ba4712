using MediatR;
using OrderHub.Api.Features.Catalog.Coverage;
using OrderHub.Api.Features.Catalog.DotsMenu;
using OrderHub.Api.Features.Catalog.Drift;
using OrderHub.Api.Features.Catalog.PosCatalog;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;

namespace OrderHub.Api.Features.Catalog;

/// <summary>
/// POS catalogs, Dots menus, mapping coverage with suggestions, and menu drift. Changes here are mapping work,
/// which support does too (fixing the mapping of a failed order), so they need <see cref="AccessScope.EditMappingsPolicy"/>,
/// not the settings policy; credentials and integration settings stay with managers.
/// </summary>
public static class CatalogEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var point = api.MapGroup("/pickup-points/{id:guid}").WithTags("Catalog and coverage");
        point.MapGet("/pos-catalog", (IMediator m, Guid id, string? kind, bool? includeRemoved, CancellationToken ct) =>
                m.Send(new GetPosCatalogQuery(id, kind, includeRemoved ?? false), ct))
            .WithName("GetPosCatalog").WithSummary("The point's POS catalog as last imported")
            .Produces<PosCatalogDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        point.MapPut("/pos-catalog", (IMediator m, Guid id, UploadPosCatalogCommand command, CancellationToken ct) =>
                m.Send(command with { PickupPointId = id }, ct))
            .RequireAuthorization(AccessScope.EditMappingsPolicy)
            .WithName("UploadPosCatalog").WithSummary("Upload the POS catalog (a webhook POS's menu, POS ids); replaces the stored one")
            .Produces<CatalogImportResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        point.MapPut("/pos-catalog/csv", async (IMediator m, Guid id, HttpRequest request, CancellationToken ct) =>
            {
                // Read first: an oversized body is a 413 whatever its type.
                using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8);
                var csv = await reader.ReadToEndAsync(ct);
                if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), PosCatalogCsv.ContentType, StringComparison.OrdinalIgnoreCase))
                {
                    var language = Messages.ApiLanguage.Of(request.HttpContext);
                    return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: Messages.MessageCatalog.Render(Messages.Msg.Of("problem.mediaType"), language),
                        detail: Messages.MessageCatalog.Render(Messages.Msg.Of("problem.mediaType.csv"), language));
                }

                return Results.Ok(await m.Send(new UploadPosCatalogCsvCommand(id, csv), ct));
            })
            // No Accepts metadata: routing would then answer 415 before authentication; the handler checks the type itself.
            .WithDescription("Body: text/csv with a header row naming kind, id, name and optionally price and parentId (comma or semicolon separated).")
            .RequireAuthorization(AccessScope.EditMappingsPolicy)
            .WithName("UploadPosCatalogCsv").WithSummary("Upload the POS catalog as CSV: header kind,id,name[,price][,parentId]; replaces the stored one")
            .Produces<CatalogImportResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        point.MapPost("/pos-catalog/refresh", (IMediator m, Guid id, CancellationToken ct) => m.Send(new RefreshPosCatalogCommand(id), ct))
            .RequireAuthorization(AccessScope.EditMappingsPolicy)
            .WithName("RefreshPosCatalog").WithSummary("Import the catalog from the POS now (Poster menu.getProducts)")
            .Produces<CatalogImportResult>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        point.MapGet("/coverage", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetCoverageQuery(id), ct))
            .WithName("GetCoverage").WithSummary("Percentage of Dots items mapped at the point, each missing one with a suggested POS item")
            .Produces<CoverageDto>().ProducesProblem(StatusCodes.Status404NotFound);
        point.MapPost("/coverage/accept", (IMediator m, Guid id, AcceptSuggestionsCommand command, CancellationToken ct) =>
                m.Send(command with { PickupPointId = id }, ct))
            .RequireAuthorization(AccessScope.EditMappingsPolicy)
            .WithName("AcceptCoverageSuggestions").WithSummary("Store accepted suggestions as external ids (all or nothing); answers the new coverage")
            .Produces<AcceptSuggestionsResult>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        point.MapGet("/drift", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetDriftQuery(id), ct))
            .WithName("GetMenuDrift").WithSummary("Stale external ids, items renamed or repriced on either side, Dots items with no id; each with its fix")
            .Produces<DriftDto>().ProducesProblem(StatusCodes.Status404NotFound);

        var company = api.MapGroup("/companies/{id:guid}/dots-menu").WithTags("Catalog and coverage");
        company.MapGet("/", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetDotsMenuQuery(id), ct))
            .WithName("GetDotsMenu").WithSummary("The company's Dots menu: uploaded and seen in orders")
            .Produces<IReadOnlyList<DotsMenuItemDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        company.MapPut("/", (IMediator m, Guid id, UploadDotsMenuCommand command, CancellationToken ct) =>
                m.Send(command with { CompanyId = id }, ct))
            .RequireAuthorization(AccessScope.EditMappingsPolicy)
            .WithName("UploadDotsMenu").WithSummary("Upload a Dots menu export (Dots ids); merged into the company's Dots menu")
            .Produces<DotsMenuResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        company.MapPost("/from-orders", (IMediator m, Guid id, DateTimeOffset? since, CancellationToken ct) =>
                m.Send(new BuildDotsMenuFromOrdersCommand(id, since), ct))
            .RequireAuthorization(AccessScope.EditMappingsPolicy)
            .WithName("BuildDotsMenuFromOrders").WithSummary("Add every item the company's orders carried (since 'since', default all) to its Dots menu")
            .Produces<DotsMenuResult>().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
