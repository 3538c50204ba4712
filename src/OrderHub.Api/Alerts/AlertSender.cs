using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Alerts;
using OrderHub.Integrations.Telegram;

namespace OrderHub.Api.Alerts;

/// <summary>
/// Sends the alert outbox: claims due messages with a lease (the export dispatcher's conditional UPDATE, the same
/// SQL on SQLite and PostgreSQL), merges alerts of one group key due together for one chat into one message,
/// paces per chat, per group and overall, and writes each outcome only while it still holds the claim. Telegram
/// away: the messages stay pending with a growing pause and go out once it is back; a 429 holds the chat for
/// <c>retry_after</c>; a group that became a supergroup gets its new id stored and the message sent there.
/// </summary>
public sealed partial class AlertSender(
    IServiceScopeFactory scopes,
    AlertSignal signal,
    TelegramPacer pacer,
    IOptions<TelegramOptions> options,
    TimeProvider time,
    ILogger<AlertSender> logger) : BackgroundService
{
    private const int MaxLines = 30;
    private static readonly JsonSerializerOptions KeyboardJson = new(JsonSerializerDefaults.Web);
    private readonly string _owner = OwnerId();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var sent = await RunOnceAsync(stoppingToken);
                if (sent == 0)
                {
                    await signal.WaitAsync(options.Value.SenderPollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is System.Data.Common.DbException or DbUpdateException or InvalidOperationException or TimeoutException)
            {
                // The database is away for a moment: the messages wait in it.
                LogRoundFailed(logger, exception);
                await Task.Delay(options.Value.SenderPollInterval, stoppingToken);
            }
        }
    }

    /// <summary>One round: claim what is due, send it; returns how many messages were claimed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var (token, claimed) = await ClaimAsync(cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }

        var bots = await BotTokensAsync(claimed.Select(m => m.CompanyId).Distinct().ToList(), cancellationToken);
        await Task.WhenAll(claimed.GroupBy(m => (m.CompanyId, m.ChatId)).Select(chat => SendChatAsync(token, bots, [.. chat], cancellationToken)));
        return claimed.Count;
    }

    private async Task<(string Token, List<AlertMessage> Claimed)> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var now = time.GetUtcNow();
        var candidates = await db.AlertMessages.AsNoTracking()
            .Where(m => m.State == AlertMessageState.Pending && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.CreatedAt)
            .Select(m => m.Id)
            .Take(options.Value.BatchSize)
            .ToListAsync(cancellationToken);
        var token = $"{_owner}/{Guid.NewGuid():N}"[..(_owner.Length + 17)];
        if (candidates.Count == 0)
        {
            return (token, []);
        }

        var leaseUntil = now + options.Value.LeaseDuration;
        var updated = await db.AlertMessages
            .Where(m => candidates.Contains(m.Id) && m.State == AlertMessageState.Pending && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
            .ExecuteUpdateAsync(set => set
                .SetProperty(m => m.LeaseUntil, leaseUntil)
                .SetProperty(m => m.LeaseOwner, token)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1), cancellationToken);
        if (updated == 0)
        {
            return (token, []);
        }

        var won = await db.AlertMessages.AsNoTracking().Where(m => m.LeaseOwner == token).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(cancellationToken);
        return (token, won);
    }

    private async Task<Dictionary<Guid, string?>> BotTokensAsync(List<Guid> companies, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var protector = scope.ServiceProvider.GetRequiredService<SecretProtector>();
        var bots = await db.TelegramBots.AsNoTracking().Where(b => companies.Contains(b.CompanyId)).ToListAsync(cancellationToken);
        return companies.ToDictionary(c => c, c => bots.FirstOrDefault(b => b.CompanyId == c) is { Enabled: true } bot ? protector.Unprotect(bot.TokenProtected) : null);
    }

    private async Task SendChatAsync(string claim, Dictionary<Guid, string?> bots, List<AlertMessage> messages, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
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
                await RescheduleAsync(db, claim, batches.Skip(i).SelectMany(b => b).ToList(), time.GetUtcNow() + later, null);
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

            var now = time.GetUtcNow();
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

    private static string OwnerId()
    {
        var id = $"tg:{Environment.MachineName}:{Environment.ProcessId}";
        return id.Length <= 40 ? id : id[^40..];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert sender round failed; trying again shortly")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram chat {ChatId} became supergroup {NewChatId}; stored and resent")]
    private static partial void LogMigrated(ILogger logger, long chatId, long newChatId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram throttled chat {ChatId}: waiting {Seconds} s")]
    private static partial void LogThrottled(ILogger logger, long chatId, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram unavailable for chat {ChatId}: {Description}; the messages stay queued")]
    private static partial void LogUnavailable(ILogger logger, long chatId, string description);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram refused a message to chat {ChatId} ({Status}): {Description}")]
    private static partial void LogRefused(ILogger logger, long chatId, int status, string description);
}
