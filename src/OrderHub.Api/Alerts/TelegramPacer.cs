using Microsoft.Extensions.Options;

namespace OrderHub.Api.Alerts;

/// <summary>
/// Telegram's soft limits in this instance: one message per chat per <c>PerChatInterval</c>, <c>PerGroupPerMinute</c>
/// per group, <c>GlobalPerSecond</c> overall, and a chat held back after a 429 for its <c>retry_after</c>. The rate limits use
/// monotonic time (a pause is a pause even when the clock is moved).
/// </summary>
public sealed class TelegramPacer(IOptions<TelegramOptions> options, TimeProvider time)
{
    private readonly object _gate = new();
    private readonly Dictionary<long, TimeSpan> _chatNext = [];
    private readonly Dictionary<long, Queue<TimeSpan>> _groupSends = [];
    private readonly Queue<TimeSpan> _globalSends = new();
    private readonly Dictionary<long, DateTimeOffset> _heldUntil = [];
    private readonly long _origin = time.GetTimestamp();

    /// <summary>Waits until a message to <paramref name="chatId"/> may go, and books that slot.</summary>
    public async Task WaitTurnAsync(long chatId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = TryBook(chatId);
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(wait, cancellationToken);
        }
    }

    /// <summary>
    /// After a 429: nothing to this chat until <paramref name="until"/> (wall-clock, like the outbox's next-attempt
    /// times, so messages added meanwhile are rescheduled to the same moment instead of meeting another 429).
    /// </summary>
    public void HoldBack(long chatId, DateTimeOffset until)
    {
        lock (_gate)
        {
            if (!_heldUntil.TryGetValue(chatId, out var held) || held < until)
            {
                _heldUntil[chatId] = until;
            }
        }
    }

    /// <summary>When a chat held back by a 429 may be sent to again; null when it is not held.</summary>
    public DateTimeOffset? HeldUntil(long chatId)
    {
        lock (_gate)
        {
            if (!_heldUntil.TryGetValue(chatId, out var until))
            {
                return null;
            }

            if (until > time.GetUtcNow())
            {
                return until;
            }

            _heldUntil.Remove(chatId);
            return null;
        }
    }

    /// <summary>Books a slot for the chat and returns zero, or returns how long to wait before asking again.</summary>
    internal TimeSpan TryBook(long chatId)
    {
        var o = options.Value;
        lock (_gate)
        {
            var now = Now();
            var wait = TimeSpan.Zero;
            if (_chatNext.TryGetValue(chatId, out var next) && next > now)
            {
                wait = next - now;
            }

            var isGroup = chatId < 0;
            Queue<TimeSpan>? group = null;
            if (isGroup)
            {
                group = _groupSends.TryGetValue(chatId, out var g) ? g : _groupSends[chatId] = new Queue<TimeSpan>();
                while (group.Count > 0 && now - group.Peek() >= TimeSpan.FromMinutes(1))
                {
                    group.Dequeue();
                }

                if (group.Count >= o.PerGroupPerMinute)
                {
                    wait = Max(wait, group.Peek() + TimeSpan.FromMinutes(1) - now);
                }
            }

            while (_globalSends.Count > 0 && now - _globalSends.Peek() >= TimeSpan.FromSeconds(1))
            {
                _globalSends.Dequeue();
            }

            if (_globalSends.Count >= o.GlobalPerSecond)
            {
                wait = Max(wait, _globalSends.Peek() + TimeSpan.FromSeconds(1) - now);
            }

            if (wait > TimeSpan.Zero)
            {
                return wait;
            }

            _chatNext[chatId] = now + o.PerChatInterval;
            group?.Enqueue(now);
            _globalSends.Enqueue(now);
            return TimeSpan.Zero;
        }
    }

    private TimeSpan Now() => time.GetElapsedTime(_origin);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
