using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OrderHub.Simulators;

/// <summary>A user typing in a chat, as a test injects it.</summary>
public sealed record InjectedTelegramMessage(string Token, long ChatId, string Text, string ChatType = "group", string? ChatTitle = null, long FromId = 42, string FromName = "Test user");

/// <summary>A user pressing an inline button under a message the bot sent.</summary>
public sealed record InjectedTelegramCallback(string Token, long ChatId, string Data, long? MessageId = null, long FromId = 42, string FromName = "Test user");

/// <summary>
/// The Telegram Bot API stand-in: <c>{prefix}/telegram/bot{token}/{method}</c> for sendMessage, getUpdates (long
/// polling), setWebhook/deleteWebhook (then injected updates are pushed with <c>X-Telegram-Bot-Api-Secret-Token</c>),
/// setMyCommands and answerCallbackQuery; control under <c>{prefix}/telegram/control</c>: bots, injected updates,
/// sent messages per chat, faults (down, 429 with retry_after) and group → supergroup migration.
/// </summary>
public static class TelegramSimulatorEndpoints
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    private static readonly HttpClient WebhookClient = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static TelegramSimulator MapTelegramSimulator(this IEndpointRouteBuilder endpoints, string prefix = "", IEnumerable<string>? botTokens = null)
    {
        var simulator = new TelegramSimulator(endpoints.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System);
        foreach (var token in botTokens ?? [])
        {
            simulator.AddBot(token);
        }

        var group = endpoints.MapGroup(prefix + "/telegram").ExcludeFromDescription();
        // Not "/bot{token}/{method}": a complex segment matches its literal from the right, so a token that
        // contains "bot" would not route.
        group.MapPost("/{botToken}/{method}", (HttpRequest request, string botToken, string method, CancellationToken ct) =>
            botToken.StartsWith("bot", StringComparison.Ordinal)
                ? BotApiAsync(simulator, request, botToken[3..], method, ct)
                : Task.FromResult(Error(404, "Not Found")));

        var control = group.MapGroup("/control");
        control.MapPost("/bots", (BotRegistration bot) =>
        {
            simulator.AddBot(bot.Token);
            return Results.NoContent();
        });
        control.MapGet("/bots/{token}", (string token) => simulator.Bot(token) is { } bot
            ? Results.Ok(new { bot.WebhookUrl, hasWebhookSecret = bot.WebhookSecret is not null, bot.Commands, bot.AnsweredCallbacks, bot.PendingCount })
            : Results.NotFound());
        control.MapGet("/messages", (long? chatId) => Results.Ok(simulator.Sent(chatId)));
        control.MapPost("/faults", (TelegramFaults faults) =>
        {
            simulator.SetFaults(faults);
            return Results.Ok(simulator.Faults);
        });
        control.MapPost("/migrate", (ChatMigration migration) =>
        {
            simulator.Migrate(migration.FromChatId, migration.ToChatId);
            return Results.NoContent();
        });
        control.MapPost("/reset", () =>
        {
            simulator.Reset();
            return Results.NoContent();
        });
        control.MapPost("/messages", (InjectedTelegramMessage message, CancellationToken ct) =>
            InjectAsync(simulator, message.Token, new JsonObject
            {
                ["message"] = new JsonObject
                {
                    ["message_id"] = Random.Shared.NextInt64(1, 1_000_000),
                    ["date"] = simulator.Time.GetUtcNow().ToUnixTimeSeconds(),
                    ["chat"] = new JsonObject { ["id"] = message.ChatId, ["type"] = message.ChatType, ["title"] = message.ChatTitle },
                    ["from"] = new JsonObject { ["id"] = message.FromId, ["first_name"] = message.FromName },
                    ["text"] = message.Text,
                },
            }, ct));
        control.MapPost("/callbacks", (InjectedTelegramCallback callback, CancellationToken ct) =>
            InjectAsync(simulator, callback.Token, new JsonObject
            {
                ["callback_query"] = new JsonObject
                {
                    ["id"] = "cb" + Guid.NewGuid().ToString("N")[..12],
                    ["from"] = new JsonObject { ["id"] = callback.FromId, ["first_name"] = callback.FromName },
                    ["data"] = callback.Data,
                    ["message"] = new JsonObject
                    {
                        ["message_id"] = callback.MessageId ?? 1,
                        ["date"] = simulator.Time.GetUtcNow().ToUnixTimeSeconds(),
                        ["chat"] = new JsonObject { ["id"] = callback.ChatId, ["type"] = callback.ChatId < 0 ? "supergroup" : "private" },
                    },
                },
            }, ct));
        return simulator;
    }

    private static async Task<IResult> InjectAsync(TelegramSimulator simulator, string token, JsonObject update, CancellationToken ct)
    {
        if (simulator.Bot(token) is not { } bot)
        {
            return Results.NotFound();
        }

        var webhook = bot.WebhookUrl;
        var queued = bot.Enqueue(update, queue: webhook is null);
        if (webhook is null)
        {
            return Results.Ok(new { updateId = queued["update_id"]!.GetValue<long>(), delivered = "queued" });
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, webhook)
        {
            Content = new StringContent(queued.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (bot.WebhookSecret is { } secret)
        {
            request.Headers.Add(SecretHeader, secret);
        }

        using var response = await WebhookClient.SendAsync(request, ct);
        return Results.Ok(new { updateId = queued["update_id"]!.GetValue<long>(), delivered = "webhook", webhookStatus = (int)response.StatusCode });
    }

    private static async Task<IResult> BotApiAsync(TelegramSimulator simulator, HttpRequest request, string token, string method, CancellationToken ct)
    {
        if (simulator.Faults.Down)
        {
            return Error(503, "Service Unavailable");
        }

        if (simulator.Bot(token) is not { } bot)
        {
            return Error(401, "Unauthorized");
        }

        JsonObject body;
        try
        {
            body = request.ContentLength is 0 ? [] : (await JsonNode.ParseAsync(request.Body, cancellationToken: ct))?.AsObject() ?? [];
        }
        catch (JsonException)
        {
            return Error(400, "Bad Request: can't parse JSON");
        }

        switch (method)
        {
            case "sendMessage":
                if (body["chat_id"]?.GetValue<long>() is not { } chatId || body["text"]?.GetValue<string>() is not { Length: > 0 } text)
                {
                    return Error(400, "Bad Request: chat_id and text are required");
                }

                if (text.Length > 4096)
                {
                    return Error(400, "Bad Request: message is too long");
                }

                if (simulator.MigratedTo(chatId) is { } to)
                {
                    return Error(400, "Bad Request: group chat was upgraded to a supergroup chat", new JsonObject { ["migrate_to_chat_id"] = to });
                }

                if (simulator.TakeTooManyRequests())
                {
                    var after = simulator.Faults.RetryAfterSeconds;
                    return Error(429, $"Too Many Requests: retry after {after}", new JsonObject { ["retry_after"] = after });
                }

                var parseMode = body["parse_mode"]?.GetValue<string>();
                // Telegram reads parse_mode in any case (Telegram.Bot sends "Html").
                if (string.Equals(parseMode, "HTML", StringComparison.OrdinalIgnoreCase) && !IsWellFormedHtml(text))
                {
                    return Error(400, "Bad Request: can't parse entities");
                }

                var sent = simulator.RecordSent(token, chatId, text, parseMode, body["reply_markup"]?.DeepClone());
                return Ok(new JsonObject
                {
                    ["message_id"] = sent.MessageId,
                    ["date"] = sent.At.ToUnixTimeSeconds(),
                    ["chat"] = new JsonObject { ["id"] = chatId },
                    ["text"] = text,
                });

            case "getUpdates":
                if (bot.WebhookUrl is not null)
                {
                    return Error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
                }

                if (Interlocked.Increment(ref bot.PollsInFlight) > 1)
                {
                    Interlocked.Decrement(ref bot.PollsInFlight);
                    return Error(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
                }

                try
                {
                    var offset = body["offset"]?.GetValue<long>() ?? 0;
                    var timeout = TimeSpan.FromSeconds(Math.Clamp(body["timeout"]?.GetValue<int>() ?? 0, 0, 50));
                    var updates = await bot.TakeAsync(offset, timeout, ct);
                    return Ok(new JsonArray([.. updates]));
                }
                finally
                {
                    Interlocked.Decrement(ref bot.PollsInFlight);
                }

            case "setWebhook":
                bot.SetWebhook(body["url"]?.GetValue<string>(), body["secret_token"]?.GetValue<string>());
                return Ok(true);

            case "deleteWebhook":
                bot.SetWebhook(null, null);
                return Ok(true);

            case "setMyCommands" when simulator.Faults.RefuseSetMyCommands:
                return Error(400, "Bad Request: method not supported");

            case "setMyCommands":
                bot.Commands = body["commands"]?.DeepClone();
                return Ok(true);

            case "answerCallbackQuery":
                if (body["callback_query_id"]?.GetValue<string>() is not { Length: > 0 } id)
                {
                    return Error(400, "Bad Request: callback_query_id is required");
                }

                bot.AnswerCallback(id);
                return Ok(true);

            default:
                return Error(404, "Not Found: method not found");
        }
    }

    /// <summary>Telegram refuses HTML with unknown tags or a bare '&lt;' / '&amp;': a missed escape shows up as a 400, as it would in production.</summary>
    internal static bool IsWellFormedHtml(string text)
    {
        string[] allowed = ["b", "i", "u", "s", "code", "pre", "a"];
        var open = new Stack<string>();
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '<':
                    var close = text.IndexOf('>', i);
                    if (close < 0)
                    {
                        return false;
                    }

                    var tag = text[(i + 1)..close];
                    var closing = tag.StartsWith('/');
                    var name = (closing ? tag[1..] : tag).Split(' ', 2)[0];
                    if (!allowed.Contains(name))
                    {
                        return false;
                    }

                    if (closing)
                    {
                        if (open.Count == 0 || open.Pop() != name)
                        {
                            return false;
                        }
                    }
                    else
                    {
                        open.Push(name);
                    }

                    i = close;
                    break;
                case '>':
                    return false;
                case '&':
                    var semi = text.IndexOf(';', i);
                    if (semi < 0 || text[(i + 1)..semi] is not ("amp" or "lt" or "gt" or "quot"))
                    {
                        return false;
                    }

                    break;
            }
        }

        return open.Count == 0;
    }

    private static IResult Ok(JsonNode result) => Results.Json(new JsonObject { ["ok"] = true, ["result"] = result });

    private static IResult Error(int code, string description, JsonObject? parameters = null)
    {
        var body = new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description };
        if (parameters is not null)
        {
            body["parameters"] = parameters;
        }

        return Results.Json(body, statusCode: code);
    }

    public sealed record BotRegistration(string Token);

    public sealed record ChatMigration(long FromChatId, long ToChatId);
}
