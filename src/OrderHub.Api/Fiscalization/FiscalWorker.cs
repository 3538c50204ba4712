using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Fiscal;
using OrderHub.Integrations.Fiscal;

namespace OrderHub.Api.Fiscalization;

/// <summary>Wakes the receipt worker the moment a receipt is committed.</summary>
public sealed class FiscalSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>A receipt this instance holds: valid while the row still has this owner and attempt count.</summary>
public sealed record FiscalClaim(FiscalReceipt Receipt, string Owner);

/// <summary>
/// Sends receipts: claims due ones with a lease (a conditional UPDATE, like the export dispatcher, so several
/// instances can share a database) and runs one attempt per claim. Also closes shifts at their end of day.
/// </summary>
public sealed partial class FiscalWorker(
    IServiceScopeFactory scopes,
    FiscalSignal signal,
    IOptions<FiscalOptions> options,
    TimeProvider time,
    ILogger<FiscalWorker> logger) : BackgroundService
{
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}"[..Math.Min(40, $"{Environment.MachineName}:{Environment.ProcessId}".Length)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var worked = await RunRoundAsync(stoppingToken);
                if (!worked)
                {
                    await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // The database or a provider is away for a moment: the receipts wait in the database.
                LogRoundFailed(logger, exception);
                await Task.Delay(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>One round: due shift closes, then the due receipts. True when there was work.</summary>
    public async Task<bool> RunRoundAsync(CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ShiftCloser>().CloseDueShiftsAsync(cancellationToken);
        }

        var claims = await ClaimAsync(8, cancellationToken);
        await Task.WhenAll(claims.Select(async claim =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<FiscalAttemptRunner>().RunAsync(claim, cancellationToken);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // The outcome could not be written: the lease runs out and the receipt is re-driven with its own id.
                LogAttemptFailed(logger, exception, claim.Receipt.Id);
            }
        }));
        return claims.Count > 0;
    }

    private async Task<IReadOnlyList<FiscalClaim>> ClaimAsync(int count, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var now = time.GetUtcNow();
        var candidates = await db.FiscalReceipts.AsNoTracking()
            .Where(r => (r.State == FiscalReceiptState.Pending || r.State == FiscalReceiptState.SentToPrint || r.State == FiscalReceiptState.Unclear)
                        && r.NextAttemptAt <= now && (r.LeaseUntil == null || r.LeaseUntil < now))
            .OrderBy(r => r.NextAttemptAt)
            .Select(r => r.Id)
            .Take(count)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return [];
        }

        var token = $"{_owner}/{Guid.NewGuid():N}"[..(_owner.Length + 17)];
        var leaseUntil = now + options.Value.LeaseDuration;
        await db.FiscalReceipts
            .Where(r => candidates.Contains(r.Id) && (r.State == FiscalReceiptState.Pending || r.State == FiscalReceiptState.SentToPrint || r.State == FiscalReceiptState.Unclear)
                        && r.NextAttemptAt <= now && (r.LeaseUntil == null || r.LeaseUntil < now))
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.LeaseUntil, leaseUntil)
                .SetProperty(r => r.LeaseOwner, token)
                .SetProperty(r => r.Attempts, r => r.Attempts + 1)
                .SetProperty(r => r.UpdatedAt, now), cancellationToken);
        var won = await db.FiscalReceipts.AsNoTracking().Where(r => r.LeaseOwner == token && candidates.Contains(r.Id)).ToListAsync(cancellationToken);
        return won.Select(r => new FiscalClaim(r, token)).ToList();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A fiscal worker round failed; receipts wait in the database")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fiscal receipt {ReceiptId}: the attempt's outcome could not be written; re-driven after its lease with the same id")]
    private static partial void LogAttemptFailed(ILogger logger, Exception exception, Guid receiptId);
}
