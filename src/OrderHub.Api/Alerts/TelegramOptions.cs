using System.ComponentModel.DataAnnotations;

namespace OrderHub.Api.Alerts;

/// <summary>How bots receive commands.</summary>
public enum TelegramUpdatesMode
{
    /// <summary><c>getUpdates</c> long polling: works with no public address.</summary>
    Polling,

    /// <summary><c>setWebhook</c> to <c>{PublicBaseUrl}/webhooks/telegram/{botId}</c> with a secret token.</summary>
    Webhook,

    /// <summary>Commands are not received (alerts and scheduled reports still go out).</summary>
    None,
}

/// <summary>Alerts and reports through Telegram. Section <c>Telegram</c> (shared with the Bot API client's <c>ApiBaseUrl</c>).</summary>
public sealed class TelegramOptions
{
    public const string SectionName = "Telegram";

    /// <summary>Run the alert sender, the update poller and the report/stale-order clock in this instance.</summary>
    public bool Enabled { get; set; } = true;

    public TelegramUpdatesMode UpdatesMode { get; set; } = TelegramUpdatesMode.Polling;

    /// <summary>OrderHub's public address: the webhook target and the base of order links in alerts.</summary>
    [MaxLength(512)]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Long-poll wait at Telegram per <c>getUpdates</c> call.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Pause after a failed <c>getUpdates</c> (Telegram away, 409 from another poller).</summary>
    public TimeSpan PollErrorDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the poller looks for bots added or removed.</summary>
    public TimeSpan BotRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Fallback polling of the alert outbox (a save that adds messages wakes the sender at once).</summary>
    public TimeSpan SenderPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    public int BatchSize { get; set; } = 100;

    /// <summary>Alerts wait this long before they are due, so a burst is sent as one message.</summary>
    public TimeSpan GroupingDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Pause between messages to one chat (Telegram: about 1 per second).</summary>
    public TimeSpan PerChatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages per minute to one group (Telegram: 20).</summary>
    [Range(1, 10_000)]
    public int PerGroupPerMinute { get; set; } = 20;

    /// <summary>Messages per second over all chats (Telegram: about 30).</summary>
    [Range(1, 10_000)]
    public int GlobalPerSecond { get; set; } = 30;

    /// <summary>First pause after Telegram was unreachable; doubles per attempt up to <see cref="RetryMaxPause"/>.</summary>
    public TimeSpan RetryBasePause { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan RetryMaxPause { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often due reports and orders waiting too long are looked for.</summary>
    public TimeSpan ClockInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>An order in AwaitingExport longer than this is alerted (once).</summary>
    public TimeSpan AwaitingExportThreshold { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// An order exported this long ago that its POS has not reported accepted is alerted (once). Only for POS that
    /// report acceptance: Poster, and webhook POS that have reported a status before.
    /// </summary>
    public TimeSpan UnacceptedAtPosThreshold { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a <c>/start</c> code is valid.</summary>
    public TimeSpan ChatCodeLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sent or failed messages, used or expired chat codes older than this are deleted (hourly, in batches).</summary>
    public TimeSpan KeepMessagesFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Stored Poster register operations older than this are deleted (reports look at one day).</summary>
    public TimeSpan KeepRegisterOperationsFor { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Base of "open the order" links; default <c>{PublicBaseUrl}/api/orders/</c>.</summary>
    [MaxLength(512)]
    public string? OrderLinkBase { get; set; }

    public IEnumerable<string> Validate()
    {
        if (UpdatesMode == TelegramUpdatesMode.Webhook && !Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out _))
        {
            yield return "Telegram:PublicBaseUrl must be an absolute URL when UpdatesMode is Webhook.";
        }

        if (PollTimeout < TimeSpan.Zero || SenderPollInterval <= TimeSpan.Zero || LeaseDuration <= TimeSpan.Zero || ClockInterval <= TimeSpan.Zero
            || BatchSize <= 0 || RetryBasePause <= TimeSpan.Zero || RetryMaxPause < RetryBasePause || GroupingDelay < TimeSpan.Zero
            || PerChatInterval < TimeSpan.Zero || KeepMessagesFor <= TimeSpan.Zero || KeepRegisterOperationsFor <= TimeSpan.Zero || ChatCodeLifetime <= TimeSpan.Zero || AwaitingExportThreshold <= TimeSpan.Zero
            || UnacceptedAtPosThreshold <= TimeSpan.Zero)
        {
            yield return "Telegram durations must be positive and RetryMaxPause at least RetryBasePause.";
        }
    }
}
