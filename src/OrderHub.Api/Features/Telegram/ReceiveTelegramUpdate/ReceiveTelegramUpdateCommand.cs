using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Alerts;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using BotUpdate = global::Telegram.Bot.Types.Update;
using JsonBotAPI = global::Telegram.Bot.JsonBotAPI;

namespace OrderHub.Api.Features.Telegram.ReceiveTelegramUpdate;

/// <summary>
/// An update Telegram posted for one of the bots: accepted only with the bot's secret token (compared in constant
/// time), then handled as the poller would handle it (a command or a button press).
/// </summary>
public sealed record ReceiveTelegramUpdateCommand(long BotId, string SecretToken, ReadOnlyMemory<byte> Body) : IRequest<Unit>;

public sealed partial class ReceiveTelegramUpdateHandler(
    OrderHubDbContext db,
    SecretProtector protector,
    TelegramUpdateHandler handler,
    ILogger<ReceiveTelegramUpdateHandler> logger) : IRequestHandler<ReceiveTelegramUpdateCommand, Unit>
{
    public async Task<Unit> Handle(ReceiveTelegramUpdateCommand request, CancellationToken cancellationToken)
    {
        var bot = await db.TelegramBots.AsNoTracking().FirstOrDefaultAsync(b => b.BotId == request.BotId && b.Enabled, cancellationToken)
                  ?? throw new ProblemException(StatusCodes.Status404NotFound, "Bot not found", "No enabled bot has this id.");
        var expected = Encoding.UTF8.GetBytes(protector.Unprotect(bot.WebhookSecretProtected));
        var actual = Encoding.UTF8.GetBytes(request.SecretToken);
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            LogRejected(logger, request.BotId);
            throw new ProblemException(StatusCodes.Status401Unauthorized, "Invalid secret token",
                $"{ReceiveTelegramUpdateEndpoint.SecretHeader} does not match the secret token OrderHub gave Telegram with setWebhook.");
        }

        BotUpdate? update;
        try
        {
            update = JsonSerializer.Deserialize<BotUpdate>(request.Body.Span, JsonBotAPI.Options);
        }
        catch (JsonException)
        {
            update = null;
        }

        if (update is null)
        {
            throw ProblemException.Invalid("$", Msg.Of("refusal.telegramUpdate"));
        }

        await handler.HandleAsync(bot, update, cancellationToken);
        return Unit.Value;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a Telegram update for bot {BotId}: the secret token does not match")]
    private static partial void LogRejected(ILogger logger, long botId);
}
