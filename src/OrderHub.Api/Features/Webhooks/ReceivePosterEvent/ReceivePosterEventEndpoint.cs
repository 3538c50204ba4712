using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.Extensions.Options;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Shared;
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
        IMediator mediator,
        IOptions<PosterAppOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var body = await WebhookBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        WebhookBody.RequireJson(request);
        var hook = PosterWebhookParser.Parse(body.Span)
                   ?? throw ProblemException.Invalid("$", Msg.Of("refusal.posterHook"));
        if (hook.Account.Length > MaxAccountLength || hook.Account.Any(char.IsControl))
        {
            throw ProblemException.Invalid("account", Msg.Of("refusal.posterAccount", ("max", MaxAccountLength)));
        }

        if (!PosterWebhookVerifier.Verify(hook, options.Value.ApplicationSecret ?? ""))
        {
            LogRejected(loggers.CreateLogger(typeof(ReceivePosterEventEndpoint)), LogValue.Safe(hook.Account));
            throw new ProblemException(StatusCodes.Status401Unauthorized, "Invalid webhook signature",
                "verify does not match md5(account;object;object_id;action;[data;]time;application_secret) with OrderHub's Poster application secret.");
        }

        if (hook.Object == "transaction")
        {
            return TypedResults.Ok(await mediator.Send(new RecordPosterCheckHistoryCommand(hook), cancellationToken));
        }

        if (!hook.IsIncomingOrderChange)
        {
            return TypedResults.Ok(new PosterEventReceipt("ignored", []));
        }

        return TypedResults.Ok(await mediator.Send(new ApplyPosterOrderStatusCommand(hook, body), cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a Poster webhook for account {Account}: verify does not match")]
    private static partial void LogRejected(ILogger logger, string account);
}
