using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Alerts;
using OrderHub.Api.Dispatching;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
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

    /// <summary>Poster account names are subdomains; anything longer is not one.</summary>
    public const int MaxAccountLength = 64;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/webhooks/poster", HandleAsync)
            .WithName("ReceivePosterEvent")
            .WithTags("Webhooks")
            .WithSummary("Receive a webhook from Poster (incoming order accepted or rejected at the register; register operations of checks), signed with md5 verify")
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
        RegisterOperationRecorder registerOperations,
        PosterClient poster,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var body = await WebhookBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        WebhookBody.RequireJson(request);
        var hook = PosterWebhookParser.Parse(body.Span)
                   ?? throw ProblemException.Invalid("$", "Expected Poster's webhook object with account, object, object_id, action, time and verify.");
        if (hook.Account.Length > MaxAccountLength || hook.Account.Any(char.IsControl))
        {
            throw ProblemException.Invalid("account", $"A Poster account name of at most {MaxAccountLength} characters, without control characters.");
        }

        var logger = loggers.CreateLogger(typeof(ReceivePosterEventEndpoint));
        if (!PosterWebhookVerifier.Verify(hook, options.Value.ApplicationSecret ?? ""))
        {
            LogRejected(logger, LogValue.Safe(hook.Account));
            throw new ProblemException(StatusCodes.Status401Unauthorized, "Invalid webhook signature",
                "verify does not match md5(account;object;object_id;action;[data;]time;application_secret) with OrderHub's Poster application secret.");
        }

        if (hook.Object == "transaction")
        {
            // Register operations (Poster's check history): stored, and alerted when risky. A hook without the
            // row in data makes OrderHub read the check's history back.
            if (RegisterOperationRecorder.Parse(hook.Data) is { } row)
            {
                return TypedResults.Ok(new PosterEventReceipt(await registerOperations.RecordAsync(hook, [row], row.SpotId, cancellationToken), []));
            }

            var integration = (await EffectivePosIntegrations.OnPosterAccountAsync(db, hook.Account, cancellationToken)).Values
                .Select(e => e.Integration).Where(i => i.SecretProtected != null)
                .OrderBy(i => i.CreatedAt)
                .FirstOrDefault();
            if (integration is null)
            {
                return TypedResults.Ok(new PosterEventReceipt("unknown_spot", []));
            }

            var check = await poster.GetTransactionHistoryAsync(requests.Target(integration), hook.ObjectId, cancellationToken);
            if (check.Result.Outcome != PosPushOutcome.Delivered)
            {
                // Poster retries the hook; the history is read again then.
                throw new ProblemException(StatusCodes.Status503ServiceUnavailable, "Poster could not be read back",
                    $"Reading check {hook.ObjectId} from Poster failed: {check.Result.Message}");
            }

            return TypedResults.Ok(new PosterEventReceipt(await registerOperations.RecordAsync(hook, check.Rows, check.SpotId, cancellationToken), []));
        }

        if (!hook.IsIncomingOrderChange)
        {
            return TypedResults.Ok(new PosterEventReceipt("ignored", []));
        }

        // Poster's online order ids are unique per account, so at most one order matches.
        var onAccount = await EffectivePosIntegrations.OnPosterAccountAsync(db, hook.Account, cancellationToken);
        var accountPoints = onAccount.Keys.ToList();
        var matched = await db.Orders.FirstOrDefaultAsync(o => accountPoints.Contains(o.PickupPointId) && o.PosOrderId == hook.ObjectId, cancellationToken);
        var found = matched is null ? null : new { Order = matched, onAccount[matched.PickupPointId].Integration };
        if (found is null)
        {
            return TypedResults.Ok(new PosterEventReceipt("unknown_order", []));
        }

        var target = found.Order;
        var dedupKey = $"poster:{hook.Account}:{hook.ObjectId}:{hook.Time}";
        if (await db.InboundEvents.AnyAsync(e => e.CompanyId == target.CompanyId && e.DedupKey == dedupKey, cancellationToken))
        {
            return TypedResults.Ok(new PosterEventReceipt("duplicate", [target.Id]));
        }

        var client = clients.First(c => c.Kind == PosKind.Poster);
        var status = await client.GetOrderStatusAsync(requests.Target(found.Integration), hook.ObjectId, cancellationToken);
        if (status.Outcome != PosPushOutcome.Delivered)
        {
            // Poster retries the hook; the status is read again then.
            throw new ProblemException(StatusCodes.Status503ServiceUnavailable, "Poster could not be read back",
                $"Reading online order {hook.ObjectId} from Poster failed: {status.Message}");
        }

        var now = time.GetUtcNow();
        db.InboundEvents.Add(new InboundEvent
        {
            CompanyId = target.CompanyId,
            WebhookId = dedupKey,
            DedupKey = dedupKey,
            EventType = "poster.incoming_order.changed",
            DotsOrderId = target.DotsOrderId,
            OrderId = target.Id,
            State = InboundEventState.Processed,
            ReceivedAt = now,
            RawPayload = Encoding.UTF8.GetString(body.Span),
        });
        db.RecordPosStatus(target, now, status.PosStatus!,
            status.PosStatus == "rejected" ? $"The cashier rejected the order at the register. {status.Message}" : status.Message, "poster");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return TypedResults.Ok(new PosterEventReceipt("duplicate", [target.Id]));
        }

        return TypedResults.Ok(new PosterEventReceipt("applied", [target.Id]));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a Poster webhook for account {Account}: verify does not match")]
    private static partial void LogRejected(ILogger logger, string account);
}
