using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Alerts;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using BotUpdate = global::Telegram.Bot.Types.Update;
using JsonBotAPI = global::Telegram.Bot.JsonBotAPI;

namespace OrderHub.Api.Features.Telegram.ReceiveTelegramUpdate;

/// <summary>
/// <c>POST /webhooks/telegram/{botId}</c> (<c>Telegram:UpdatesMode=Webhook</c>): an update from Telegram, which sends
/// the bot's secret token in <c>X-Telegram-Bot-Api-Secret-Token</c>; compared in constant time.
/// </summary>
public static partial class ReceiveTelegramUpdateEndpoint
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

    private static async Task<IResult> HandleAsync(
        long botId,
        HttpRequest request,
        OrderHubDbContext db,
        SecretProtector protector,
        TelegramUpdateHandler handler,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var body = await WebhookBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        WebhookBody.RequireJson(request);
        var bot = await db.TelegramBots.AsNoTracking().FirstOrDefaultAsync(b => b.BotId == botId && b.Enabled, cancellationToken)
                  ?? throw new ProblemException(StatusCodes.Status404NotFound, "Bot not found", "No enabled bot has this id.");
        var expected = Encoding.UTF8.GetBytes(protector.Unprotect(bot.WebhookSecretProtected));
        var actual = Encoding.UTF8.GetBytes(request.Headers[SecretHeader].ToString());
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            LogRejected(loggers.CreateLogger(typeof(ReceiveTelegramUpdateEndpoint)), botId);
            throw new ProblemException(StatusCodes.Status401Unauthorized, "Invalid secret token",
                $"{SecretHeader} does not match the secret token OrderHub gave Telegram with setWebhook.");
        }

        BotUpdate? update;
        try
        {
            update = JsonSerializer.Deserialize<BotUpdate>(body.Span, JsonBotAPI.Options);
        }
        catch (JsonException)
        {
            update = null;
        }

        if (update is null)
        {
            throw ProblemException.Invalid("$", "Expected a Telegram Update object.");
        }

        await handler.HandleAsync(bot, update, cancellationToken);
        return TypedResults.Ok();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a Telegram update for bot {BotId}: the secret token does not match")]
    private static partial void LogRejected(ILogger logger, long botId);
}
