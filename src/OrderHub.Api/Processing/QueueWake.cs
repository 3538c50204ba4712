namespace OrderHub.Api.Processing;

/// <summary>The leased queues the processing engine serves.</summary>
public enum QueueName
{
    Inbox,
    Export,
    Fiscal,
    Alerts,
}

/// <summary>
/// One wake-up signal per queue: a commit that queued work wakes that queue's engine at once, so work starts in
/// milliseconds rather than a poll later. One wake-up covers any number of new rows.
/// </summary>
public sealed class QueueWake : IDisposable
{
    private readonly SemaphoreSlim[] _signals = Enum.GetValues<QueueName>().Select(_ => new SemaphoreSlim(0, 1)).ToArray();

    public void Notify(QueueName queue)
    {
        try
        {
            _signals[(int)queue].Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <summary>Waits for a wake-up or the timeout; true when woken.</summary>
    public Task<bool> WaitAsync(QueueName queue, TimeSpan timeout, CancellationToken cancellationToken) =>
        _signals[(int)queue].WaitAsync(timeout, cancellationToken);

    public void Dispose()
    {
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }
    }
}
