using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrderHub.Simulators;

/// <summary>A message a simulated bot sent, as a test reads it back.</summary>
public sealed record SimulatedTelegramMessage(long MessageId, string BotToken, long ChatId, string Text, string? ParseMode, JsonNode? ReplyMarkup, DateTimeOffset At);

/// <summary>Faults of the simulated Bot API.</summary>
public sealed record TelegramFaults
{
    /// <summary>Every Bot API call answers 503 (Telegram unreachable for OrderHub).</summary>
    public bool Down { get; init; }

    /// <summary>The next N sendMessage calls answer 429 with <see cref="RetryAfterSeconds"/>.</summary>
    public int TooManyRequests { get; init; }

    public int RetryAfterSeconds { get; init; } = 3;

    /// <summary><c>setMyCommands</c> answers 400 (a Bot API emulator without it, or one that refuses the list).</summary>
    public bool RefuseSetMyCommands { get; init; }
}

/// <summary>
/// The state of the Telegram simulator: known bots (by token), updates waiting per bot (or a webhook they are
/// pushed to), what each bot sent, faults, and groups that became supergroups.
/// </summary>
public sealed class TelegramSimulator(TimeProvider time)
{
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<string, SimulatedBot> _bots = new(StringComparer.Ordinal);
    private readonly List<SimulatedTelegramMessage> _sent = [];
    private readonly Dictionary<long, long> _migrated = [];
    private long _nextMessageId = 1000;
    private int _tooManyLeft;
    private TelegramFaults _faults = new();

    public TimeProvider Time => time;

    public TelegramFaults Faults
    {
        get
        {
            lock (_gate)
            {
                return _faults with { TooManyRequests = _tooManyLeft };
            }
        }
    }

    public void SetFaults(TelegramFaults faults)
    {
        lock (_gate)
        {
            _faults = faults;
            _tooManyLeft = faults.TooManyRequests;
        }
    }

    public void AddBot(string token) => _bots.TryAdd(token, new SimulatedBot(token));

    public SimulatedBot? Bot(string token) => _bots.TryGetValue(token, out var bot) ? bot : null;

    /// <summary>From now on a send to <paramref name="groupId"/> answers "migrated to <paramref name="supergroupId"/>".</summary>
    public void Migrate(long groupId, long supergroupId)
    {
        lock (_gate)
        {
            _migrated[groupId] = supergroupId;
        }
    }

    public long? MigratedTo(long chatId)
    {
        lock (_gate)
        {
            return _migrated.TryGetValue(chatId, out var to) ? to : null;
        }
    }

    /// <summary>Takes one 429 from the injected budget; true when this call must answer 429.</summary>
    public bool TakeTooManyRequests()
    {
        lock (_gate)
        {
            if (_tooManyLeft <= 0)
            {
                return false;
            }

            _tooManyLeft--;
            return true;
        }
    }

    public SimulatedTelegramMessage RecordSent(string token, long chatId, string text, string? parseMode, JsonNode? replyMarkup)
    {
        lock (_gate)
        {
            var message = new SimulatedTelegramMessage(++_nextMessageId, token, chatId, text, parseMode, replyMarkup, time.GetUtcNow());
            _sent.Add(message);
            return message;
        }
    }

    public IReadOnlyList<SimulatedTelegramMessage> Sent(long? chatId = null)
    {
        lock (_gate)
        {
            return [.. _sent.Where(m => chatId is null || m.ChatId == chatId)];
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _sent.Clear();
            _migrated.Clear();
            _faults = new TelegramFaults();
            _tooManyLeft = 0;
        }

        foreach (var bot in _bots.Values)
        {
            bot.Clear();
        }
    }
}

/// <summary>One bot: its updates not yet fetched, its webhook (then updates are pushed), commands and answered callbacks.</summary>
public sealed class SimulatedBot(string token)
{
    private readonly object _gate = new();
    private readonly List<JsonObject> _pending = [];
    private readonly List<string> _answeredCallbacks = [];
    private long _nextUpdateId = 1;
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Token => token;

    public string? WebhookUrl { get; private set; }

    public string? WebhookSecret { get; private set; }

    public JsonNode? Commands { get; set; }

    public int PollsInFlight;

    public IReadOnlyList<string> AnsweredCallbacks
    {
        get
        {
            lock (_gate)
            {
                return [.. _answeredCallbacks];
            }
        }
    }

    public void SetWebhook(string? url, string? secret)
    {
        lock (_gate)
        {
            WebhookUrl = string.IsNullOrEmpty(url) ? null : url;
            WebhookSecret = secret;
        }
    }

    public void AnswerCallback(string id)
    {
        lock (_gate)
        {
            _answeredCallbacks.Add(id);
        }
    }

    /// <summary>Gives the update its id and queues it for getUpdates; returns it (with the id) for a webhook push.</summary>
    public JsonObject Enqueue(JsonObject update, bool queue)
    {
        lock (_gate)
        {
            update["update_id"] = _nextUpdateId++;
            if (queue)
            {
                _pending.Add(update);
                _arrived.TrySetResult();
                _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return update;
        }
    }

    /// <summary>getUpdates: confirms everything below <paramref name="offset"/>, then waits up to the timeout for more.</summary>
    public async Task<List<JsonObject>> TakeAsync(long offset, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                _pending.RemoveAll(u => u["update_id"]!.GetValue<long>() < offset);
                if (_pending.Count > 0)
                {
                    return [.. _pending.Select(u => u.DeepClone().AsObject())];
                }

                arrived = _arrived.Task;
            }

            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return [];
            }

            await Task.WhenAny(arrived, Task.Delay(left, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _pending.Clear();
            _answeredCallbacks.Clear();
        }
    }

    internal static JsonObject Parse(JsonElement element) => JsonNode.Parse(element.GetRawText())!.AsObject();
}
