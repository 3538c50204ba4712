using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Features.TestOrders;

/// <summary>A test order and what came back from the POS.</summary>
/// <param name="State">The order's export state: Queued while the POS has not answered, Exported or Failed after.</param>
/// <param name="LastAttempt">The last answer from the POS (an order or a cancellation); null before the first.</param>
/// <param name="Cancel">How to take the test order off the register afterwards.</param>
public sealed record TestOrderDto(
    Guid Id,
    Guid PickupPointId,
    string Number,
    string Comment,
    string State,
    decimal Total,
    string Currency,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    string? PosOrderId,
    string? PosStatus,
    IReadOnlyList<string> Items,
    TestOrderAttemptDto? LastAttempt,
    TestOrderCancelDto Cancel);

/// <summary>One POS answer from the history: its outcome and excerpts (secrets and personal data masked).</summary>
public sealed record TestOrderAttemptDto(
    string Action, DateTimeOffset At, string Outcome, string Message, string? FixHint, int? HttpStatus, string? PosOrderId, string? Request, string? Response);

/// <param name="Available">The POS can be told (a webhook POS gets <c>pos-order.cancelled</c>).</param>
/// <param name="Requested">A cancellation was already asked for.</param>
/// <param name="Instructions">What to do, in words: for Poster, what the cashier does at the register.</param>
public sealed record TestOrderCancelDto(bool Available, bool Requested, string Instructions);

/// <summary>Reads test orders with their last POS answer, in the reader's language.</summary>
public sealed class TestOrderReader(OrderHubDbContext db)
{
    private static readonly string[] Answers = [Actions.ExportAttempt, Actions.CancelAttempt, Actions.CancelQueued, Actions.RegisterActionNeeded];

    public async Task<TestOrderDto> ReadAsync(Guid pickupPointId, Guid orderId, CancellationToken cancellationToken) =>
        (await ListAsync(pickupPointId, orderId, 1, cancellationToken)).SingleOrDefault() ?? throw ProblemException.NotFound("Test order", orderId);

    public async Task<IReadOnlyList<TestOrderDto>> ListAsync(Guid pickupPointId, Guid? orderId, int take, CancellationToken cancellationToken)
    {
        var orders = await db.Orders.AsNoTracking().AsSplitQuery().Include(o => o.Lines).ThenInclude(l => l.Modifiers)
            .Where(o => o.PickupPointId == pickupPointId && o.IsTest && (orderId == null || o.Id == orderId))
            .OrderByDescending(o => o.ReceivedAt).ThenByDescending(o => o.Id)
            .Take(take)
            .ToListAsync(cancellationToken);
        var ids = orders.Select(o => o.Id).ToList();
        var rows = await db.OrderActions.AsNoTracking()
            .Where(a => a.OrderId != null && ids.Contains(a.OrderId.Value) && Answers.Contains(a.Action))
            .OrderBy(a => a.Id)
            .ToListAsync(cancellationToken);
        var integration = (await EffectivePosIntegrations.ForPointAsync(db, pickupPointId, cancellationToken))?.Integration;
        var language = MessageCatalog.CurrentLanguage;

        return orders.Select(o =>
        {
            var own = rows.Where(r => r.OrderId == o.Id).ToList();
            var last = own.LastOrDefault(r => r.Action is Actions.ExportAttempt or Actions.CancelAttempt or Actions.RegisterActionNeeded);
            TestOrderAttemptDto? attempt = null;
            if (last is not null)
            {
                JsonElement details = default;
                var hasDetails = last.Details is not null && TryParse(last.Details, out details);
                attempt = new TestOrderAttemptDto(
                    last.Action, last.At, last.Outcome.ToString(),
                    MessageCatalog.Render(last.MessageKey, last.MessageArgs, last.Message, language),
                    last.FixHint is null ? null : MessageCatalog.Render(last.FixHintKey, last.FixHintArgs, last.FixHint, language),
                    hasDetails && details.TryGetProperty("httpStatus", out var status) && status.ValueKind == JsonValueKind.Number ? status.GetInt32() : null,
                    hasDetails && details.TryGetProperty("posOrderId", out var posId) && posId.ValueKind == JsonValueKind.String ? posId.GetString() : null,
                    hasDetails && details.TryGetProperty("request", out var request) && request.ValueKind == JsonValueKind.String ? request.GetString() : null,
                    hasDetails && details.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.String ? response.GetString() : null);
            }

            var requested = own.Any(r => r.Action is Actions.CancelQueued or Actions.CancelAttempt or Actions.RegisterActionNeeded);
            var webhook = integration is { Kind: PosKind.Webhook };
            var instructions = webhook
                ? Msg.Of("testOrder.cancelWebhook")
                : Msg.Of("testOrder.cancelPoster", ("marker", $"[Dots #{o.Number}]"));
            return new TestOrderDto(
                o.Id, o.PickupPointId, o.Number, o.Comment ?? "", o.ExportState.ToString(), o.Total, o.Currency, o.ReceivedAt, o.AcceptedBy ?? "",
                o.PosOrderId, o.PosStatus,
                o.Lines.OrderBy(l => l.Position).Select(l => $"{l.Quantity:0.###} × {l.Name}" + (l.Modifiers.Count == 0 ? "" : " + " + string.Join(", ", l.Modifiers.Select(m => m.Name)))).ToList(),
                attempt,
                new TestOrderCancelDto(webhook && o.ExportState == Domain.Orders.ExportState.Exported && !requested, requested, MessageCatalog.Render(instructions, language)));
        }).ToList();
    }

    private static bool TryParse(string json, out JsonElement element)
    {
        try
        {
            element = JsonDocument.Parse(json).RootElement.Clone();
            return element.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            element = default;
            return false;
        }
    }
}
