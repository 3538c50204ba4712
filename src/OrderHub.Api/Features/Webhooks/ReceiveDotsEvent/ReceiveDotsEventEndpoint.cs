using System.Text;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Orders;
using OrderHub.Api.Features.Orders.AcceptOrder;
using OrderHub.Api.Features.Orders.ApplyStatusChange;
using OrderHub.Api.Features.Webhooks.IgnoreEvent;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Telemetry;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Dots;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Api.Features.Webhooks.ReceiveDotsEvent;

/// <summary>The answer to a Dots webhook delivery.</summary>
/// <param name="Outcome"><c>applied</c>, <c>duplicate</c> (nothing new was done) or <c>ignored</c>.</param>
public sealed record DotsEventReceipt(string Outcome, Guid EventId, Guid? OrderId, string? ExportState);

/// <summary>
/// <c>POST /webhooks/dots/{companyKey}</c>: verifies the Standard Webhooks signature over the raw bytes, parses
/// contract v1 and hands the event to its handler. 202 once the change is committed; 200 for a duplicate.
/// </summary>
public static partial class ReceiveDotsEventEndpoint
{
    public const int MaxBodyBytes = 256 * 1024;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/webhooks/dots/{companyKey}", HandleAsync)
            .WithName("ReceiveDotsEvent")
            .WithTags("Webhooks")
            .WithSummary("Receive a signed order event from Dots")
            .AllowAnonymous()
            .Accepts<DotsEventReceipt>("application/json")
            .Produces<DotsEventReceipt>(StatusCodes.Status200OK)
            .Produces<DotsEventReceipt>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    private static async Task<IResult> HandleAsync(
        string companyKey,
        HttpRequest request,
        OrderHubDbContext db,
        SecretProtector protector,
        TimeProvider time,
        IMediator mediator,
        ILoggerFactory loggers,
        OrderHubMetrics metrics,
        CancellationToken cancellationToken)
    {
        var body = await WebhookBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        WebhookBody.RequireJson(request);

        var company = await db.Companies.AsNoTracking().FirstOrDefaultAsync(c => c.Key == companyKey, cancellationToken)
                      ?? throw new ProblemException(StatusCodes.Status404NotFound, "Unknown company", $"No company has the webhook key '{Clip(companyKey)}'.");

        var webhookId = request.Headers[StandardWebhookSignature.IdHeader].ToString();
        var failure = StandardWebhookSignature.Verify(
            Secrets(company, protector, time.GetUtcNow()),
            webhookId,
            request.Headers[StandardWebhookSignature.TimestampHeader].ToString(),
            request.Headers[StandardWebhookSignature.SignatureHeader].ToString(),
            body.Span,
            time.GetUtcNow());
        if (failure != SignatureFailure.None)
        {
            LogRejected(loggers.CreateLogger(typeof(ReceiveDotsEventEndpoint)), company.Key, failure);
            throw new ProblemException(StatusCodes.Status401Unauthorized, "Invalid webhook signature", failure switch
            {
                SignatureFailure.MissingHeaders => "The webhook-id, webhook-timestamp and webhook-signature headers are required.",
                SignatureFailure.BadTimestamp => "webhook-timestamp must be unix seconds.",
                SignatureFailure.TimestampOutOfTolerance => "webhook-timestamp is more than 5 minutes from now; check the sender's clock.",
                _ => "No signature matches the body with this company's signing secret.",
            });
        }

        if (webhookId.Length > 128)
        {
            throw ProblemException.Invalid("webhook-id", "At most 128 characters are allowed.");
        }

        var parsed = DotsEventParser.Parse(body);
        if (!parsed.IsValid)
        {
            return TypedResults.ValidationProblem(parsed.Errors, title: "The event does not match contract v1.");
        }

        var dotsEvent = parsed.Event!;
        var raw = Encoding.UTF8.GetString(body.Span);
        IRequest<InboundOutcome> command = dotsEvent.EventType switch
        {
            DotsEventTypes.OrderAccepted => new AcceptOrderCommand(company, webhookId, dotsEvent, raw),
            DotsEventTypes.OrderStatusChanged or DotsEventTypes.OrderCancelled => new ApplyStatusChangeCommand(company, webhookId, dotsEvent, raw),
            _ => new IgnoreEventCommand(company, webhookId, dotsEvent, raw),
        };
        var outcome = await mediator.Send(command, cancellationToken);
        if (command is AcceptOrderCommand && outcome.Kind == InboundOutcomeKind.Applied && outcome.OrderId is not null)
        {
            metrics.OrderReceived();
        }

        return ToResult(outcome, dotsEvent);
    }

    internal static IResult ToResult(InboundOutcome outcome, DotsEvent dotsEvent)
    {
        var receipt = new DotsEventReceipt(
            outcome.Kind.ToString().ToLowerInvariant(), outcome.EventId, outcome.OrderId, outcome.ExportState?.ToString());
        return outcome.Kind switch
        {
            InboundOutcomeKind.Duplicate => TypedResults.Ok(receipt),
            InboundOutcomeKind.Unrouted => TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Unknown pickup point",
                detail: $"companyAddressId '{dotsEvent.CompanyAddressId}' is not configured. The event is kept in the unrouted list and can be replayed once the pickup point exists.",
                extensions: new Dictionary<string, object?>
                {
                    ["eventId"] = outcome.EventId,
                    ["errors"] = new Dictionary<string, string[]> { ["order.companyAddressId"] = ["No pickup point with this companyAddressId."] },
                }),
            _ => TypedResults.Accepted((string?)null, receipt),
        };
    }

    private static IEnumerable<string> Secrets(Company company, SecretProtector protector, DateTimeOffset now)
    {
        yield return protector.Unprotect(company.SigningSecretProtected);
        if (company.PreviousSigningSecretProtected is { } previous && company.PreviousSecretExpiresAt > now)
        {
            yield return protector.Unprotect(previous);
        }
    }

    private static string Clip(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a Dots webhook for company {CompanyKey}: {Failure}")]
    private static partial void LogRejected(ILogger logger, string companyKey, SignatureFailure failure);
}
