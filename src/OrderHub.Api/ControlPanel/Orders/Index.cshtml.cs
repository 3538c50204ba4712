using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Features.Orders;
using OrderHub.Api.Features.Orders.GetOrders;
using OrderHub.Api.Features.Orders.RedriveFailedOrders;
using OrderHub.Api.Security;
using OrderHub.Domain.History;
using OrderHub.Domain.Orders;

namespace OrderHub.Api.ControlPanel.Orders;

/// <summary>The order list (GetOrdersQuery) with its filters, and the bulk re-drive of a point's failed orders.</summary>
public sealed class IndexModel(IMediator mediator, IAuthorizationService authorization, PanelText text, PanelTime time) : PanelPageModel(mediator, authorization)
{
    [BindProperty(SupportsGet = true, Name = "point")]
    public Guid? PointId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Problem { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateTime? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateTime? To { get; set; }

    /// <summary>Held pre-orders only (true) or none of them (false): the dashboard's "queued" and "held" links.</summary>
    [BindProperty(SupportsGet = true)]
    public bool? Held { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public static readonly string[] States = Enum.GetNames<ExportState>();
    public static readonly string[] Problems = Enum.GetNames<FailureReason>();

    public IReadOnlyList<PanelPoint> Points { get; private set; } = [];
    public Page<OrderSummaryDto> Orders { get; private set; } = new([], 1, 50, 0);

    public string PointName(Guid id) => Points.FirstOrDefault(p => p.Id == id)?.Name ?? id.ToString();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Points = await PanelDirectory.PointsAsync(Mediator, cancellationToken);
        try
        {
            Orders = await Mediator.Send(new GetOrdersQuery
            {
                PickupPointId = PointId,
                State = string.IsNullOrEmpty(State) ? null : State,
                Problem = string.IsNullOrEmpty(Problem) ? null : Problem,
                From = From is { } from ? time.FromLocal(from) : null,
                To = To is { } to ? time.FromLocal(to) : null,
                Held = Held,
                Page = Math.Max(1, PageNumber),
                PageSize = 50,
            }, cancellationToken);
        }
        catch (FluentValidation.ValidationException invalid)
        {
            Error = string.Join(" ", invalid.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}"));
        }

        return Page();
    }

    public Task<IActionResult> OnPostRedriveAsync(Guid pickupPointId, CancellationToken cancellationToken) =>
        ChangeAsync(null, async () =>
        {
            var result = await Mediator.Send(new RedriveFailedOrdersCommand(pickupPointId, null, User.Actor()), cancellationToken);
            return text.Format("orders.redriven", result.Requeued, result.NotRequeued.Count);
        });

    /// <summary>This list's URL with one filter changed (for paging).</summary>
    public string With(int page) =>
        QueryString.Create(new Dictionary<string, string?>
        {
            ["point"] = PointId?.ToString(), ["state"] = State, ["problem"] = Problem,
            ["from"] = From?.ToString("yyyy-MM-ddTHH:mm"), ["to"] = To?.ToString("yyyy-MM-ddTHH:mm"),
            ["held"] = Held is { } held ? (held ? "true" : "false") : null, ["page"] = page.ToString(),
        }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent();
}
