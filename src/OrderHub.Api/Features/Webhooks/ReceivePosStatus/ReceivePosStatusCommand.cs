using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Inbound;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Api.Features.Webhooks.ReceivePosStatus;

/// <summary>
/// What a webhook POS reports about an order it received (<c>pos-order-status v1</c>), signed per Standard
/// Webhooks with the integration's own secret.
/// </summary>
public sealed record PosStatusReport
{
    /// <summary>OrderHub's order id, as sent in <c>pos-order v1</c> (<c>orderId</c>).</summary>
    [JsonPropertyName("orderId")]
    public Guid? OrderId { get; init; }

    /// <summary><c>accepted</c>, <c>rejected</c> or <c>closed</c>.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("posOrderId")]
    public string? PosOrderId { get; init; }

    /// <summary>Why the register rejected it, in the cashier's words.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }
}

public sealed record PosStatusReceipt(string Outcome, Guid OrderId, string PosStatus);

/// <summary>
/// A webhook POS's report as it arrived: verified with the integration's secret, then applied to the order once
/// (a repeated <c>webhook-id</c> or the same status again answers <c>duplicate</c>).
/// </summary>
public sealed record ReceivePosStatusCommand(Guid IntegrationId, string WebhookId, string Timestamp, string Signature, ReadOnlyMemory<byte> Body)
    : IRequest<PosStatusReceipt>;

public sealed partial class ReceivePosStatusHandler(
    OrderHubDbContext db,
    SecretProtector protector,
    TimeProvider time,
    ILogger<ReceivePosStatusHandler> logger) : IRequestHandler<ReceivePosStatusCommand, PosStatusReceipt>
{
    private static readonly string[] Statuses = ["accepted", "rejected", "closed"];

    public async Task<PosStatusReceipt> Handle(ReceivePosStatusCommand request, CancellationToken cancellationToken)
    {
        var integrationId = request.IntegrationId;
        var body = request.Body;
        // A point's own integration (with its effective secret, possibly the company's) or a company default.
        var integration = await EffectivePosIntegrations.WebhookByIdAsync(db, integrationId, cancellationToken)
                          ?? throw new ProblemException(StatusCodes.Status404NotFound, "Unknown POS integration", $"No webhook POS integration has id '{integrationId}'.");

        var now = time.GetUtcNow();
        var webhookId = request.WebhookId;
        var failure = integration.SecretProtected is null
            ? SignatureFailure.NoMatchingSignature
            : StandardWebhookSignature.Verify(
                [protector.Unprotect(integration.SecretProtected)],
                webhookId,
                request.Timestamp,
                request.Signature,
                body.Span,
                now);
        if (failure != SignatureFailure.None)
        {
            LogRejected(logger, integrationId, failure);
            throw new ProblemException(StatusCodes.Status401Unauthorized, "Invalid webhook signature",
                "Sign the report per Standard Webhooks with the integration's secret (the one OrderHub signs its orders with).");
        }

        if (webhookId.Length > 128)
        {
            throw ProblemException.Invalid("webhook-id", Msg.Of("refusal.atMost", ("max", 128)));
        }

        var report = Parse(body.Span);
        var (_, companyId, pointId) = integration;
        var orders = pointId is { } point
            ? db.Orders.Where(o => o.PickupPointId == point)
            : db.Orders.Where(o => o.CompanyId == companyId && !db.PosIntegrations.Any(i => i.PickupPointId == o.PickupPointId));
        var order = await orders.FirstOrDefaultAsync(o => o.Id == report.OrderId, cancellationToken)
                    ?? throw new ProblemException(StatusCodes.Status404NotFound, "Order not found",
                        $"No order '{report.OrderId}' was sent to this POS.",
                        new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["orderId"] = ["No order with this id at this POS."] } });

        var dedupKey = $"pos:{order.Id:N}:{report.Status}";
        var known = await db.InboundEvents.AsNoTracking()
            .AnyAsync(e => e.CompanyId == order.CompanyId && (e.WebhookId == "pos:" + webhookId || e.DedupKey == dedupKey), cancellationToken);
        if (known)
        {
            return new PosStatusReceipt("duplicate", order.Id, order.PosStatus ?? report.Status!);
        }

        db.InboundEvents.Add(new InboundEvent
        {
            CompanyId = order.CompanyId,
            WebhookId = "pos:" + webhookId,
            DedupKey = dedupKey,
            EventType = "pos.order.status",
            DotsOrderId = order.DotsOrderId,
            OrderId = order.Id,
            State = InboundEventState.Processed,
            ReceivedAt = now,
            RawPayload = Encoding.UTF8.GetString(body.Span),
        });
        order.PosOrderId = report.PosOrderId ?? order.PosOrderId;
        db.RecordPosStatus(order, now, report.Status!, report.Status switch
        {
            "rejected" => Msg.Of("pos.rejected", ("why", report.Reason is { Length: > 0 } why ? $": {why}" : ".")),
            "accepted" => Msg.Of("pos.accepted"),
            _ => Msg.Of("pos.closed"),
        }, PosStatusRecording.WebhookPosActor);

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return new PosStatusReceipt("duplicate", order.Id, report.Status!);
        }

        return new PosStatusReceipt("applied", order.Id, report.Status!);
    }

    private static PosStatusReport Parse(ReadOnlySpan<byte> body)
    {
        PosStatusReport? report;
        try
        {
            report = JsonSerializer.Deserialize<PosStatusReport>(body, new JsonSerializerOptions { MaxDepth = 8 });
        }
        catch (JsonException)
        {
            throw ProblemException.Invalid("$", Msg.Of("refusal.notPosStatus"));
        }

        if (report?.OrderId is null || report.OrderId == Guid.Empty)
        {
            throw ProblemException.Invalid("orderId", Msg.Of("refusal.posStatusOrderId"));
        }

        if (report.Status is null || !Statuses.Contains(report.Status))
        {
            throw ProblemException.Invalid("status", Msg.Of("valid.oneOf", ("values", "accepted, rejected, closed")));
        }

        if (report.PosOrderId is { Length: > 128 })
        {
            throw ProblemException.Invalid("posOrderId", Msg.Of("refusal.atMost", ("max", 128)));
        }

        if (report.Reason is { Length: > 500 })
        {
            throw ProblemException.Invalid("reason", Msg.Of("refusal.atMost", ("max", 500)));
        }

        return report;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a POS status webhook for integration {IntegrationId}: {Failure}")]
    private static partial void LogRejected(ILogger logger, Guid integrationId, SignatureFailure failure);
}
