using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Alerts;
using OrderHub.Integrations.Telegram;

namespace OrderHub.Api.Alerts;

/// <summary>
/// Long polling (<c>Telegram:UpdatesMode=Polling</c>): one <c>getUpdates</c> loop per enabled bot. The offset is
/// stored after each batch is handled, so a restart neither loses nor repeats commands. Telegram allows one
/// poller per token: a second instance gets 409 and keeps retrying quietly until it is the one.
/// </summary>
public sealed partial class TelegramUpdatePoller(
    IServiceScopeFactory scopes,
    IOptions<TelegramOptions> options,
    ILogger<TelegramUpdatePoller> logger) : BackgroundService
{
    private readonly SemaphoreSlim _refresh = new(0, 1);

    /// <summary>A bot was connected or changed: look at the bots now rather than at the next refresh.</summary>
    public void Wake()
    {
        try
        {
            _refresh.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var loops = new Dictionary<Guid, (CancellationTokenSource Stop, Task Loop)>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                List<Guid> bots;
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
                    bots = await db.TelegramBots.AsNoTracking().Where(b => b.Enabled).Select(b => b.Id).ToListAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
                {
                    LogPollFailed(logger, exception, 0);
                    bots = [.. loops.Keys];
                }

                // A loop reads its bot afresh before every getUpdates, so a changed token needs no restart.
                foreach (var gone in loops.Keys.Except(bots).ToList())
                {
                    await loops[gone].Stop.CancelAsync();
                    loops.Remove(gone);
                }

                foreach (var id in bots.Where(id => !loops.ContainsKey(id)))
                {
                    var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    loops[id] = (stop, Task.Run(() => PollAsync(id, stop.Token), CancellationToken.None));
                }

                await _refresh.WaitAsync(options.Value.BotRefreshInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        foreach (var (stop, _) in loops.Values)
        {
            await stop.CancelAsync();
        }

        await Task.WhenAll(loops.Values.Select(l => l.Loop));
    }

    private async Task PollAsync(Guid botRowId, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
                var client = scope.ServiceProvider.GetRequiredService<TelegramBotClient>();
                var protector = scope.ServiceProvider.GetRequiredService<SecretProtector>();
                var bot = await db.TelegramBots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == botRowId, cancellationToken);
                if (bot is not { Enabled: true })
                {
                    return;
                }

                var (result, updates) = await client.GetUpdatesAsync(protector.Unprotect(bot.TokenProtected), bot.UpdateOffset, options.Value.PollTimeout, cancellationToken);
                if (!result.IsOk)
                {
                    LogPollRefused(logger, bot.BotId, result.HttpStatus ?? 0, result.Description ?? "");
                    await Task.Delay(options.Value.PollErrorDelay, cancellationToken);
                    continue;
                }

                foreach (var update in updates.OrderBy(u => u.Id))
                {
                    await HandleOneAsync(bot, update, cancellationToken);
                    await using var offsetScope = scopes.CreateAsyncScope();
                    await offsetScope.ServiceProvider.GetRequiredService<OrderHubDbContext>().TelegramBots
                        .Where(b => b.Id == botRowId && b.UpdateOffset <= update.Id)
                        .ExecuteUpdateAsync(set => set.SetProperty(b => b.UpdateOffset, update.Id + 1), cancellationToken);
                    bot.UpdateOffset = update.Id + 1;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                LogPollFailed(logger, exception, 0);
                try
                {
                    await Task.Delay(options.Value.PollErrorDelay, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task HandleOneAsync(TelegramBot bot, global::Telegram.Bot.Types.Update update, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<TelegramUpdateHandler>().HandleAsync(bot, update, cancellationToken);
        }
        catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
        {
            // One bad update must not stop the bot: it is skipped (the offset moves on) and logged.
            LogUpdateFailed(logger, exception, bot.BotId, update.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram long polling failed (bot {BotId}); trying again shortly")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, long botId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram refused getUpdates for bot {BotId} ({Status}): {Description}")]
    private static partial void LogPollRefused(ILogger logger, long botId, int status, string description);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bot {BotId}: update {UpdateId} could not be handled and was skipped")]
    private static partial void LogUpdateFailed(ILogger logger, Exception exception, long botId, long updateId);
}
