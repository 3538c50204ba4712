using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Features.Parking;
using OrderHub.Api.Features.Tenancy.PickupPoints;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Security;

namespace OrderHub.Api.ControlPanel.Hierarchy;

/// <summary>
/// A point's orders waiting for export in their named queues (as the signed-in user may see them), parking and
/// taking out, and, for managers, the queue names (company defaults and the point's own or renamed ones).
/// </summary>
public sealed class ParkedModel(IMediator mediator, IAuthorizationService authorization, PanelText text) : PanelPageModel(mediator, authorization)
{
    public PickupPointDto Point { get; private set; } = null!;
    public ParkedOrdersDto Parked { get; private set; } = null!;
    public IReadOnlyList<ParkedQueueDto> CompanyQueues { get; private set; } = [];
    public IReadOnlyList<ParkedQueueDto> PointQueues { get; private set; } = [];
    public bool CanManage { get; private set; }

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => LoadAsync(async () =>
    {
        Point = await Mediator.Send(new GetPickupPointQuery(id), cancellationToken);
        Parked = await Mediator.Send(new GetParkedOrdersQuery(id, User), cancellationToken);
        CompanyQueues = await Mediator.Send(new GetParkedQueuesQuery(Point.CompanyId, false), cancellationToken);
        PointQueues = await Mediator.Send(new GetParkedQueuesQuery(id, true), cancellationToken);
        CanManage = await AllowedAsync(AccessScope.ManageSettingsPolicy);
    });

    public Task<IActionResult> OnPostParkAsync(Guid id, Guid orderId, string? queue, CancellationToken cancellationToken) =>
        ChangeAsync(null, async () =>
        {
            var order = await Mediator.Send(new ParkOrderCommand(orderId, string.IsNullOrEmpty(queue) ? null : queue, User.Actor(),
                User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? ""), cancellationToken);
            return text.Format(queue is { Length: > 0 } ? "parked.parked" : "parked.unparked", order.Number);
        });

    /// <summary>One queue a line, "key: Name", for the company defaults or the point's own (a default's key renames it here).</summary>
    public Task<IActionResult> OnPostQueuesAsync(Guid id, string? scope, string? lines, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            var company = scope == "company";
            var scopeId = company ? (await Mediator.Send(new GetPickupPointQuery(id), cancellationToken)).CompanyId : id;
            var items = (lines ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split(':', 2, StringSplitOptions.TrimEntries))
                .Select(p => p.Length == 2 ? new ParkedQueueInput { Key = p[0], Name = p[1] } : throw ProblemException.Invalid("lines", text["parked.lineFormat"]))
                .ToList();
            await Mediator.Send(new SaveParkedQueuesCommand { Id = scopeId, IsPoint = !company, Items = items }, cancellationToken);
            return text["parked.saved"];
        });

    public static string Lines(IEnumerable<ParkedQueueDto> queues) => string.Join("\n", queues.Select(q => $"{q.Key}: {q.Name}"));
}
