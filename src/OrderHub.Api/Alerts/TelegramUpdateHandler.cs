using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Alerts;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Telegram;
using static OrderHub.Api.Alerts.Html;
using BotCommand = Telegram.Bot.Types.BotCommand;
using BotMessage = Telegram.Bot.Types.Message;
using BotUpdate = Telegram.Bot.Types.Update;
using CallbackQuery = Telegram.Bot.Types.CallbackQuery;

namespace OrderHub.Api.Alerts;

/// <summary>
/// What a bot does with an update, whether it came by long polling or webhook: <c>/start CODE</c> registers the
/// chat; <c>/report [today|yesterday]</c>, <c>/status</c> and the report buttons answer through the outbox
/// (paced and retried like alerts). A location chat sees its own point; the owners' chat any point, or all.
/// </summary>
public sealed partial class TelegramUpdateHandler(
    OrderHubDbContext db,
    AlertWriter writer,
    ReportBuilder reports,
    TelegramBotClient client,
    SecretProtector protector,
    TimeProvider time,
    ILogger<TelegramUpdateHandler> logger)
{
    public static readonly IReadOnlyList<BotCommand> Commands =
    [
        new() { Command = "report", Description = "Today's report (add 'yesterday' for yesterday's)" },
        new() { Command = "status", Description = "What is stuck right now" },
        new() { Command = "start", Description = "Connect this chat with a code from OrderHub" },
    ];

    /// <summary>How many leading characters of a code find its row.</summary>
    public const int CodePrefixLength = 4;

    public static string Normalize(string code) => code.Trim().ToUpperInvariant();

    public static string HashCode(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(code))));

    public static string PrefixOf(string code) => Normalize(code) is var normal && normal.Length >= CodePrefixLength ? normal[..CodePrefixLength] : normal;

    public async Task HandleAsync(TelegramBot bot, BotUpdate update, CancellationToken cancellationToken)
    {
        if (update.CallbackQuery is { } callback)
        {
            await HandleCallbackAsync(bot, callback, cancellationToken);
        }
        else if (update.Message is { Text: { Length: > 0 } text } message && text.StartsWith('/'))
        {
            await HandleCommandAsync(bot, message, text, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task HandleCommandAsync(TelegramBot bot, BotMessage message, string text, CancellationToken cancellationToken)
    {
        var parts = text.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var command = parts[0].Split('@', 2)[0].ToLowerInvariant();
        var argument = parts.Length > 1 ? parts[1].ToLowerInvariant() : null;
        var chatId = message.Chat.Id;
        if (command == "/start")
        {
            await StartAsync(bot, message, parts.Length > 1 ? parts[1] : null, cancellationToken);
            return;
        }

        var chat = await db.TelegramChats.AsNoTracking().FirstOrDefaultAsync(c => c.CompanyId == bot.CompanyId && c.ChatId == chatId, cancellationToken);
        if (chat is null)
        {
            writer.AddReply(db, bot.CompanyId, chatId, "tg.reply.notConnected");
            return;
        }

        var l = AlertWriter.LanguageOf(chat);
        switch (command)
        {
            case "/report":
                if ((chat.Reports & ReportKinds.OnRequest) == 0)
                {
                    writer.Add(db, chat, "reply", new AlertContent(AlertTexts.T(l, "tg.reply.reportsOff")));
                    return;
                }

                var yesterday = argument is "yesterday" or "вчора";
                if (chat.PickupPointId is { } own)
                {
                    await AddDayReportAsync(chat, [own], yesterday, withButtons: true, cancellationToken);
                }
                else if (argument is null)
                {
                    await AddReportMenuAsync(chat, cancellationToken);
                }
                else
                {
                    await AddDayReportAsync(chat, null, yesterday, withButtons: false, cancellationToken);
                }

                break;

            case "/status":
                if ((chat.Reports & ReportKinds.Status) == 0)
                {
                    writer.Add(db, chat, "reply", new AlertContent(AlertTexts.T(l, "tg.reply.statusOff")));
                    return;
                }

                var points = await PointsOfAsync(chat, null, cancellationToken);
                writer.Add(db, chat, "status", new AlertContent(await reports.StatusAsync(points, l, cancellationToken)));
                break;

            default:
                writer.Add(db, chat, "reply", new AlertContent(AlertTexts.T(l, "tg.reply.commands")));
                break;
        }
    }

    private async Task StartAsync(TelegramBot bot, BotMessage message, string? code, CancellationToken cancellationToken)
    {
        var chatId = message.Chat.Id;
        var now = time.GetUtcNow();
        if (string.IsNullOrWhiteSpace(code))
        {
            writer.AddReply(db, bot.CompanyId, chatId, "tg.reply.sendCode");
            return;
        }

        var prefix = PrefixOf(code);
        var presented = Encoding.ASCII.GetBytes(HashCode(code));
        var candidates = await db.TelegramChatCodes.AsNoTracking()
            .Where(c => c.CompanyId == bot.CompanyId && c.CodePrefix == prefix && c.UsedAt == null && c.ExpiresAt > now)
            .Take(16)
            .ToListAsync(cancellationToken);
        var found = candidates.FirstOrDefault(c => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(c.CodeHash), presented));
        // Single use also under a race: only the update that flips UsedAt registers the chat.
        var taken = found is not null && await db.TelegramChatCodes
            .Where(c => c.Id == found.Id && c.UsedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.UsedAt, now), cancellationToken) == 1;
        if (!taken)
        {
            LogBadCode(logger, bot.BotId, chatId);
            writer.AddReply(db, bot.CompanyId, chatId, "tg.reply.badCode");
            return;
        }

        var point = found!.PickupPointId is { } pointId ? await db.PickupPoints.AsNoTracking().FirstOrDefaultAsync(p => p.Id == pointId, cancellationToken) : null;
        var chat = await db.TelegramChats.FirstOrDefaultAsync(c => c.CompanyId == bot.CompanyId && c.ChatId == chatId, cancellationToken);
        if (chat is null)
        {
            chat = db.TelegramChats.Add(new TelegramChat { CompanyId = bot.CompanyId, ChatId = chatId, CreatedAt = now }).Entity;
        }

        chat.PickupPointId = point?.Id;
        chat.Title = Truncate(message.Chat.Title ?? message.From?.FirstName ?? "", 256);
        chat.UpdatedAt = now;
        var l = AlertWriter.LanguageOf(chat);
        writer.Add(db, chat, "reply", new AlertContent(point is null
            ? AlertTexts.T(l, "tg.reply.owners")
            : AlertTexts.T(l, "tg.reply.point", ("point", E(point.Name)))));
    }

    private async Task HandleCallbackAsync(TelegramBot bot, CallbackQuery callback, CancellationToken cancellationToken)
    {
        var token = protector.Unprotect(bot.TokenProtected);
        var chat = callback.Message?.Chat.Id is { } known
            ? await db.TelegramChats.AsNoTracking().FirstOrDefaultAsync(c => c.CompanyId == bot.CompanyId && c.ChatId == known, cancellationToken)
            : null;
        // Answered at once (Telegram shows a spinner until then); the report itself goes through the outbox.
        await client.AnswerCallbackQueryAsync(token, callback.Id, AlertTexts.T(chat is null ? MessageCatalog.Ukrainian : AlertWriter.LanguageOf(chat), "tg.reply.preparing"), cancellationToken);
        if (callback.Message?.Chat.Id is null || callback.Data is not { } data)
        {
            return;
        }

        var parts = data.Split(':');
        if (chat is null || (chat.Reports & ReportKinds.OnRequest) == 0 || parts is not ["r", var scope, "t" or "y"])
        {
            return;
        }

        var yesterday = parts[2] == "y";
        if (scope == "all")
        {
            await AddDayReportAsync(chat, null, yesterday, withButtons: false, cancellationToken);
        }
        else if (Guid.TryParseExact(scope, "N", out var pointId))
        {
            await AddDayReportAsync(chat, [pointId], yesterday, withButtons: chat.PickupPointId is not null, cancellationToken);
        }
    }

    private async Task AddReportMenuAsync(TelegramChat chat, CancellationToken cancellationToken)
    {
        var l = AlertWriter.LanguageOf(chat);
        var points = await PointsOfAsync(chat, null, cancellationToken);
        // Button labels are plain text, not HTML: the catalog's templates are filled with the raw name.
        var rows = points.OrderBy(p => p.Name, StringComparer.Ordinal).Take(40)
            .Select(p => (IReadOnlyList<TelegramButton>)[
                new TelegramButton(AlertTexts.T(l, "tg.button.pointToday", ("point", Cut(p.Name))), $"r:{p.Id:N}:t"),
                new TelegramButton(AlertTexts.T(l, "tg.button.yesterday"), $"r:{p.Id:N}:y")])
            .Append([new TelegramButton(AlertTexts.T(l, "tg.button.allToday"), "r:all:t"), new TelegramButton(AlertTexts.T(l, "tg.button.allYesterday"), "r:all:y")])
            .ToList();
        writer.Add(db, chat, "reply", new AlertContent(AlertTexts.T(l, "tg.reply.whichReport")) { Keyboard = rows });
    }

    private async Task AddDayReportAsync(TelegramChat chat, IReadOnlyList<Guid>? only, bool yesterday, bool withButtons, CancellationToken cancellationToken)
    {
        var l = AlertWriter.LanguageOf(chat);
        var points = await PointsOfAsync(chat, only, cancellationToken);
        foreach (var point in points.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var day = reports.Today(point).AddDays(yesterday ? -1 : 0);
            var figures = await reports.FiguresAsync(point, day, cancellationToken);
            writer.Add(db, chat, "report", new AlertContent(ReportBuilder.Format(figures, yesterday ? "tg.report.yesterday" : "tg.report.today", l))
            {
                Keyboard = withButtons
                    ? [[new TelegramButton(AlertTexts.T(l, "tg.report.today"), $"r:{point.Id:N}:t"), new TelegramButton(AlertTexts.T(l, "tg.report.yesterday"), $"r:{point.Id:N}:y")]]
                    : null,
            });
        }
    }

    /// <summary>The points a chat may see: its own, or (owners) every point of the company, narrowed to <paramref name="only"/>.</summary>
    private async Task<List<PickupPoint>> PointsOfAsync(TelegramChat chat, IReadOnlyList<Guid>? only, CancellationToken cancellationToken)
    {
        var query = db.PickupPoints.AsNoTracking().Where(p => p.CompanyId == chat.CompanyId);
        if (chat.PickupPointId is { } own)
        {
            query = query.Where(p => p.Id == own);
        }

        if (only is not null)
        {
            query = query.Where(p => only.Contains(p.Id));
        }

        return await query.ToListAsync(cancellationToken);
    }

    private static string Cut(string name) => name.Length <= 24 ? name : name[..23] + "…";

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bot {BotId}: a /start with a wrong, used or expired code from chat {ChatId}")]
    private static partial void LogBadCode(ILogger logger, long botId, long chatId);
}
