using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
/// The few Bot API methods OrderHub uses, over a typed HttpClient. The token is part of the path, so request
/// URLs are never logged by this client; errors are translated into <see cref="TelegramResult"/> (429 with
/// <c>retry_after</c>, group migration with <c>migrate_to_chat_id</c>). No retries here: the alert outbox retries.
/// </summary>
public sealed class TelegramBotClient(HttpClient http, IOptions<TelegramApiOptions> options)
{
    private readonly TelegramApiOptions _options = options.Value;

    /// <summary>The bot's numeric id: the part of the token before ':' (public in Telegram, not a secret).</summary>
    public static long? BotIdOf(string token)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && long.TryParse(token.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && colon < token.Length - 1
            ? id
            : null;
    }

    public Task<(TelegramResult Result, TelegramMessage? Message)> SendMessageAsync(
        string token, long chatId, string html, IReadOnlyList<IReadOnlyList<TelegramButton>>? keyboard, CancellationToken cancellationToken) =>
        CallAsync<TelegramMessage>(token, "sendMessage", new
        {
            chat_id = chatId,
            text = html,
            parse_mode = "HTML",
            disable_web_page_preview = true,
            reply_markup = keyboard is null ? null : new { inline_keyboard = keyboard },
        }, _options.RequestTimeout, cancellationToken);

    /// <summary>Long polling: waits up to <paramref name="timeout"/> at Telegram for updates after <paramref name="offset"/>.</summary>
    public async Task<(TelegramResult Result, IReadOnlyList<TelegramUpdate> Updates)> GetUpdatesAsync(
        string token, long offset, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (result, updates) = await CallAsync<List<TelegramUpdate>>(token, "getUpdates", new
        {
            offset,
            timeout = (int)Math.Max(0, timeout.TotalSeconds),
            allowed_updates = new[] { "message", "callback_query" },
        }, _options.RequestTimeout + timeout, cancellationToken).ConfigureAwait(false);
        return (result, updates ?? []);
    }

    public async Task<TelegramResult> SetWebhookAsync(string token, string url, string secretToken, CancellationToken cancellationToken) =>
        (await CallAsync<bool>(token, "setWebhook", new
        {
            url,
            secret_token = secretToken,
            allowed_updates = new[] { "message", "callback_query" },
        }, _options.RequestTimeout, cancellationToken).ConfigureAwait(false)).Result;

    public async Task<TelegramResult> DeleteWebhookAsync(string token, CancellationToken cancellationToken) =>
        (await CallAsync<bool>(token, "deleteWebhook", new { }, _options.RequestTimeout, cancellationToken).ConfigureAwait(false)).Result;

    public async Task<TelegramResult> SetMyCommandsAsync(string token, IReadOnlyList<TelegramBotCommand> commands, CancellationToken cancellationToken) =>
        (await CallAsync<bool>(token, "setMyCommands", new { commands }, _options.RequestTimeout, cancellationToken).ConfigureAwait(false)).Result;

    public async Task<TelegramResult> AnswerCallbackQueryAsync(string token, string callbackQueryId, string? text, CancellationToken cancellationToken) =>
        (await CallAsync<bool>(token, "answerCallbackQuery", new { callback_query_id = callbackQueryId, text }, _options.RequestTimeout, cancellationToken).ConfigureAwait(false)).Result;

    private async Task<(TelegramResult Result, T? Value)> CallAsync<T>(string token, string method, object body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var url = $"{_options.ApiBaseUrl.TrimEnd('/')}/bot{token}/{method}";
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(url, body, TelegramJson.Options, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (new TelegramResult(TelegramOutcome.Unavailable, $"No answer from Telegram within {timeout.TotalSeconds:0.#} s."), default);
        }
        catch (HttpRequestException exception)
        {
            // Never the exception's message: it can carry the URL, and the URL carries the token.
            return (new TelegramResult(TelegramOutcome.Unavailable, $"Telegram could not be reached ({exception.HttpRequestError})."), default);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            TelegramEnvelope<T>? envelope = null;
            try
            {
                envelope = await response.Content.ReadFromJsonAsync<TelegramEnvelope<T>>(TelegramJson.Options, cts.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is JsonException or NotSupportedException or OperationCanceledException or HttpRequestException)
            {
                // Not Telegram's JSON (a proxy's error page): judged by the status below.
            }

            if (envelope is { Ok: true })
            {
                var messageId = envelope.Result is TelegramMessage message ? message.MessageId : (long?)null;
                return (new TelegramResult(TelegramOutcome.Ok, HttpStatus: status) { MessageId = messageId }, envelope.Result);
            }

            var description = Trim(envelope?.Description) ?? $"HTTP {status}";
            if (envelope?.Parameters?.MigrateToChatId is { } migrated)
            {
                return (new TelegramResult(TelegramOutcome.Migrated, description, status) { MigrateToChatId = migrated }, default);
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests || envelope?.ErrorCode == 429)
            {
                var seconds = envelope?.Parameters?.RetryAfter ?? (int?)response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 1;
                return (new TelegramResult(TelegramOutcome.TooManyRequests, description, status) { RetryAfter = TimeSpan.FromSeconds(Math.Max(1, seconds)) }, default);
            }

            var outcome = status >= 500 || status == 0 || response.StatusCode == HttpStatusCode.RequestTimeout
                ? TelegramOutcome.Unavailable
                : TelegramOutcome.Refused;
            return (new TelegramResult(outcome, description, status), default);
        }
    }

    private static string? Trim(string? text) => text is null ? null : text.Length <= 300 ? text : text[..300];
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
            // The default HttpClient logs write the request URL, and a Bot API URL carries the token.
            .RemoveAllLoggers();
        return services;
    }
}
