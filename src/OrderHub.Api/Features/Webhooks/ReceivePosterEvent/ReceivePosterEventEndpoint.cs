using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Dispatching;
using OrderHub.Api.Features.History;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Domain.History;
using OrderHub.Domain.Inbound;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Pos;
using OrderHub.Integrations.Poster;

namespace OrderHub.Api.Features.Webhooks.ReceivePosterEvent;

/// <summary>OrderHub's Poster developer application. Section <c>PosterApp</c>.</summary>
public sealed class PosterAppOptions
{
    public const string SectionName = "PosterApp";

    /// <summary>The application secret Poster signs its webhooks with (<c>verify</c>). From the environment, never a committed file.</summary>
    [MaxLength(256)]
    public string? ApplicationSecret { get; set; }
}

public sealed record PosterEventReceipt(string Outcome, IReadOnlyList<Guid> OrderIds);

/// <summary>
/// <c>POST /webhooks/poster</c>: Poster's webhooks for the accounts OrderHub's application is installed on. An
/// <c>incoming_order</c> change carries no status, so the order is read back and its status recorded. Poster
/// retries unanswered hooks and holds later ones back, so anything well signed but not ours still gets a 200.
/// </summary>
public static partial class ReceivePosterEventEndpoint
{
    public const int MaxBodyBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/webhooks/poster", HandleAsync)
            .WithName("ReceivePosterEvent")
            .WithTags("Webhooks")
            .WithSummary("Receive a webhook from Poster (incoming order accepted or rejected at the register), signed with md5 verify")
            .AllowAnonymous()
            .Produces<PosterEventReceipt>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    private static async Task<IResult> HandleAsync(
        HttpRequest request,
        OrderHubDbContext db,
        IOptions<PosterAppOptions> options,
        IEnumerable<IPosClient> clients,
        PosRequestBuilder requests,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var body = await WebhookBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        WebhookBody.RequireJson(request);
        var hook = PosterWebhookParser.Parse(body.Span)
                   ?? throw ProblemException.Invalid("$", "Expected Poster's webhook object with account, object, object_id, action, time and verify.");
        var logger = loggers.CreateLogger(typeof(ReceivePosterEventEndpoint));
        if (!PosterWebhookVerifier.Verify(hook, options.Value.ApplicationSecret ?? ""))
        {
            LogRejected(logger, hook.Account);
            throw new ProblemException(StatusCodes.Status401Unauthorized, "Invalid webhook signature",
                "verify does not match md5(account;object;object_id;action;[data;]time;application_secret) with OrderHub's Poster application secret.");
        }

        if (!hook.IsIncomingOrderChange)
        {
            return TypedResults.Ok(new PosterEventReceipt("ignored", []));
        }

        var integrations = await db.PosIntegrations.AsNoTracking()
            .Where(i => i.Kind == PosKind.Poster && i.PosterAccount == hook.Account)
            .ToListAsync(cancellationToken);
        var pointIds = integrations.Select(i => i.PickupPointId).ToList();
        var orders = await db.Orders
            .Where(o => pointIds.Contains(o.PickupPointId) && o.PosOrderId == hook.ObjectId)
            .ToListAsync(cancellationToken);
        if (orders.Count == 0)
        {
            return TypedResults.Ok(new PosterEventReceipt("unknown_order", []));
        }

        var now = time.GetUtcNow();
        var client = clients.First(c => c.Kind == PosKind.Poster);
        foreach (var order in orders)
        {
            var integration = integrations.First(i => i.PickupPointId == order.PickupPointId);
            var dedupKey = $"poster:{hook.Account}:{hook.ObjectId}:{hook.Time}";
            if (await db.InboundEvents.AnyAsync(e => e.CompanyId == order.CompanyId && e.DedupKey == dedupKey, cancellationToken))
            {
                continue;
            }

            var status = await client.GetOrderStatusAsync(requests.Target(integration), hook.ObjectId, cancellationToken);
            if (status.Outcome != PosPushOutcome.Delivered)
            {
                // Poster retries the hook; the status is read again then.
                throw new ProblemException(StatusCodes.Status503ServiceUnavailable, "Poster could not be read back",
                    $"Reading online order {hook.ObjectId} from Poster failed: {status.Message}");
            }

            db.InboundEvents.Add(new InboundEvent
            {
                CompanyId = order.CompanyId,
                WebhookId = dedupKey,
                DedupKey = dedupKey,
                EventType = "poster.incoming_order.changed",
                DotsOrderId = order.DotsOrderId,
                OrderId = order.Id,
                State = InboundEventState.Processed,
                ReceivedAt = now,
                RawPayload = Encoding.UTF8.GetString(body.Span),
            });
            order.PosStatus = status.PosStatus;
            order.UpdatedAt = now;
            if (status.PosStatus == "rejected")
            {
                order.Problem = FailureReason.PosRejected;
                db.Record(order, now, Actions.PosStatus, ActionOutcome.Failure, $"The cashier rejected the order at the register. {status.Message}", "poster",
                    FailureReason.PosRejected, "Phone the pickup point to learn why, then tell the customer or fix the cause and export the order again with force.");
            }
            else
            {
                db.Record(order, now, Actions.PosStatus, ActionOutcome.Success, status.Message, "poster");
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return TypedResults.Ok(new PosterEventReceipt("duplicate", orders.Select(o => o.Id).ToList()));
        }

        return TypedResults.Ok(new PosterEventReceipt("applied", orders.Select(o => o.Id).ToList()));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a Poster webhook for account {Account}: verify does not match")]
    private static partial void LogRejected(ILogger logger, string account);
}
