using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderHub.Integrations.Telegram;

/// <summary>Telegram's answer envelope: <c>{ok, result}</c> or <c>{ok:false, error_code, description, parameters}</c>.</summary>
public sealed class TelegramEnvelope<T>
{
    [JsonPropertyName("ok")]
    public bool Ok { get; set; }

    [JsonPropertyName("result")]
    public T? Result { get; set; }

    [JsonPropertyName("error_code")]
    public int? ErrorCode { get; set; }

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("parameters")]
    public TelegramResponseParameters? Parameters { get; set; }
}

public sealed class TelegramResponseParameters
{
    /// <summary>Seconds to wait before the next request (a 429).</summary>
    [JsonPropertyName("retry_after")]
    public int? RetryAfter { get; set; }

    /// <summary>The group became a supergroup with this id; send there from now on.</summary>
    [JsonPropertyName("migrate_to_chat_id")]
    public long? MigrateToChatId { get; set; }
}

public sealed class TelegramUpdate
{
    [JsonPropertyName("update_id")]
    public long UpdateId { get; set; }

    [JsonPropertyName("message")]
    public TelegramMessage? Message { get; set; }

    [JsonPropertyName("callback_query")]
    public TelegramCallbackQuery? CallbackQuery { get; set; }
}

public sealed class TelegramMessage
{
    [JsonPropertyName("message_id")]
    public long MessageId { get; set; }

    [JsonPropertyName("chat")]
    public TelegramChatInfo Chat { get; set; } = new();

    [JsonPropertyName("from")]
    public TelegramUser? From { get; set; }

    [JsonPropertyName("text")]
    public string? Text { get; set; }

    [JsonPropertyName("date")]
    public long Date { get; set; }
}

public sealed class TelegramChatInfo
{
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary><c>private</c>, <c>group</c>, <c>supergroup</c> or <c>channel</c>.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "private";

    [JsonPropertyName("title")]
    public string? Title { get; set; }
}

public sealed class TelegramUser
{
    [JsonPropertyName("id")]
    public long Id { get; set; }

    [JsonPropertyName("first_name")]
    public string? FirstName { get; set; }

    [JsonPropertyName("username")]
    public string? Username { get; set; }
}

public sealed class TelegramCallbackQuery
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = "";

    [JsonPropertyName("from")]
    public TelegramUser? From { get; set; }

    [JsonPropertyName("message")]
    public TelegramMessage? Message { get; set; }

    [JsonPropertyName("data")]
    public string? Data { get; set; }
}

/// <summary>One inline keyboard button; <c>callback_data</c> is at most 64 bytes.</summary>
public sealed record TelegramButton(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("callback_data")] string CallbackData);

public sealed record TelegramBotCommand(
    [property: JsonPropertyName("command")] string Command,
    [property: JsonPropertyName("description")] string Description);

/// <summary>How a Bot API call ended, with what the caller must act on.</summary>
public enum TelegramOutcome
{
    Ok,

    /// <summary>429: wait <see cref="TelegramResult.RetryAfter"/>.</summary>
    TooManyRequests,

    /// <summary>The group moved to a supergroup: <see cref="TelegramResult.MigrateToChatId"/>.</summary>
    Migrated,

    /// <summary>5xx, a connection error or a timeout: try again later.</summary>
    Unavailable,

    /// <summary>400/403/404 and the like: the same call gets the same answer (chat not found, bot kicked, bad token).</summary>
    Refused,
}

public sealed record TelegramResult(TelegramOutcome Outcome, string? Description = null, int? HttpStatus = null)
{
    public TimeSpan? RetryAfter { get; init; }

    public long? MigrateToChatId { get; init; }

    public long? MessageId { get; init; }

    public bool IsOk => Outcome == TelegramOutcome.Ok;
}

internal static class TelegramJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
