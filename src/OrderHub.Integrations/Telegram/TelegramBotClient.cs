using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace OrderHub.Integrations.Telegram;

/// <summary>The Bot API endpoint. Section <c>Telegram</c> (the rest of the section belongs to the host).</summary>
public sealed class TelegramApiOptions
{
    public const string SectionName = "Telegram";

    /// <summary>Bot API base, without <c>/bot{token}</c>; the simulator's <c>…/telegram</c> in tests and the demo.</summary>
    [Required]
    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    /// <summary>One call except a long poll (which adds its own timeout).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// The few Bot API methods OrderHub uses, through Telegram.Bot on a typed HttpClient (one bot client per call: the
/// token is per company). Errors are translated into <see cref="TelegramResult"/> (429 with <c>retry_after</c>,
/// group migration with <c>migrate_to_chat_id</c>). No retries here — Telegram.Bot's own 429 retry is off — the
/// alert outbox retries, and its pacing holds across instances and restarts. The token is part of the URL, so
/// neither URLs nor exception messages are logged or returned.
/// </summary>
public sealed class TelegramBotClient(HttpClient http, IOptions<TelegramApiOptions> options)
{
    private static readonly UpdateType[] AllowedUpdates = [UpdateType.Message, UpdateType.CallbackQuery];

    private readonly TelegramApiOptions _options = options.Value;

    /// <summary>The bot's numeric id: the part of the token before ':' (public in Telegram, not a secret).</summary>
    public static long? BotIdOf(string token)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && long.TryParse(token.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && colon < token.Length - 1
            ? id
            : null;
    }

    public Task<(TelegramResult Result, Message? Message)> SendMessageAsync(
        string token, long chatId, string html, IReadOnlyList<IReadOnlyList<TelegramButton>>? keyboard, CancellationToken cancellationToken) =>
        CallAsync(token, _options.RequestTimeout, (bot, ct) => bot.SendMessage(
            chatId,
            html,
            ParseMode.Html,
            replyMarkup: keyboard is null ? null : new InlineKeyboardMarkup(keyboard.Select(row => row.Select(b => InlineKeyboardButton.WithCallbackData(b.Text, b.CallbackData)))),
            linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true },
            cancellationToken: ct), cancellationToken);

    /// <summary>Long polling: waits up to <paramref name="timeout"/> at Telegram for updates after <paramref name="offset"/>.</summary>
    public async Task<(TelegramResult Result, IReadOnlyList<Update> Updates)> GetUpdatesAsync(
        string token, long offset, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (result, updates) = await CallAsync(token, _options.RequestTimeout + timeout, (bot, ct) => bot.GetUpdates(
            (int)Math.Min(offset, int.MaxValue),
            timeout: (int)Math.Max(0, timeout.TotalSeconds),
            allowedUpdates: AllowedUpdates,
            cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        return (result, updates ?? []);
    }

    public async Task<TelegramResult> SetWebhookAsync(string token, string url, string secretToken, CancellationToken cancellationToken) =>
        (await CallAsync(token, _options.RequestTimeout, async (bot, ct) =>
        {
            await bot.SetWebhook(url, allowedUpdates: AllowedUpdates, secretToken: secretToken, cancellationToken: ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false)).Result;

    public async Task<TelegramResult> DeleteWebhookAsync(string token, CancellationToken cancellationToken) =>
        (await CallAsync(token, _options.RequestTimeout, async (bot, ct) =>
        {
            await bot.DeleteWebhook(cancellationToken: ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false)).Result;

    public async Task<TelegramResult> SetMyCommandsAsync(string token, IReadOnlyList<BotCommand> commands, CancellationToken cancellationToken) =>
        (await CallAsync(token, _options.RequestTimeout, async (bot, ct) =>
        {
            await bot.SetMyCommands(commands, cancellationToken: ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false)).Result;

    public async Task<TelegramResult> AnswerCallbackQueryAsync(string token, string callbackQueryId, string? text, CancellationToken cancellationToken) =>
        (await CallAsync(token, _options.RequestTimeout, async (bot, ct) =>
        {
            await bot.AnswerCallbackQuery(callbackQueryId, text, cancellationToken: ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false)).Result;

    private async Task<(TelegramResult Result, T? Value)> CallAsync<T>(
        string token, TimeSpan timeout, Func<ITelegramBotClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        // Telegram.Bot keeps only the scheme, host and port of a base URL; PathBaseHandler puts a path (the
        // simulator's …/telegram) back in front of /bot{token}/… .
        var bot = new global::Telegram.Bot.TelegramBotClient(new TelegramBotClientOptions(token, _options.ApiBaseUrl) { RetryCount = 0, RetryThreshold = 0 }, http);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            var value = await call(bot, cts.Token).ConfigureAwait(false);
            var messageId = value is Message message ? message.Id : (long?)null;
            return (new TelegramResult(TelegramOutcome.Ok, HttpStatus: 200) { MessageId = messageId }, value);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (new TelegramResult(TelegramOutcome.Unavailable, $"No answer from Telegram within {timeout.TotalSeconds:0.#} s."), default);
        }
        catch (ApiRequestException refused)
        {
            var status = refused.HttpStatusCode is { } code && code != default ? (int)code : refused.ErrorCode;
            var description = Trim(refused.Message) ?? $"HTTP {status}";
            if (refused.Parameters?.MigrateToChatId is { } migrated)
            {
                return (new TelegramResult(TelegramOutcome.Migrated, description, status) { MigrateToChatId = migrated }, default);
            }

            if (refused.ErrorCode == 429 || status == 429)
            {
                return (new TelegramResult(TelegramOutcome.TooManyRequests, description, status) { RetryAfter = TimeSpan.FromSeconds(Math.Max(1, refused.Parameters?.RetryAfter ?? 1)) }, default);
            }

            return (new TelegramResult(Judge(status), description, status), default);
        }
        catch (RequestException failed)
        {
            // Not Telegram's JSON (a proxy's error page, a connection refused). Never the exception's message: it
            // can carry the URL, and the URL carries the token.
            if (failed.HttpStatusCode is { } code && code != default)
            {
                var status = (int)code;
                return code == HttpStatusCode.TooManyRequests
                    ? (new TelegramResult(TelegramOutcome.TooManyRequests, $"HTTP {status}", status) { RetryAfter = TimeSpan.FromSeconds(1) }, default)
                    : (new TelegramResult(Judge(status), $"HTTP {status}", status), default);
            }

            var reason = failed.InnerException is HttpRequestException inner ? inner.HttpRequestError.ToString() : "no answer";
            return (new TelegramResult(TelegramOutcome.Unavailable, $"Telegram could not be reached ({reason})."), default);
        }
    }

    private static TelegramOutcome Judge(int status) =>
        status >= 500 || status == 0 || status == (int)HttpStatusCode.RequestTimeout ? TelegramOutcome.Unavailable : TelegramOutcome.Refused;

    private static string? Trim(string? text) => text is null ? null : text.Length <= 300 ? text : text[..300];
}

/// <summary>Puts the configured base URL's path back in front of Telegram.Bot's <c>/bot{token}/{method}</c>.</summary>
internal sealed class PathBaseHandler(IOptions<TelegramApiOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var basePath = new Uri(options.Value.ApiBaseUrl).AbsolutePath.TrimEnd('/');
        if (basePath.Length > 0 && request.RequestUri is { } uri && !uri.AbsolutePath.StartsWith(basePath + "/", StringComparison.Ordinal))
        {
            request.RequestUri = new UriBuilder(uri) { Path = basePath + uri.AbsolutePath }.Uri;
        }

        return base.SendAsync(request, cancellationToken);
    }
}

public static class TelegramClientRegistration
{
    /// <summary>Registers <see cref="TelegramBotClient"/> as a typed HttpClient (redirects off). Options: <c>Telegram</c>.</summary>
    public static IServiceCollection AddTelegramBotClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelegramApiOptions>().Bind(configuration.GetSection(TelegramApiOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out _), "Telegram:ApiBaseUrl must be an absolute URL.")
            .ValidateOnStart();
        services.AddTransient<PathBaseHandler>();
        services.AddHttpClient<TelegramBotClient>(http =>
            {
                // Each call has its own timeout (a long poll waits longer than a send).
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.DefaultRequestHeaders.UserAgent.ParseAdd("OrderHub/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(5),
            })
            .AddHttpMessageHandler<PathBaseHandler>()
            // The default HttpClient logs write the request URL, and a Bot API URL carries the token.
            .RemoveAllLoggers();
        return services;
    }
}
