using System.Text.Json;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Features.Orders;
using OrderHub.Api.Features.Orders.ExportOrder;
using OrderHub.Api.Features.Orders.GetOrder;
using OrderHub.Api.Features.Tenancy.PickupPoints;
using OrderHub.Api.Security;
using OrderHub.Domain.History;
using OrderHub.Domain.Mappings;

namespace OrderHub.Api.ControlPanel.Orders;

/// <summary>One order's troubleshooting page: the timeline, the typed reason in plain words, a link to the fix, export buttons.</summary>
public sealed class DetailsModel(IMediator mediator, IAuthorizationService authorization, PanelText text) : PanelPageModel(mediator, authorization)
{
    public OrderDetailsDto Order { get; private set; } = null!;
    public PickupPointDto Point { get; private set; } = null!;

    /// <summary>The history row that explains the standing problem (the latest with that reason).</summary>
    public OrderActionDto? ProblemRow { get; private set; }

    /// <summary>Where to fix the problem: the missing mapping on the point's mappings screen, or the point's POS settings.</summary>
    public string? FixUrl { get; private set; }

    public bool CanExport => Order.ExportState is "AwaitingExport" or "NeedsMapping" or "Failed";

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => LoadAsync(async () =>
    {
        Order = await Mediator.Send(new GetOrderQuery(id), cancellationToken);
        Point = await Mediator.Send(new GetPickupPointQuery(Order.PickupPointId), cancellationToken);
        ProblemRow = Order.Problem is { } problem ? Order.History.LastOrDefault(a => a.Reason == problem) : null;
        FixUrl = Order.Problem is null ? null : FixLink(Order.Problem, ProblemRow, Order.PickupPointId);
    });

    public Task<IActionResult> OnPostExportAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(null, async () =>
        {
            var result = await Mediator.Send(new ExportOrderCommand(id, User.Actor()), cancellationToken);
            return text.Format("order.exported", text["state." + result.ExportState]);
        });

    public Task<IActionResult> OnPostReexportAsync(Guid id, string? reason, CancellationToken cancellationToken) =>
        ChangeAsync(null, async () =>
        {
            var result = await Mediator.Send(new ExportOrderCommand(id, User.Actor(), Force: true, Reason: reason), cancellationToken);
            return text.Format("order.exported", text["state." + result.ExportState]);
        });

    /// <summary>The exact screen that fixes <paramref name="problem"/>.</summary>
    public static string? FixLink(string problem, OrderActionDto? row, Guid pointId)
    {
        if (!Enum.TryParse<FailureReason>(problem, out var reason))
        {
            return null;
        }

        switch (reason)
        {
            case FailureReason.MissingExternalId when row?.Details is { } details:
                using (var json = JsonDocument.Parse(details))
                {
                    var root = json.RootElement;
                    var kind = root.TryGetProperty("kind", out var k)
                        ? k.ValueKind == JsonValueKind.Number ? ((ExternalIdKind)k.GetInt32()).ToString() : k.GetString()
                        : null;
                    var dotsId = root.TryGetProperty("dotsId", out var d) ? d.GetString() : null;
                    return $"/panel/points/{pointId}/mappings" + QueryString.Create(new Dictionary<string, string?> { ["kind"] = kind, ["dotsId"] = dotsId })
                        .ToUriComponent() + "#fix";
                }
            case FailureReason.MissingExternalId or FailureReason.PosProductNotFound or FailureReason.PosModificationNotFound:
                return $"/panel/points/{pointId}/mappings";
            case FailureReason.NoPosIntegration or FailureReason.PosIntegrationDisabled or FailureReason.PosAuthRejected
                or FailureReason.PosSpotNotFound or FailureReason.PosGone or FailureReason.PosUnreachable or FailureReason.PosCurrencyMismatch:
                return $"/panel/points/{pointId}#pos";
            case FailureReason.UnknownPickupPoint:
                return "/panel/unrouted";
            default:
                return null;
        }
    }

    /// <summary>The request and response excerpts and the other facts of an attempt's details.</summary>
    public static IReadOnlyList<(string Key, string Value)> DetailFacts(string? details)
    {
        if (details is null)
        {
            return [];
        }

        using var json = JsonDocument.Parse(details);
        if (json.RootElement.ValueKind != JsonValueKind.Object)
        {
            return [("details", details)];
        }

        return json.RootElement.EnumerateObject()
            .Where(p => p.Value.ValueKind is not JsonValueKind.Null)
            .Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()))
            .ToList();
    }
}
