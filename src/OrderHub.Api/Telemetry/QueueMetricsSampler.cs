using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Alerts;
using OrderHub.Domain.Export;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.Inbound;

namespace OrderHub.Api.Telemetry;

/// <summary>
/// Samples the queues every <see cref="TelemetryOptions.QueueSampleInterval"/> for the queue gauges: a count and
/// one indexed read per queue, never on the scrape's thread.
/// </summary>
public sealed partial class QueueMetricsSampler(
    IServiceScopeFactory scopes,
    OrderHubMetrics metrics,
    IOptions<TelemetryOptions> options,
    TimeProvider time,
    ILogger<QueueMetricsSampler> logger) : BackgroundService
{
    /// <summary>Reads the queues now and hands the sample to the gauges.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var now = time.GetUtcNow();

        var export = db.ExportQueue.AsNoTracking().Where(e => e.State == ExportQueueState.Pending);
        var fiscal = db.FiscalReceipts.AsNoTracking().Where(r => r.State == FiscalReceiptState.Pending || r.State == FiscalReceiptState.SentToPrint);
        var alerts = db.AlertMessages.AsNoTracking().Where(a => a.State == AlertMessageState.Pending);
        var inbox = db.InboxEvents.AsNoTracking().Where(e => e.State == InboxEventState.Received);

        metrics.Queues(
        [
            new QueueSample("inbox", await inbox.LongCountAsync(cancellationToken),
                Age(await inbox.Where(e => e.NextAttemptAt <= now).OrderBy(e => e.NextAttemptAt).Select(e => (DateTimeOffset?)e.NextAttemptAt).FirstOrDefaultAsync(cancellationToken))),
            new QueueSample("export", await export.LongCountAsync(cancellationToken),
                Age(await export.Where(e => e.NextAttemptAt <= now).OrderBy(e => e.NextAttemptAt).Select(e => (DateTimeOffset?)e.NextAttemptAt).FirstOrDefaultAsync(cancellationToken))),
            new QueueSample("fiscal", await fiscal.LongCountAsync(cancellationToken),
                Age(await fiscal.Where(r => r.NextAttemptAt <= now).OrderBy(r => r.NextAttemptAt).Select(r => (DateTimeOffset?)r.NextAttemptAt).FirstOrDefaultAsync(cancellationToken))),
            new QueueSample("alert", await alerts.LongCountAsync(cancellationToken),
                Age(await alerts.Where(a => a.NextAttemptAt <= now).OrderBy(a => a.NextAttemptAt).Select(a => (DateTimeOffset?)a.NextAttemptAt).FirstOrDefaultAsync(cancellationToken))),
        ]);

        TimeSpan Age(DateTimeOffset? due) => due is { } d && d < now ? now - d : TimeSpan.Zero;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.QueueSampleInterval, time);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A metrics sample is never worth stopping for; the next one tries again.
                LogSampleFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sample the queues for the metrics")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
