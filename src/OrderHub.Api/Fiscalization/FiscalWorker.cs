using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Persistence;
using OrderHub.Api.Processing;
using OrderHub.Domain.Fiscal;
using OrderHub.Integrations.Fiscal;

namespace OrderHub.Api.Fiscalization;

/// <summary>A receipt this instance holds: valid while the row still has this owner and attempt count.</summary>
public sealed record FiscalClaim(FiscalReceipt Receipt, string Owner);

/// <summary>
/// Sends receipts on the processing engine: claims due ones with a lease (several instances can share a database)
/// and runs one attempt per claim (<see cref="FiscalAttemptRunner"/>, which writes its outcome while the claim
/// holds). Before each round it closes the shifts whose end of day has come.
/// </summary>
public sealed class FiscalWorker(
    IServiceScopeFactory scopes,
    InstanceIdentity instance,
    QueueWake wake,
    IOptions<FiscalOptions> options,
    TimeProvider time,
    ILogger<FiscalWorker> logger)
    : LeasedQueue<FiscalClaim, NoOutcome>(QueueName.Fiscal, scopes, instance, wake, time, logger)
{
    protected override QueueSettings Settings { get; } = new()
    {
        Concurrency = 8,
        BatchSize = 8,
        LeaseDuration = options.Value.LeaseDuration,
        PollInterval = options.Value.PollInterval,
    };

    /// <summary>One round: due shift closes, then the due receipts. True when there was work.</summary>
    public async Task<bool> RunRoundAsync(CancellationToken cancellationToken) => await RunOnceAsync(cancellationToken) > 0;

    protected override async Task BeforeRoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = Scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ShiftCloser>().CloseDueShiftsAsync(cancellationToken);
    }

    protected override async Task<IReadOnlyList<FiscalClaim>> LoadAsync(OrderHubDbContext db, IReadOnlyList<Guid> ids, string token, CancellationToken cancellationToken)
    {
        var won = await db.FiscalReceipts.AsNoTracking().Where(r => ids.Contains(r.Id) && r.LeaseOwner == token).ToListAsync(cancellationToken);
        return won.Select(r => new FiscalClaim(r, token)).ToList();
    }

    protected override async Task<NoOutcome?> AttemptAsync(FiscalClaim work, CancellationToken abandon)
    {
        // An outcome that could not be written leaves the lease to run out: the receipt is re-driven with its own id.
        await using var scope = Scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<FiscalAttemptRunner>().RunAsync(work, abandon);
        return null;
    }
}
