using MediatR;
using OrderHub.Api.Shared;

namespace OrderHub.Api.Features.Telegram.ReceiveTelegramUpdate;

/// <summary>
/// <c>POST /webhooks/telegram/{botId}</c> (<c>Telegram:UpdatesMode=Webhook</c>): an update from Telegram, which sends
/// the bot's secret token in <c>X-Telegram-Bot-Api-Secret-Token</c>; compared in constant time.
/// </summary>
public static class ReceiveTelegramUpdateEndpoint
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";
    public const int MaxBodyBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/webhooks/telegram/{botId:long}", HandleAsync)
            .WithName("ReceiveTelegramUpdate")
            .WithTags("Webhooks")
            .WithSummary("Receive a Telegram bot update (a command or a button press), with the bot's secret token header")
            .AllowAnonymous()
            .Produces(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> HandleAsync(long botId, HttpRequest request, IMediator mediator, CancellationToken cancellationToken)
    {
        var body = await WebhookBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        WebhookBody.RequireJson(request);
        await mediator.Send(new ReceiveTelegramUpdateCommand(botId, request.Headers[SecretHeader].ToString(), body), cancellationToken);
        return TypedResults.Ok();
    }
}
