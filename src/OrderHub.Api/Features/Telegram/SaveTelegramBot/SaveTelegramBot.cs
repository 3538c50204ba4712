using System.Security.Cryptography;
using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Alerts;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Alerts;
using OrderHub.Integrations.Telegram;

namespace OrderHub.Api.Features.Telegram.SaveTelegramBot;

/// <summary>A company's bot as the API shows it: never the token, only <c>hasToken</c>.</summary>
public sealed record TelegramBotDto(Guid CompanyId, long BotId, bool HasToken, bool Enabled, string UpdatesMode, string? WebhookUrl, DateTimeOffset UpdatedAt);

/// <summary>
/// Connects (or changes) the company's bot. The token is write-only: omit it to keep the stored one. A new token is
/// checked with Telegram (<c>setMyCommands</c>, which also publishes the command menu) and, in webhook mode, the
/// webhook is set with a fresh secret token; nothing is stored when Telegram refuses.
/// </summary>
public sealed record SaveTelegramBotCommand : IRequest<TelegramBotDto>
{
    [JsonIgnore]
    public Guid CompanyId { get; init; }

    /// <summary>The Bot API token from @BotFather (<c>123456:ABC…</c>). Write-only.</summary>
    public string? Token { get; init; }

    /// <summary>Default true. A disabled bot sends nothing; its queued messages fail.</summary>
    public bool? Enabled { get; init; }

    public override string ToString() => $"{nameof(SaveTelegramBotCommand)} {{ CompanyId = {CompanyId}, Enabled = {Enabled} }}";
}

public sealed class SaveTelegramBotValidator : AbstractValidator<SaveTelegramBotCommand>
{
    public SaveTelegramBotValidator()
    {
        RuleFor(c => c.Token).MaximumLength(256)
            .Must(t => TelegramBotClient.BotIdOf(t!) is not null && t!.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is ':' or '_' or '-'))
            .When(c => c.Token is not null)
            .WithMessageKey("valid.botToken");
    }
}

public sealed partial class SaveTelegramBotHandler(
    OrderHubDbContext db,
    AccessScope access,
    SecretProtector protector,
    TelegramBotClient client,
    IOptions<TelegramOptions> options,
    TelegramUpdatePoller poller,
    TimeProvider time,
    ILogger<SaveTelegramBotHandler> logger) : IRequestHandler<SaveTelegramBotCommand, TelegramBotDto>
{
    public async Task<TelegramBotDto> Handle(SaveTelegramBotCommand request, CancellationToken cancellationToken)
    {
        await TelegramAccess.EnsureCompanyAsync(db, access, request.CompanyId, cancellationToken);
        var now = time.GetUtcNow();
        var bot = await db.TelegramBots.FirstOrDefaultAsync(b => b.CompanyId == request.CompanyId, cancellationToken);
        if (bot is null && request.Token is null)
        {
            throw ProblemException.Invalid("token", Msg.Of("refusal.botToken"));
        }

        bot ??= db.TelegramBots.Add(new TelegramBot { CompanyId = request.CompanyId, CreatedAt = now }).Entity;
        var token = request.Token ?? protector.Unprotect(bot.TokenProtected);
        if (request.Token is not null)
        {
            var botId = TelegramBotClient.BotIdOf(request.Token)!.Value;
            if (await db.TelegramBots.AnyAsync(b => b.BotId == botId && b.CompanyId != request.CompanyId, cancellationToken))
            {
                // Says nothing of who uses the bot: that another tenant does is not this caller's to know.
                throw ProblemException.Conflict(
                    Msg.Of("problem.tokenUnusable"),
                    Msg.Of("problem.tokenUnusable.detail"),
                    new Dictionary<string, object?>
                    {
                        ["errors"] = new Dictionary<string, string[]> { ["token"] = [MessageCatalog.Render(Msg.Of("problem.tokenUnusable.field"), MessageCatalog.CurrentLanguage)] },
                    });
            }

            if (bot.BotId != botId)
            {
                bot.UpdateOffset = 0;
            }

            bot.BotId = botId;
            bot.TokenProtected = protector.Protect(request.Token);
            bot.WebhookSecretProtected = protector.Protect(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        }

        bot.Enabled = request.Enabled ?? bot.Enabled;
        bot.UpdatedAt = now;

        if (request.Token is not null)
        {
            // The commands menu is a convenience: a Bot API that refuses it (or is slow to) still connects the bot.
            // The token itself is checked by the webhook call below, which every bot must answer.
            var commands = await client.SetMyCommandsAsync(token, TelegramUpdateHandler.Commands, cancellationToken);
            if (!commands.IsOk)
            {
                LogCommandsMenuRefused(logger, bot.BotId, commands.HttpStatus, commands.Description);
            }

            var webhook = WebhookUrl(options.Value, bot.BotId);
            Check(webhook is null
                ? await client.DeleteWebhookAsync(token, cancellationToken)
                : await client.SetWebhookAsync(token, webhook, protector.Unprotect(bot.WebhookSecretProtected), cancellationToken), webhook is null ? "deleteWebhook" : "setWebhook");
        }

        await db.SaveChangesAsync(cancellationToken);
        poller.Wake();
        return ToDto(bot, options.Value);
    }

    public static string? WebhookUrl(TelegramOptions options, long botId) =>
        options.UpdatesMode == TelegramUpdatesMode.Webhook ? $"{options.PublicBaseUrl!.TrimEnd('/')}/webhooks/telegram/{botId}" : null;

    public static TelegramBotDto ToDto(TelegramBot bot, TelegramOptions options) =>
        new(bot.CompanyId, bot.BotId, bot.TokenProtected.Length > 0, bot.Enabled, options.UpdatesMode.ToString(), WebhookUrl(options, bot.BotId), bot.UpdatedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram bot {BotId}: setMyCommands was refused (HTTP {Status}: {Description}); the bot is connected without a commands menu")]
    private static partial void LogCommandsMenuRefused(ILogger logger, long botId, int? status, string? description);

    private static void Check(TelegramResult result, string method)
    {
        if (result.IsOk)
        {
            return;
        }

        throw result.Outcome == TelegramOutcome.Refused
            ? new ProblemException(StatusCodes.Status422UnprocessableEntity, "Telegram refused the bot",
                $"Telegram answered {method} with {result.HttpStatus}: {result.Description}. Check the token with @BotFather.",
                new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["token"] = ["Telegram refused this token."] } })
            : new ProblemException(StatusCodes.Status502BadGateway, "Telegram is not reachable",
                $"{method} failed: {result.Description}. Nothing was stored; try again.");
    }
}

public sealed record GetTelegramBotQuery(Guid CompanyId) : IRequest<TelegramBotDto>;

public sealed class GetTelegramBotHandler(OrderHubDbContext db, AccessScope access, IOptions<TelegramOptions> options)
    : IRequestHandler<GetTelegramBotQuery, TelegramBotDto>
{
    public async Task<TelegramBotDto> Handle(GetTelegramBotQuery request, CancellationToken cancellationToken)
    {
        await TelegramAccess.EnsureCompanyAsync(db, access, request.CompanyId, cancellationToken);
        var bot = await db.TelegramBots.AsNoTracking().FirstOrDefaultAsync(b => b.CompanyId == request.CompanyId, cancellationToken)
                  ?? throw new ProblemException(StatusCodes.Status404NotFound, "Telegram bot not found", "The company has no Telegram bot; connect one with PUT and its token.");
        return SaveTelegramBotHandler.ToDto(bot, options.Value);
    }
}

public static class TelegramAccess
{
    /// <summary>404 unless the company exists and the caller may see it.</summary>
    public static async Task EnsureCompanyAsync(OrderHubDbContext db, AccessScope access, Guid companyId, CancellationToken cancellationToken)
    {
        if (!await db.Companies.AsNoTracking().AnyAsync(c => c.Id == companyId, cancellationToken))
        {
            throw ProblemException.NotFound("Company", companyId);
        }

        await access.EnsureCanSeeAsync(companyId, "Company", companyId, cancellationToken);
    }
}
