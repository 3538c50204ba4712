using OrderHub.Api.Features.Orders;
using OrderHub.Api.Inbox;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Integrations.Dots;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Api.Features.Webhooks.ReceiveDotsEvent;

/// <summary>The answer to a Dots webhook delivery: the event is stored and will be processed.</summary>
/// <param name="EventId">The inbox id of the stored event (<c>GET /api/inbox/{eventId}</c> tells how its processing went).</param>
/// <param name="Status">Always <c>received</c>: the raw event is durably stored; processing follows.</param>
/// <param name="Order">Where the order this event is about can be read once processed; null for an event without an order.</param>
public sealed record DotsEventAccepted(Guid EventId, string Status, string? Order);

/// <summary>
/// <c>POST /webhooks/dots/{companyKey}</c>: the cheap checks (company, signature over the raw bytes, size, type,
/// contract v1, totals) from memory, then the raw event into the inbox. 202 once it is durable; 200 with the same
/// body for a <c>webhook-id</c> already stored. Resolving and applying the event is the inbox processor's work.
/// </summary>
public static partial class ReceiveDotsEventEndpoint
{
    public const int MaxBodyBytes = 256 * 1024;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/webhooks/dots/{companyKey}", HandleAsync)
            .WithName("ReceiveDotsEvent")
            .WithTags("Webhooks")
            .WithSummary("Receive a signed order event from Dots (stored, then processed)")
            .AllowAnonymous()
            .Accepts<OrderHub.Api.OpenApi.DotsWebhookEvent>("application/json")
            .Produces<DotsEventAccepted>(StatusCodes.Status200OK)
            .Produces<DotsEventAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    private static async Task<IResult> HandleAsync(
        string companyKey,
        HttpRequest request,
        CompanySigningKeys companies,
        InboxWriter inbox,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var body = await WebhookBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        WebhookBody.RequireJson(request);

        var company = await companies.GetAsync(companyKey, cancellationToken)
                      ?? throw new ProblemException(StatusCodes.Status404NotFound, "Unknown company", $"No company has the webhook key '{Clip(companyKey)}'.");

        var webhookId = request.Headers[StandardWebhookSignature.IdHeader].ToString();
        var timestamp = request.Headers[StandardWebhookSignature.TimestampHeader].ToString();
        var signature = request.Headers[StandardWebhookSignature.SignatureHeader].ToString();
        var failure = CheckSignature(company, webhookId, timestamp, signature, body, time);
        if (failure is SignatureFailure.NoMatchingSignature && await companies.RefreshAsync(company, cancellationToken) is { } reloaded)
        {
            // The secret may have been rotated on another instance since this one cached it.
            (company, failure) = (reloaded, CheckSignature(reloaded, webhookId, timestamp, signature, body, time));
        }

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
            throw ProblemException.Invalid("webhook-id", Msg.Of("refusal.atMost", ("max", 128)));
        }

        var parsed = DotsEventParser.Parse(body);
        if (!parsed.IsValid)
        {
            return TypedResults.ValidationProblem(parsed.Errors, title: "The event does not match contract v1.");
        }

        var dotsEvent = parsed.Event!;
        if (dotsEvent.CompanyId is { } claimed && claimed != company.DotsCompanyId
            && await companies.RefreshAsync(company, cancellationToken) is { } current)
        {
            // The company's Dots id may have been edited on another instance.
            company = current;
        }

        OrderProblems.EnsureAcceptable(dotsEvent, company.DotsCompanyId);

        var stored = await inbox.AppendAsync(company.Id, webhookId, timestamp, dotsEvent, body, cancellationToken);
        var answer = new DotsEventAccepted(
            stored.Id, "received", stored.DotsOrderId is null ? null : $"/api/companies/{company.Id}/dots-orders/{Uri.EscapeDataString(stored.DotsOrderId)}");
        return stored.IsNew ? TypedResults.Accepted($"/api/inbox/{stored.Id}", answer) : TypedResults.Ok(answer);
    }

    // Delegates to the one constant-time verifier (StandardWebhookSignature.Verify) with the cached secrets.
    private static SignatureFailure CheckSignature(
        IntakeCompany company, string webhookId, string timestamp, string signature, ReadOnlyMemory<byte> body, TimeProvider time) =>
        StandardWebhookSignature.Verify(company.Secrets, webhookId, timestamp, signature, body.Span, time.GetUtcNow());

    private static string Clip(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a Dots webhook for company {CompanyKey}: {Failure}")]
    private static partial void LogRejected(ILogger logger, string companyKey, SignatureFailure failure);
}
