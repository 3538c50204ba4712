using System.Linq.Expressions;
using OrderHub.Domain.Inbound;

namespace OrderHub.Api.Features.Inbox;

/// <summary>A Dots event in the inbox: where its processing stands.</summary>
/// <param name="State"><c>Received</c> (waiting to be processed, or for its order), <c>Processed</c> or <c>Parked</c>.</param>
/// <param name="Outcome">Once processed: <c>applied</c>, <c>duplicate</c>, <c>unrouted</c> or <c>ignored</c>.</param>
/// <param name="ParkedReason">Why it is parked: <c>EventProcessingFailed</c> or <c>OrderNeverReceived</c>.</param>
/// <param name="LastError">The last failure (type and message), while retried and when parked.</param>
public sealed record InboxEventDto(
    Guid Id,
    Guid CompanyId,
    string WebhookId,
    string EventType,
    string? DotsOrderId,
    string State,
    int Attempts,
    string? Outcome,
    Guid? OrderId,
    Guid? InboundEventId,
    string? ParkedReason,
    string? LastError,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? ProcessedAt)
{
    public static readonly Expression<Func<InboxEvent, InboxEventDto>> FromRow = e => new InboxEventDto(
        e.Id, e.CompanyId, e.WebhookId, e.EventType, e.DotsOrderId, e.State.ToString(), e.Attempts, e.Outcome, e.OrderId,
        e.InboundEventId, e.ParkedReason == null ? null : e.ParkedReason.ToString(), e.LastError, e.ReceivedAt, e.ProcessedAt);
}
