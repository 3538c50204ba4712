using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Alerts;
using OrderHub.Integrations.Telegram;

namespace OrderHub.Api.Alerts;

/// <summary>An alert's text, and how it reads as one line of a merged message.</summary>
public sealed record AlertContent(string Text)
{
    /// <summary>Alerts with the same key for one chat, due together, are merged into one message.</summary>
    public string? GroupKey { get; init; }

    /// <summary>The merged message's heading; <c>{count}</c> is replaced by the number of alerts.</summary>
    public string? GroupHeading { get; init; }

    public string? Line { get; init; }

    public IReadOnlyList<IReadOnlyList<TelegramButton>>? Keyboard { get; init; }
}

/// <summary>
/// Adds outbox rows for an alert to every chat that should get it: the pickup point's chats and the company's
/// owners' chats, each only if it has the alert switched on (and passes the chat's thresholds). Adds to the
/// caller's context: the rows commit with the change that caused them, or not at all.
/// </summary>
public sealed class AlertWriter(IOptions<TelegramOptions> options, TimeProvider time)
{
    private static readonly JsonSerializerOptions KeyboardJson = new(JsonSerializerDefaults.Web);

    public TelegramOptions Options => options.Value;

    /// <summary>The chats of the company that see alerts of <paramref name="pickupPointId"/> (null: company-wide alerts reach the owners only).</summary>
    public static Task<List<TelegramChat>> ChatsForAsync(OrderHubDbContext db, Guid companyId, Guid? pickupPointId, CancellationToken cancellationToken) =>
        ChatsForAsync(db, companyId, pickupPointId is { } id ? [id] : [], cancellationToken);

    /// <summary>The owners' chats and those of each of <paramref name="pickupPointIds"/>, once each (an alert about several points).</summary>
    public static Task<List<TelegramChat>> ChatsForAsync(OrderHubDbContext db, Guid companyId, IReadOnlyCollection<Guid> pickupPointIds, CancellationToken cancellationToken) =>
        db.TelegramChats.AsNoTracking()
            .Where(c => c.CompanyId == companyId && (c.PickupPointId == null || pickupPointIds.Contains(c.PickupPointId.Value)))
            .ToListAsync(cancellationToken);

    /// <summary>Adds the alert for each chat that wants it, in each chat's language; returns how many rows were added.</summary>
    public async Task<int> AddAsync(
        OrderHubDbContext db,
        Guid companyId,
        Guid? pickupPointId,
        AlertKinds kind,
        Func<string, AlertContent> content,
        CancellationToken cancellationToken,
        string? dedupKey = null,
        Func<TelegramChat, bool>? wants = null,
        IReadOnlyList<TelegramChat>? chats = null)
    {
        chats ??= await ChatsForAsync(db, companyId, pickupPointId, cancellationToken);
        var added = 0;
        var byLanguage = new Dictionary<string, AlertContent>(StringComparer.Ordinal);
        foreach (var chat in chats)
        {
            if ((chat.Alerts & kind) == 0 || (wants is not null && !wants(chat)))
            {
                continue;
            }

            if (dedupKey is not null && await db.AlertMessages.AnyAsync(m => m.TelegramChatRowId == chat.Id && m.DedupKey == dedupKey, cancellationToken))
            {
                continue;
            }

            var language = LanguageOf(chat);
            if (!byLanguage.TryGetValue(language, out var text))
            {
                byLanguage[language] = text = content(language);
            }

            Add(db, chat, kind.ToString(), text, dedupKey, Options.GroupingDelay);
            added++;
        }

        return added;
    }

    /// <summary>Adds one message for one chat (a report or a reply), due at once.</summary>
    public AlertMessage Add(OrderHubDbContext db, TelegramChat chat, string kind, AlertContent content, string? dedupKey = null, TimeSpan? delay = null)
    {
        var message = Build(chat.CompanyId, chat.ChatId, kind, content, dedupKey, delay ?? TimeSpan.Zero);
        message.TelegramChatRowId = chat.Id;
        db.AlertMessages.Add(message);
        return message;
    }

    /// <summary>The chat's language for its texts: <c>en</c> or <c>uk</c> (anything else reads as Ukrainian, the default).</summary>
    public static string LanguageOf(TelegramChat chat) => chat.Language == MessageCatalog.English ? MessageCatalog.English : MessageCatalog.Ukrainian;

    /// <summary>
    /// A reply to a chat that is not registered (e.g. a wrong <c>/start</c> code): its language is not known yet, so
    /// the <c>tg.*</c> <paramref name="key"/> reads in Ukrainian, then in English.
    /// </summary>
    public AlertMessage AddReply(OrderHubDbContext db, Guid companyId, long chatId, string key)
    {
        var html = AlertTexts.T(MessageCatalog.Ukrainian, key) + "\n" + AlertTexts.T(MessageCatalog.English, key);
        var message = Build(companyId, chatId, "reply", new AlertContent(html), null, TimeSpan.Zero);
        db.AlertMessages.Add(message);
        return message;
    }

    private AlertMessage Build(Guid companyId, long chatId, string kind, AlertContent content, string? dedupKey, TimeSpan delay)
    {
        var now = time.GetUtcNow();
        return new AlertMessage
        {
            CompanyId = companyId,
            ChatId = chatId,
            Kind = kind,
            GroupKey = content.GroupKey,
            GroupHeading = content.GroupHeading,
            Line = content.Line,
            Text = Html.Fit(content.Text),
            Keyboard = content.Keyboard is null ? null : JsonSerializer.Serialize(content.Keyboard, KeyboardJson),
            DedupKey = dedupKey,
            State = AlertMessageState.Pending,
            NextAttemptAt = now + delay,
            CreatedAt = now,
        };
    }

    /// <summary>An "open the order" link, or null when no public address is configured.</summary>
    public string? OrderLink(Guid orderId)
    {
        var root = Options.OrderLinkBase ?? (Options.PublicBaseUrl is { Length: > 0 } b ? b.TrimEnd('/') + "/api/orders/" : null);
        return root is null ? null : root + orderId;
    }
}
