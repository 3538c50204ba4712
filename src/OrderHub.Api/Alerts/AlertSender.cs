using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Persistence;
using OrderHub.Api.Processing;
using OrderHub.Api.Security;
using OrderHub.Domain.Alerts;
using OrderHub.Integrations.Telegram;

namespace OrderHub.Api.Alerts;

/// <summary>One chat's claimed messages, sent in one attempt.</summary>
public sealed record AlertChat(string Claim, Dictionary<Guid, string?> Bots, List<AlertMessage> Messages);

/// <summary>
/// Sends the alert outbox on the processing engine: claims due messages with a lease, merges alerts of one group
/// key due together for one chat into one message, paces per chat, per group and overall, and writes each outcome
/// only while it still holds the claim. Telegram away: the messages stay pending with a growing pause and go out
/// once it is back; a 429 holds the chat for <c>retry_after</c>; a group that became a supergroup gets its new id
/// stored and the message sent there.
/// </summary>
public sealed partial class AlertSender(
    IServiceScopeFactory scopes,
    InstanceIdentity instance,
    QueueWake wake,
    TelegramPacer pacer,
    IOptions<TelegramOptions> options,
    TimeProvider time,
    ILogger<AlertSender> logger)
    : LeasedQueue<AlertChat, NoOutcome>(QueueName.Alerts, scopes, instance, wake, time, logger)
{
    private const int MaxLines = 30;
    private static readonly JsonSerializerOptions KeyboardJson = new(JsonSerializerDefaults.Web);

    /// <summary>Every chat of a round at once: the pacer keeps each chat, group and the bot within Telegram's limits.</summary>
    protected override QueueSettings Settings { get; } = new()
    {
        Concurrency = options.Value.BatchSize,
        BatchSize = options.Value.BatchSize,
        LeaseDuration = options.Value.LeaseDuration,
        PollInterval = options.Value.SenderPollInterval,
    };

    protected override async Task<IReadOnlyList<AlertChat>> LoadAsync(OrderHubDbContext db, IReadOnlyList<Guid> ids, string token, CancellationToken cancellationToken)
    {
        var claimed = await db.AlertMessages.AsNoTracking().Where(m => ids.Contains(m.Id) && m.LeaseOwner == token)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(cancellationToken);
        if (claimed.Count == 0)
        {
            return [];
        }

        var bots = await BotTokensAsync(claimed.Select(m => m.CompanyId).Distinct().ToList(), cancellationToken);
        return claimed.GroupBy(m => (m.CompanyId, m.ChatId)).Select(chat => new AlertChat(token, bots, [.. chat])).ToList();
    }

    protected override async Task<NoOutcome?> AttemptAsync(AlertChat work, CancellationToken abandon)
    {
        await SendChatAsync(work.Claim, work.Bots, work.Messages, abandon);
        return null;
    }

    private async Task<Dictionary<Guid, string?>> BotTokensAsync(List<Guid> companies, CancellationToken cancellationToken)
    {
        await using var scope = Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var protector = scope.ServiceProvider.GetRequiredService<SecretProtector>();
        var bots = await db.TelegramBots.AsNoTracking().Where(b => companies.Contains(b.CompanyId)).ToListAsync(cancellationToken);
        return companies.ToDictionary(c => c, c => bots.FirstOrDefault(b => b.CompanyId == c) is { Enabled: true } bot ? protector.Unprotect(bot.TokenProtected) : null);
    }

    private async Task SendChatAsync(string claim, Dictionary<Guid, string?> bots, List<AlertMessage> messages, CancellationToken cancellationToken)
    {
        await using var scope = Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var client = scope.ServiceProvider.GetRequiredService<TelegramBotClient>();
        var companyId = messages[0].CompanyId;
        var chatId = messages[0].ChatId;
        if (bots[companyId] is not { } botToken)
        {
            await FinishAsync(db, claim, messages, AlertMessageState.Failed, "The company has no enabled Telegram bot.", null, null);
            return;
        }

        if (pacer.HeldUntil(chatId) is { } held)
        {
            await RescheduleAsync(db, claim, messages, held, "Held back by an earlier 429 from Telegram.");
            return;
        }

        var batches = Batches(messages).ToList();
        for (var i = 0; i < batches.Count; i++)
        {
            var batch = batches[i];
            var (text, keyboard) = Compose(batch);
            if (await WaitTurnAsync(chatId, cancellationToken) is { } later)
            {
                // A long wait (a group's per-minute limit) is not spent holding the lease: the rest goes back to the queue.
                await RescheduleAsync(db, claim, batches.Skip(i).SelectMany(b => b).ToList(), Time.GetUtcNow() + later, null);
                return;
            }

            var (result, _) = await client.SendMessageAsync(botToken, chatId, text, keyboard, cancellationToken);
            if (result.Outcome == TelegramOutcome.Migrated && result.MigrateToChatId is { } newChatId)
            {
                await MigrateAsync(db, companyId, chatId, newChatId, cancellationToken);
                LogMigrated(logger, chatId, newChatId);
                chatId = newChatId;
                if (await WaitTurnAsync(chatId, cancellationToken) is { } wait)
                {
                    await Task.Delay(wait, cancellationToken);
                    await pacer.WaitTurnAsync(chatId, cancellationToken);
                }

                (result, _) = await client.SendMessageAsync(botToken, chatId, text, keyboard, cancellationToken);
            }

            var now = Time.GetUtcNow();
            switch (result.Outcome)
            {
                case TelegramOutcome.Ok:
                    await FinishAsync(db, claim, batch, AlertMessageState.Sent, null, result.MessageId, now);
                    break;

                case TelegramOutcome.TooManyRequests:
                    var pause = result.RetryAfter ?? TimeSpan.FromSeconds(1);
                    pacer.HoldBack(chatId, now + pause);
                    LogThrottled(logger, chatId, pause.TotalSeconds);
                    // This batch and the rest of the chat's: none before retry_after.
                    await RescheduleAsync(db, claim, batches.Skip(i).SelectMany(b => b).ToList(), now + pause, result.Description);
                    return;

                case TelegramOutcome.Unavailable or TelegramOutcome.Migrated:
                    LogUnavailable(logger, chatId, result.Description ?? "");
                    var rest = batches.Skip(i).SelectMany(b => b).ToList();
                    var attempts = rest.Max(m => m.Attempts);
                    await RescheduleAsync(db, claim, rest, now + Backoff(attempts), result.Description);
                    return;

                default:
                    LogRefused(logger, chatId, result.HttpStatus ?? 0, result.Description ?? "");
                    await FinishAsync(db, claim, batch, AlertMessageState.Failed, $"Telegram refused the message: {result.Description}", null, null);
                    break;
            }
        }
    }

    /// <summary>Waits for the chat's turn when it is near; returns the wait instead when it is longer than a quarter of the lease.</summary>
    private async Task<TimeSpan?> WaitTurnAsync(long chatId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = pacer.TryBook(chatId);
            if (wait <= TimeSpan.Zero)
            {
                return null;
            }

            if (wait > options.Value.LeaseDuration / 4)
            {
                return wait;
            }

            await Task.Delay(wait, cancellationToken);
        }
    }

    /// <summary>Alerts of one group key go together (in order of arrival); everything else alone.</summary>
    private static IEnumerable<List<AlertMessage>> Batches(List<AlertMessage> messages)
    {
        var taken = new HashSet<Guid>();
        foreach (var message in messages)
        {
            if (!taken.Add(message.Id))
            {
                continue;
            }

            if (message.GroupKey is null || message.GroupHeading is null || message.Line is null)
            {
                yield return [message];
                continue;
            }

            var group = messages.Where(m => m.GroupKey == message.GroupKey && m.Line is not null && m.GroupHeading is not null && (m.Id == message.Id || taken.Add(m.Id))).ToList();
            yield return group;
        }
    }

    private static (string Text, IReadOnlyList<IReadOnlyList<TelegramButton>>? Keyboard) Compose(List<AlertMessage> batch)
    {
        if (batch.Count == 1)
        {
            var keyboard = batch[0].Keyboard is { } json ? JsonSerializer.Deserialize<List<List<TelegramButton>>>(json, KeyboardJson) : null;
            return (batch[0].Text, keyboard?.Select(r => (IReadOnlyList<TelegramButton>)r).ToList());
        }

        var heading = batch[0].GroupHeading!.Replace("{count}", batch.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var lines = batch.Take(MaxLines).Select(m => m.Line!).ToList();
        if (batch.Count > MaxLines)
        {
            lines.Add($"… and {batch.Count - MaxLines} more");
        }

        return (Html.Fit(heading + "\n" + string.Join("\n", lines)), null);
    }

    private TimeSpan Backoff(int attempts)
    {
        var o = options.Value;
        var pause = o.RetryBasePause * Math.Pow(2, Math.Clamp(attempts - 1, 0, 20));
        return pause > o.RetryMaxPause ? o.RetryMaxPause : pause;
    }

    private static async Task MigrateAsync(OrderHubDbContext db, Guid companyId, long from, long to, CancellationToken cancellationToken)
    {
        await db.TelegramChats.Where(c => c.CompanyId == companyId && c.ChatId == from)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.ChatId, to), cancellationToken);
        await db.AlertMessages.Where(m => m.CompanyId == companyId && m.ChatId == from && m.State == AlertMessageState.Pending)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.ChatId, to), cancellationToken);
    }

    /// <summary>
    /// Writes the outcome only for rows this claim still holds. Not cancellable: a message Telegram took must be
    /// marked sent even while the host stops, or it would be sent again.
    /// </summary>
    private static Task FinishAsync(OrderHubDbContext db, string claim, List<AlertMessage> batch, AlertMessageState state, string? error, long? messageId, DateTimeOffset? sentAt)
    {
        var ids = batch.Select(m => m.Id).ToList();
        return db.AlertMessages.Where(m => ids.Contains(m.Id) && m.LeaseOwner == claim)
            .ExecuteUpdateAsync(set => set
                .SetProperty(m => m.State, state)
                .SetProperty(m => m.LastError, error)
                .SetProperty(m => m.TelegramMessageId, messageId)
                .SetProperty(m => m.SentAt, sentAt)
                .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
    }

    private static Task RescheduleAsync(OrderHubDbContext db, string claim, List<AlertMessage> rest, DateTimeOffset next, string? error)
    {
        var ids = rest.Select(m => m.Id).ToList();
        var text = error is null ? null : error.Length > 1000 ? error[..1000] : error;
        return db.AlertMessages.Where(m => ids.Contains(m.Id) && m.LeaseOwner == claim)
            .ExecuteUpdateAsync(set => set
                .SetProperty(m => m.NextAttemptAt, next)
                .SetProperty(m => m.LastError, text)
                .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram chat {ChatId} became supergroup {NewChatId}; stored and resent")]
    private static partial void LogMigrated(ILogger logger, long chatId, long newChatId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram throttled chat {ChatId}: waiting {Seconds} s")]
    private static partial void LogThrottled(ILogger logger, long chatId, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram unavailable for chat {ChatId}: {Description}; the messages stay queued")]
    private static partial void LogUnavailable(ILogger logger, long chatId, string description);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram refused a message to chat {ChatId} ({Status}): {Description}")]
    private static partial void LogRefused(ILogger logger, long chatId, int status, string description);
}
