namespace OrderHub.Domain.Alerts;

public enum AlertMessageState
{
    Pending,
    Sent,

    /// <summary>Telegram refused it for good (chat not found, bot removed); <see cref="AlertMessage.LastError"/> says why.</summary>
    Failed,
}

/// <summary>
/// One message due to one chat: an alert, a report or a reply. Written in the same transaction as its cause and
/// sent by the alert sender with a lease, attempts and a next-attempt time, like the export queue. Alerts of one
/// <see cref="GroupKey"/> due together for one chat are sent as one message.
/// </summary>
public sealed class AlertMessage : ILeasedRow
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CompanyId { get; set; }

    /// <summary>The registered chat; null for a reply to a chat that is not registered (a wrong code).</summary>
    public Guid? TelegramChatRowId { get; set; }

    /// <summary>Telegram's chat id at the time of writing; updated when the group migrates.</summary>
    public long ChatId { get; set; }

    /// <summary>Alert kind (an <see cref="AlertKinds"/> name), <c>report</c> or <c>reply</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Alerts with the same key for one chat may be merged; null: always alone.</summary>
    public string? GroupKey { get; set; }

    /// <summary>HTML heading of a merged message; <c>{0}</c> is the count.</summary>
    public string? GroupHeading { get; set; }

    /// <summary>HTML, one line, for a merged message.</summary>
    public string? Line { get; set; }

    /// <summary>The whole message as HTML, every interpolated value escaped.</summary>
    public string Text { get; set; } = "";

    /// <summary>Inline keyboard as JSON (<c>[[{text, callback_data}]]</c>), or null.</summary>
    public string? Keyboard { get; set; }

    /// <summary>Makes a periodic alert or a scheduled report once per chat (e.g. <c>eod:{point}:{day}</c>).</summary>
    public string? DedupKey { get; set; }

    public AlertMessageState State { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public string? LeaseOwner { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public long? TelegramMessageId { get; set; }
}

/// <summary>
/// One operation at a Poster register from a signed <c>transaction</c> webhook (its <c>transactions_history</c>),
/// kept for alerts (removal after the kitchen ticket needs the earlier rows) and the day's report.
/// </summary>
public sealed class RegisterOperation
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CompanyId { get; set; }

    public Guid PickupPointId { get; set; }

    public string PosterAccount { get; set; } = "";

    /// <summary>Poster's check (transaction) id.</summary>
    public string TransactionId { get; set; } = "";

    /// <summary>Poster's <c>type_history</c>: open, additem, sendtokitchen, changeitemcount, deleteitem, setclient, print, close, delete...</summary>
    public string TypeHistory { get; set; } = "";

    /// <summary>What OrderHub made of it (an <see cref="AlertKinds"/> name), when it is a risky one.</summary>
    public string? Risk { get; set; }

    public DateTimeOffset HappenedAt { get; set; }

    public string? UserId { get; set; }

    /// <summary>Poster's <c>spot_tablet_id</c>: which register.</summary>
    public string? RegisterId { get; set; }

    public decimal? Value { get; set; }

    public decimal? Value2 { get; set; }

    public decimal? Value3 { get; set; }

    public string? ValueText { get; set; }

    /// <summary>Money the operation moved or removed, in currency units, when it can be told.</summary>
    public decimal? Amount { get; set; }

    public string DedupKey { get; set; } = "";

    public DateTimeOffset ReceivedAt { get; set; }
}
