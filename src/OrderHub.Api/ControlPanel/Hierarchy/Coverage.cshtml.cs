using System.Text.Json;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Features.Catalog;
using OrderHub.Api.Features.Catalog.Coverage;
using OrderHub.Api.Features.Catalog.DotsMenu;
using OrderHub.Api.Features.Catalog.Drift;
using OrderHub.Api.Features.Catalog.PosCatalog;
using OrderHub.Api.Features.Tenancy.PickupPoints;
using OrderHub.Api.Features.Tenancy.PosIntegrations;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;

namespace OrderHub.Api.ControlPanel.Hierarchy;

/// <summary>
/// Mapping coverage before go-live: import the POS catalog and the Dots menu, see the share mapped per kind,
/// accept suggestions in bulk, and the menu drift with its fixes. Every action is the catalog API's request.
/// </summary>
public sealed class CoverageModel(IMediator mediator, IAuthorizationService authorization, PanelText text) : PanelPageModel(mediator, authorization)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public PickupPointDto Point { get; private set; } = null!;
    public PosIntegrationDto? Integration { get; private set; }
    public CoverageDto Coverage { get; private set; } = null!;
    public DriftDto Drift { get; private set; } = null!;

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => LoadAsync(async () =>
    {
        Point = await Mediator.Send(new GetPickupPointQuery(id), cancellationToken);
        Coverage = await Mediator.Send(new GetCoverageQuery(id), cancellationToken);
        Drift = await Mediator.Send(new GetDriftQuery(id), cancellationToken);
        try
        {
            Integration = await Mediator.Send(new GetPosIntegrationQuery(id), cancellationToken);
        }
        catch (ProblemException problem) when (problem.Status == StatusCodes.Status404NotFound)
        {
            Integration = null;
        }
    });

    public Task<IActionResult> OnPostRefreshAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.EditMappingsPolicy, async () => Imported(await Mediator.Send(new RefreshPosCatalogCommand(id), cancellationToken)));

    /// <summary>A webhook POS's catalog pasted as the documented JSON or CSV.</summary>
    public Task<IActionResult> OnPostUploadAsync(Guid id, string? format, string? body, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.EditMappingsPolicy, async () =>
        {
            if (format == "csv")
            {
                return Imported(await Mediator.Send(new UploadPosCatalogCsvCommand(id, body ?? ""), cancellationToken));
            }

            var document = Parse<UploadPosCatalogCommand>(body);
            return Imported(await Mediator.Send(document with { PickupPointId = id }, cancellationToken));
        });

    public Task<IActionResult> OnPostDotsFromOrdersAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.EditMappingsPolicy, async () =>
        {
            var point = await Mediator.Send(new GetPickupPointQuery(id), cancellationToken);
            return DotsMenu(await Mediator.Send(new BuildDotsMenuFromOrdersCommand(point.CompanyId, null), cancellationToken));
        });

    public Task<IActionResult> OnPostDotsUploadAsync(Guid id, string? body, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.EditMappingsPolicy, async () =>
        {
            var point = await Mediator.Send(new GetPickupPointQuery(id), cancellationToken);
            var document = Parse<UploadDotsMenuCommand>(body);
            return DotsMenu(await Mediator.Send(document with { CompanyId = point.CompanyId }, cancellationToken));
        });

    /// <summary>The ticked suggestions (each "kind|dotsId|externalId"), stored all or nothing.</summary>
    public Task<IActionResult> OnPostAcceptAsync(Guid id, string[] accept, string? target, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.EditMappingsPolicy, async () =>
        {
            var items = accept.Select(a => a.Split('|', 3)).Where(p => p.Length == 3)
                .Select(p => new AcceptedSuggestion { Kind = p[0], DotsId = p[1], ExternalId = p[2] }).ToList();
            if (items.Count == 0)
            {
                throw ProblemException.Invalid("items", text["coverage.nothingTicked"]);
            }

            var result = await Mediator.Send(new AcceptSuggestionsCommand { PickupPointId = id, Target = string.IsNullOrEmpty(target) ? null : target, Items = items }, cancellationToken);
            return text.Format("coverage.accepted", result.Created + result.Updated, result.Coverage.Percent);
        });

    /// <summary>A drift fix that is one accept call (its body as the API gives it), as hidden fields.</summary>
    public static (string Target, string Kind, string DotsId, string ExternalId)? AcceptFix(FixAction fix)
    {
        if (fix.Method != "POST" || fix.Path?.EndsWith("/coverage/accept", StringComparison.Ordinal) != true || fix.Body is null)
        {
            return null;
        }

        var body = JsonSerializer.SerializeToElement(fix.Body, Json);
        var item = body.GetProperty("items")[0];
        return (body.GetProperty("target").GetString() ?? "", item.GetProperty("kind").GetString() ?? "", item.GetProperty("dotsId").GetString() ?? "",
            item.GetProperty("externalId").GetString() ?? "");
    }

    private string Imported(CatalogImportResult r) => text.Format("coverage.imported", r.Total, r.Added, r.Changed, r.Removed);

    private string DotsMenu(DotsMenuResult r) => text.Format("coverage.dotsMenu", r.Total, r.Added, r.Changed);

    private static T Parse<T>(string? body)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body ?? "", Json) ?? throw ProblemException.Invalid("body", Msg.Of("refusal.pasteMenu"));
        }
        catch (JsonException e)
        {
            throw ProblemException.Invalid("body", Msg.Of("refusal.notJson", ("error", e.Message)));
        }
    }
}
