using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Features.History;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Export;
using OrderHub.Domain.History;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Pos;

namespace OrderHub.Api.Dispatching;

/// <summary>
/// A queue entry this instance holds, as the claim read it back: valid while the row still carries this claim's
/// owner token and attempt count (the outcome write checks both).
/// </summary>
public sealed record ExportClaim(ExportQueueEntry Entry, string Owner)
{
    public Guid EntryId => Entry.Id;

    public int Attempt => Entry.Attempts;
}

/// <summary>
/// Makes one attempt for one claimed entry and writes its outcome, the next state and the history row in one
/// transaction, only if the claim still holds.
/// </summary>
public sealed partial class ExportAttemptRunner(
    OrderHubDbContext db,
    IEnumerable<IPosClient> clients,
    PosRequestBuilder requests,
    RetrySchedule schedule,
    IOptions<DispatcherOptions> options,
    TimeProvider time,
    ILogger<ExportAttemptRunner> logger)
{
    /// <summary>Runs the attempt. Returns false when the host stopped mid-attempt and nothing was recorded.</summary>
    public async Task<bool> RunAsync(ExportClaim claim, CancellationToken abandon)
    {
        var entry = claim.Entry;
        var order = await db.Orders.AsNoTracking()
            .Include(o => o.Lines).ThenInclude(l => l.Modifiers).Include(o => o.Promotions)
            .AsSplitQuery()
            .FirstAsync(o => o.Id == entry.OrderId, CancellationToken.None);
        var point = await db.PickupPoints.AsNoTracking().FirstAsync(p => p.Id == entry.PickupPointId, CancellationToken.None);
        var integration = await db.PosIntegrations.AsNoTracking().FirstOrDefaultAsync(i => i.PickupPointId == point.Id, CancellationToken.None);

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["OrderId"] = order.Id, ["PickupPointId"] = point.Id });
        if (entry.Kind == ExportQueueKind.Create && order.ExportState != ExportState.Queued)
        {
            // Cancelled (or re-routed by an operator) after it was claimed: nothing to send.
            await CompleteAsync(claim, entry, ExportQueueState.Cancelled, null, (_, _, _) => { });
            return true;
        }

        var result = integration switch
        {
            null => Refused(FailureReason.NoPosIntegration, $"Pickup point '{point.Name}' has no POS integration any more.",
                $"Set up the POS integration of pickup point '{point.Name}', then export the order again."),
            { Enabled: false } => Refused(FailureReason.PosIntegrationDisabled,
                $"The POS integration of pickup point '{point.Name}' is disabled{(integration.DisabledReason is { } why ? $": {why}" : "")}.",
                $"Check and enable the POS integration of pickup point '{point.Name}', then export the order again."),
            _ => await AttemptAsync(entry, order, point, integration, abandon),
        };
        if (result is null)
        {
            LogAbandoned(logger, entry.Id, claim.Attempt);
            return false;
        }

        await RecordAsync(claim, entry, point, integration, result);
        return true;
    }

    private async Task<PosPushResult?> AttemptAsync(ExportQueueEntry entry, Order order, PickupPoint point, PosIntegration integration, CancellationToken abandon)
    {
        var client = clients.FirstOrDefault(c => c.Kind == integration.Kind);
        if (client is null)
        {
            return Refused(FailureReason.NoPosIntegration, $"No client for POS kind {integration.Kind} in this build.", "Contact the OrderHub team.");
        }

        var target = requests.Target(integration);
        var createEntry = entry.Kind == ExportQueueKind.Create
            ? entry
            : await db.ExportQueue.AsNoTracking().FirstAsync(e => e.OrderId == order.Id && e.Kind == ExportQueueKind.Create, CancellationToken.None);
        var request = PosRequestBuilder.Order(order, point, createEntry);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(abandon);
        timeout.CancelAfter(options.Value.AttemptTimeout);
        try
        {
            if (entry.Kind == ExportQueueKind.Cancel)
            {
                return await client.CancelOrderAsync(target, request, "Cancelled in Dots", timeout.Token);
            }

            // Any earlier attempt of this generation may have reached the POS (an unclear answer, or a crash
            // after sending): Poster has no idempotency key, so ask it before sending again.
            if (entry.Attempts > 1 || entry.LastAttemptAt is not null)
            {
                var existing = await client.FindExistingAsync(target, request, timeout.Token);
                if (existing is not null)
                {
                    return existing;
                }
            }

            return await client.CreateOrderAsync(target, request, timeout.Token);
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            return new PosPushResult
            {
                Outcome = PosPushOutcome.Ambiguous,
                Message = $"The attempt took longer than {options.Value.AttemptTimeout.TotalSeconds:0} s and was abandoned; the POS may have the order.",
            };
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or InvalidOperationException or System.Text.Json.JsonException)
        {
            LogClientFault(logger, exception, entry.Id);
            return new PosPushResult
            {
                Outcome = PosPushOutcome.Ambiguous,
                Message = $"The POS client failed unexpectedly ({exception.GetType().Name}); the POS may have the order.",
            };
        }
    }

    private async Task RecordAsync(ExportClaim claim, ExportQueueEntry entry, PickupPoint point, PosIntegration? integration, PosPushResult result)
    {
        var now = time.GetUtcNow();
        var target = Describe(integration);
        var isCancel = entry.Kind == ExportQueueKind.Cancel;
        var details = new
        {
            attempt = claim.Attempt,
            generation = entry.Generation,
            kind = entry.Kind.ToString(),
            target,
            outcome = result.Outcome.ToString(),
            httpStatus = result.HttpStatus,
            durationMs = (long)result.Duration.TotalMilliseconds,
            posOrderId = result.PosOrderId,
            posErrorCode = result.PosErrorCode,
            foundExisting = result.FoundExisting,
            request = result.RequestExcerpt,
            response = result.ResponseExcerpt,
        };
        var attemptAction = isCancel ? Actions.CancelAttempt : Actions.ExportAttempt;

        switch (result.Outcome)
        {
            case PosPushOutcome.Delivered:
                await CompleteAsync(claim, entry, ExportQueueState.Done, null, (order, _, _) =>
                {
                    if (isCancel)
                    {
                        db.Record(order, now, attemptAction, ActionOutcome.Success,
                            $"The POS ({target}) was told that the order was cancelled in Dots.", details: details);
                        return;
                    }

                    if (order.ExportState == ExportState.Queued)
                    {
                        order.MarkExported();
                    }

                    order.PosOrderId = result.PosOrderId ?? order.PosOrderId;
                    order.PosStatus = result.PosStatus ?? order.PosStatus;
                    order.ExportedAt = now;
                    order.UpdatedAt = now;
                    db.Record(order, now, attemptAction, ActionOutcome.Success,
                        result.FoundExisting
                            ? $"Found at the POS ({target}) after an unclear attempt{PosId(result)}: not sent again."
                            : $"Delivered to the POS ({target}){PosId(result)} on attempt {claim.Attempt}.",
                        details: details);
                    if (order.DotsStatus == "cancelled")
                    {
                        // Cancelled in Dots while it was on its way: the POS must hear of it too.
                        db.RouteCancellationAfterExport(order, integration, now);
                    }
                });
                break;

            case PosPushOutcome.Permanent:
                var reason = result.Reason ?? FailureReason.PosRejected;
                var hint = result.FixHint ?? "Check the order's items and the POS settings of the pickup point, then export the order again.";
                await CompleteAsync(claim, entry, ExportQueueState.Failed, result.Message, (order, tracked, _) =>
                {
                    if (isCancel)
                    {
                        RecordCancellationNotDelivered(order, now, attemptAction, result.Message, result.FixHint, details);
                        return;
                    }

                    order.MarkFailed(reason);
                    order.UpdatedAt = now;
                    db.Record(order, now, attemptAction, ActionOutcome.Failure, $"The POS ({target}) refused the order: {result.Message}",
                        reason: reason, fixHint: hint, details: details);
                    if (reason == FailureReason.PosGone && tracked is not null)
                    {
                        tracked.Enabled = false;
                        tracked.DisabledReason = $"The POS answered 410 Gone on {now:yyyy-MM-dd HH:mm} UTC: it no longer takes orders at this address.";
                        tracked.UpdatedAt = now;
                    }
                });
                break;

            default:
                var pause = schedule.PauseAfter(claim.Attempt, result);
                var next = now + pause;
                if (next - entry.CreatedAt > options.Value.MaxAge)
                {
                    await CompleteAsync(claim, entry, ExportQueueState.Failed, result.Message, (order, _, _) =>
                    {
                        var message = $"Attempt {claim.Attempt} failed: {result.Message} Gave up: the POS ({target}) has not taken it since {entry.CreatedAt:yyyy-MM-dd HH:mm} UTC.";
                        if (isCancel)
                        {
                            RecordCancellationNotDelivered(order, now, attemptAction, message, null, details);
                            return;
                        }

                        order.MarkFailed(FailureReason.PosUnreachable);
                        order.UpdatedAt = now;
                        db.Record(order, now, attemptAction, ActionOutcome.Failure, message, reason: FailureReason.PosUnreachable,
                            fixHint: $"Check that the POS of pickup point '{point.Name}' is online and reachable, then export the order again; OrderHub looks it up first, so it will not arrive twice.",
                            details: details);
                    });
                }
                else
                {
                    await CompleteAsync(claim, entry, ExportQueueState.Pending, result.Message, (order, _, _) =>
                        db.Record(order, now, attemptAction, ActionOutcome.Warning,
                            $"Attempt {claim.Attempt} failed: {result.Message} Next attempt at {next:yyyy-MM-dd HH:mm:ss} UTC.",
                            details: new { details, nextAttemptAt = next }),
                        next);
                }

                break;
        }
    }

    /// <summary>A cancellation the POS could not be told of leaves the order for a person at the register.</summary>
    private void RecordCancellationNotDelivered(Order order, DateTimeOffset now, string action, string message, string? fixHint, object details)
    {
        order.Problem = FailureReason.CancelledAfterExport;
        db.Record(order, now, action, ActionOutcome.Failure, message, reason: FailureReason.CancelledAfterExport,
            fixHint: fixHint ?? "Phone the pickup point and have the cashier cancel the order at the register.", details: details);
    }

    /// <summary>
    /// Writes the entry's next state only if this claim still holds (same owner and attempt), and the order and
    /// history changes <paramref name="apply"/> makes, in one transaction.
    /// </summary>
    private async Task CompleteAsync(
        ExportClaim claim,
        ExportQueueEntry entry,
        ExportQueueState state,
        string? lastError,
        Action<Order, PosIntegration?, DateTimeOffset> apply,
        DateTimeOffset? nextAttemptAt = null)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            var now = time.GetUtcNow();

            // Read before the transaction: on SQLite the first write takes the one writer lock, and holding it
            // through reads would stall every other writer (intake included).
            var order = await db.Orders.FirstAsync(o => o.Id == entry.OrderId, CancellationToken.None);
            var integration = await db.PosIntegrations.FirstOrDefaultAsync(i => i.PickupPointId == entry.PickupPointId, CancellationToken.None);
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            var error = lastError is { Length: > 1024 } ? lastError[..1024] : lastError;
            var next = nextAttemptAt ?? entry.NextAttemptAt;
            var updated = await db.ExportQueue
                .Where(e => e.Id == claim.EntryId && e.LeaseOwner == claim.Owner && e.Attempts == claim.Attempt && e.State == ExportQueueState.Pending)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(e => e.State, state)
                    .SetProperty(e => e.NextAttemptAt, next)
                    .SetProperty(e => e.LeaseUntil, (DateTimeOffset?)null)
                    .SetProperty(e => e.LeaseOwner, (string?)null)
                    .SetProperty(e => e.LastError, error)
                    .SetProperty(e => e.LastAttemptAt, now)
                    .SetProperty(e => e.UpdatedAt, now), CancellationToken.None);
            if (updated == 0)
            {
                // The lease ran out and another instance took the entry: its outcome is the one that counts.
                LogLostClaim(logger, claim.EntryId, claim.Attempt);
                await transaction.RollbackAsync(CancellationToken.None);
                return;
            }

            apply(order, integration, now);
            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        });
    }

    private static PosPushResult Refused(FailureReason reason, string message, string hint) =>
        new() { Outcome = PosPushOutcome.Permanent, Reason = reason, Message = message, FixHint = hint };

    private static string PosId(PosPushResult result) => result.PosOrderId is null ? "" : $" as POS order {result.PosOrderId}";

    private static string Describe(PosIntegration? integration) => integration switch
    {
        { Kind: PosKind.Poster } => $"Poster account '{integration.PosterAccount}', spot {integration.PosterSpotId}",
        { Kind: PosKind.Webhook, WebhookUrl: { } url } when Uri.TryCreate(url, UriKind.Absolute, out var uri) => $"webhook POS {uri.Host}:{uri.Port}",
        null => "no POS",
        _ => $"{integration.Kind} POS",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Attempt {Attempt} of export entry {EntryId} abandoned: the host is stopping; the entry is re-driven after its lease")]
    private static partial void LogAbandoned(ILogger logger, Guid entryId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export entry {EntryId} attempt {Attempt}: the claim was lost before its outcome was written; the newer claim's outcome counts")]
    private static partial void LogLostClaim(ILogger logger, Guid entryId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "The POS client threw for export entry {EntryId}; treated as an unclear attempt")]
    private static partial void LogClientFault(ILogger logger, Exception exception, Guid entryId);
}
