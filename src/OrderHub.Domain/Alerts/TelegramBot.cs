namespace OrderHub.Domain.Alerts;

/// <summary>A company's Telegram bot. The token is stored encrypted and never leaves through the API.</summary>
public sealed class TelegramBot
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CompanyId { get; set; }

    /// <summary>The bot's numeric id (the token's prefix): routes <c>/webhooks/telegram/{botId}</c>.</summary>
    public long BotId { get; set; }

    /// <summary>The Bot API token, encrypted with Data Protection.</summary>
    public string TokenProtected { get; set; } = "";

    /// <summary>The <c>secret_token</c> given to setWebhook, encrypted; Telegram sends it back in a header.</summary>
    public string WebhookSecretProtected { get; set; } = "";

    public bool Enabled { get; set; } = true;

    /// <summary>The next <c>getUpdates</c> offset (last update id + 1), so a restart does not answer a command twice.</summary>
    public long UpdateOffset { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// A Telegram chat that gets a company's alerts and reports: a pickup point's managers (<see cref="PickupPointId"/>
/// set) or the owners (null: every point of the company).
/// </summary>
public sealed class TelegramChat
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CompanyId { get; set; }

    public Guid? PickupPointId { get; set; }

    /// <summary>Telegram's chat id (negative for groups); changes when a group becomes a supergroup.</summary>
    public long ChatId { get; set; }

    public string Title { get; set; } = "";

    public AlertKinds Alerts { get; set; } = AlertKinds.Default;

    public ReportKinds Reports { get; set; } = ReportKinds.All;

    /// <summary>Local time of the end-of-day report, in minutes after midnight in each pickup point's time zone.</summary>
    public int ReportAtMinute { get; set; } = 23 * 60;

    /// <summary>Register operations (removals, deleted checks) below this amount are not alerted; null: all.</summary>
    public decimal? MinRegisterAmount { get; set; }

    /// <summary>Discounts below this percent are not alerted; null: all.</summary>
    public decimal? MinDiscountPercent { get; set; }

    /// <summary>
    /// How many minutes an order may wait (for export, or for the POS to accept it) before this chat is alerted;
    /// null: the instance's <c>Telegram:AwaitingExportThreshold</c> and <c>:UnacceptedAtPosThreshold</c>.
    /// </summary>
    public int? WaitingAlertMinutes { get; set; }

    /// <summary>The language of this chat's alerts, reports and replies: <c>uk</c> (default) or <c>en</c>.</summary>
    public string Language { get; set; } = "uk";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A one-time code that registers the chat it is sent from (<c>/start CODE</c>). Only its hash is kept.</summary>
public sealed class TelegramChatCode
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CompanyId { get; set; }

    public Guid? PickupPointId { get; set; }

    /// <summary>The code's first characters: finds the row; the rest is checked against <see cref="CodeHash"/> in constant time.</summary>
    public string CodePrefix { get; set; } = "";

    /// <summary>SHA-256 of the whole code, hex.</summary>
    public string CodeHash { get; set; } = "";

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
