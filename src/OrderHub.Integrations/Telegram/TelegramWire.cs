using System.Text.Json.Serialization;

namespace OrderHub.Integrations.Telegram;

// The Bot API's own types (updates, messages, commands) are Telegram.Bot's; these are OrderHub's.

/// <summary>
/// One inline keyboard button; <c>callback_data</c> is at most 64 bytes. OrderHub's own record (alerts store their
/// keyboard as JSON of these), turned into Telegram.Bot's markup when sent.
/// </summary>
public sealed record TelegramButton(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("callback_data")] string CallbackData);

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
