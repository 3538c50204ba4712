using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Features.Catalog;
using OrderHub.Api.Features.Catalog.PosCatalog;
using OrderHub.Api.Features.Shadow;
using OrderHub.Api.Features.Tenancy.PickupPoints;
using OrderHub.Api.Features.TestOrders;
using OrderHub.Api.Security;

namespace OrderHub.Api.ControlPanel.GoLive;

/// <summary>
/// A pickup point's go-live page (issue 18): its POS mode (live or shadow, the switch to live behind the coverage
/// gate), the shadow readiness over the last days with each problem's fix, and test orders: send one built from
/// the POS catalog, see what came back, take it off the register. Sends the same requests as the API.
/// </summary>
public sealed class GoLiveModel(IMediator mediator, IAuthorizationService authorization, PanelText text) : PanelPageModel(mediator, authorization)
{
    public PickupPointDto Point { get; private set; } = null!;
    public ShadowReadinessDto Readiness { get; private set; } = null!;
    public IReadOnlyList<TestOrderDto> TestOrders { get; private set; } = [];

    /// <summary>What a test order can be built from: products, and each product with each variant.</summary>
    public IReadOnlyList<(string Value, string Label)> Choices { get; private set; } = [];

    public bool CanManage { get; private set; }

    [BindProperty(SupportsGet = true, Name = "days")]
    public int? Days { get; set; }

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => LoadAsync(async () =>
    {
        Point = await Mediator.Send(new GetPickupPointQuery(id), cancellationToken);
        Readiness = await Mediator.Send(new GetShadowReadinessQuery(id, Days is >= 1 and <= 90 ? Days : null), cancellationToken);
        TestOrders = await Mediator.Send(new GetTestOrdersQuery(id), cancellationToken);
        CanManage = await AllowedAsync(AccessScope.ManageSettingsPolicy);
        var catalog = await Mediator.Send(new GetPosCatalogQuery(id, null, false), cancellationToken);
        var items = catalog.Items.Where(i => i.RemovedAt is null).ToList();
        Choices = items.Where(i => i.Kind == "Product").OrderBy(i => i.Name, StringComparer.CurrentCulture)
            .SelectMany(p => new[] { ($"{p.ExternalId}|", Label(p.Name, p.Price)) }
                .Concat(items.Where(v => v.Kind == "Variant" && v.ParentExternalId == p.ExternalId)
                    .Select(v => ($"{p.ExternalId}|{v.ExternalId}", Label($"{p.Name} ({v.Name})", v.Price ?? p.Price)))))
            .ToList();
    });

    public Task<IActionResult> OnPostModeAsync(Guid id, string? mode, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            var saved = await Mediator.Send(new SetPosModeCommand { PickupPointId = id, Actor = User.Actor(), Mode = mode }, cancellationToken);
            return text["golive.mode.saved." + saved.Mode];
        });

    /// <summary>Each chosen item is "productId|variantId" (variant may be empty), one of each.</summary>
    public Task<IActionResult> OnPostTestOrderAsync(Guid id, string[]? items, string? comment, string? phone, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            var chosen = (items ?? []).Select(i => i.Split('|', 2))
                .Select(p => new TestOrderItem(p[0], p.Length > 1 && p[1].Length > 0 ? p[1] : null)).ToList();
            var created = await Mediator.Send(new CreateTestOrderCommand
            {
                PickupPointId = id, Actor = User.Actor(), Items = chosen, Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(),
                Phone = string.IsNullOrWhiteSpace(phone) ? null : phone.Trim(),
            }, cancellationToken);
            return text.Format("golive.test.sent", created.Number);
        });

    public Task<IActionResult> OnPostCancelAsync(Guid id, Guid orderId, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            var order = await Mediator.Send(new CancelTestOrderCommand(id, orderId, User.Actor()), cancellationToken);
            return text.Format("golive.test.cancelRequested", order.Number, order.Cancel.Instructions);
        });

    private static string Label(string name, decimal? price) =>
        price is { } p ? $"{name} · {p.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}" : name;
}
