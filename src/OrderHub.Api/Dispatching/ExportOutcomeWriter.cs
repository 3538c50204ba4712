using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Processing;
using OrderHub.Api.Shared;
using OrderHub.Api.Telemetry;
using OrderHub.Domain.Export;
using OrderHub.Domain.History;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Pos;

namespace OrderHub.Api.Dispatching;

/// <summary>
/// Writes attempts' outcomes: each entry's next state, the order's change and its history row, only where the
/// claim still holds. Outcomes that finish together are written in one transaction (a group commit): one commit
/// for many orders is what lets the queue keep up with intake, while each outcome is still written before its
/// slot is given back.
/// </summary>
public sealed partial class ExportOutcomeWriter(
    OrderHubDbContext db,
    WriteGate gate,
    RetrySchedule schedule,
    IOptions<DispatcherOptions> options,
    TimeProvider time,
    OrderHubMetrics metrics,
    ILogger<ExportOutcomeWriter> logger)
{
    /// <summary>What an outcome does to its entry, and to its order and integration.</summary>
    private sealed record Decision(ExportQueueState State, string? LastError, DateTimeOffset NextAttemptAt, Action<Order, PosIntegration?, DateTimeOffset> Apply);

    /// <summary>
    /// Writes <paramref name="completions"/> in one transaction. Returns how many claims had been lost (another
    /// instance took the entry after its lease ran out; that claim's outcome counts, this one is dropped).
    /// Throws when the database refuses the group; the caller then writes each on its own.
    /// </summary>
    public async Task<int> WriteAsync(IReadOnlyList<ExportCompletion> completions)
    {
        var lost = 0;
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            var now = time.GetUtcNow();

            // Staged before the write transaction, from the entries as read now: deciding, the history rows and the
            // orders' changes are the CPU of the write, and on SQLite nobody else may write while the transaction
            // runs. Under the gate the claims are only checked again; a claim lost in between (rare: its lease ran
            // out meanwhile) sends the group down the path that decides inside the transaction.
            var staged = await StageAsync(completions, now, inTransaction: false);
            db.ChangeTracker.DetectChanges();
            using (var turn = await gate.EnterAsync(WriteLane.Background))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
                if (await StillHeldAsync(staged.Held))
                {
                    await SaveWithoutDetectingAsync();
                    await transaction.CommitAsync(CancellationToken.None);
                    lost = staged.Lost;
                    Counted(staged.Finished, now);
                    return;
                }
            }

            db.ChangeTracker.Clear();
            using (var turn = await gate.EnterAsync(WriteLane.Background))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
                staged = await StageAsync(completions, now, inTransaction: true);
                await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
                lost = staged.Lost;
                Counted(staged.Finished, now);
            }
        });

        // Accepted once the gate is given back (nothing reads this context's changes afterwards but a retry, which clears it).
        db.ChangeTracker.AcceptAllChanges();
        return lost;
    }

    /// <summary>What <see cref="StageAsync"/> staged: the claims it found held, how many were lost, the orders it finished.</summary>
    private sealed record Staged(IReadOnlyList<ExportClaim> Held, int Lost, IReadOnlyList<(Order Order, ExportState Before, PosKind? Kind)> Finished);

    /// <summary>
    /// Reads the group's orders and entries and stages each outcome whose claim holds: the entry's next state, the
    /// order's change, its history row and feed message. <paramref name="inTransaction"/>: the entries are read
    /// inside the write transaction and held until it ends (no claim can take them in between: see
    /// <see cref="ClaimSql.HeldExportEntries"/>), so the check is final; else it is checked again under the gate.
    /// </summary>
    private async Task<Staged> StageAsync(IReadOnlyList<ExportCompletion> completions, DateTimeOffset now, bool inTransaction)
    {
        var orderIds = completions.Select(c => c.Work.Order.Id).Distinct().ToList();
        var orders = await db.Orders.Where(o => orderIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, CancellationToken.None);
        // The points' own rows, tracked, read only when a POS answered 410 Gone: that switches the point's own
        // integration off (a company default is never switched off by one point's answer; the order fails with
        // the typed reason instead).
        var gonePoints = completions.Where(c => c.Result?.Reason == FailureReason.PosGone).Select(c => c.Work.Point.Id).Distinct().ToList();
        var integrations = gonePoints.Count == 0
            ? []
            : (await db.PosIntegrations.Where(i => gonePoints.Contains(i.PickupPointId)).ToListAsync(CancellationToken.None))
                .ToDictionary(i => i.PickupPointId);

        // Catch-up feed (issue 18): the webhook messages of this group not yet in the feed.
        var feed = await PosFeedRecorder.PrepareAsync(db, completions);

        // The entries' new values go out with the orders and history rows in one SaveChanges: one statement for
        // the group instead of a conditional update per outcome.
        var entryIds = completions.Select(c => c.Work.Claim.EntryId).Distinct().ToList();
        var entries = await (inTransaction ? ClaimSql.HeldExportEntries(db, entryIds) : db.ExportQueue.Where(e => entryIds.Contains(e.Id)))
            .ToDictionaryAsync(e => e.Id, CancellationToken.None);
        var held = new List<ExportClaim>(completions.Count);
        var finished = new List<(Order Order, ExportState Before, PosKind? Kind)>();
        var lost = 0;
        foreach (var completion in completions)
        {
            var (claim, entry) = (completion.Work.Claim, completion.Work.Entry);
            if (!entries.TryGetValue(claim.EntryId, out var row) || !StillHeld(row, claim))
            {
                // Lost for good: a claim never comes back to an owner that lost it.
                LogLostClaim(logger, claim.EntryId, claim.Attempt);
                lost++;
                continue;
            }

            held.Add(claim);
            var decision = Decide(completion, now);
            row.MayHaveReachedPos |= completion.Result?.Outcome == PosPushOutcome.Ambiguous;
            row.State = decision.State;
            row.NextAttemptAt = decision.NextAttemptAt;
            row.LeaseUntil = null;
            row.LeaseOwner = null;
            row.LastError = decision.LastError is { Length: > 1024 } ? decision.LastError[..1024] : decision.LastError;
            row.LastAttemptAt = now;
            row.UpdatedAt = now;

            var order = orders[entry.OrderId];
            var before = order.ExportState;
            decision.Apply(order, integrations.GetValueOrDefault(entry.PickupPointId), now);
            feed.Add(completion, now);
            finished.Add((order, before, completion.Work.Integration?.Kind));
        }

        return new Staged(held, lost, finished);
    }

    /// <summary>Inside the write transaction: whether every claim staged as held still is (read with the provider's row lock).</summary>
    private async Task<bool> StillHeldAsync(IReadOnlyList<ExportClaim> staged)
    {
        if (staged.Count == 0)
        {
            return true;
        }

        var current = await ClaimSql.HeldExportEntries(db, [.. staged.Select(c => c.EntryId)]).AsNoTracking()
            .ToDictionaryAsync(e => e.Id, CancellationToken.None);
        return staged.All(claim => current.TryGetValue(claim.EntryId, out var row) && StillHeld(row, claim));
    }

    /// <summary>The changes were detected before the gate: the save under it only builds and runs the statements.</summary>
    private async Task SaveWithoutDetectingAsync()
    {
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, CancellationToken.None);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>Counted once committed: a group that is rolled back and written again is not counted twice.</summary>
    private void Counted(IReadOnlyList<(Order Order, ExportState Before, PosKind? Kind)> finished, DateTimeOffset now)
    {
        foreach (var (order, before, kind) in finished.Where(f => f.Order.ExportState != f.Before))
        {
            if (order.ExportState == ExportState.Exported)
            {
                metrics.OrderExported(kind, order.ReceivedAt, now);
            }
            else if (order.ExportState == ExportState.Failed)
            {
                metrics.OrderFailed(order.Problem ?? FailureReason.PosRejected);
            }
        }
    }

    /// <summary>The entry still carries this claim: its owner token and attempt count, and it is still pending.</summary>
    private static bool StillHeld(ExportQueueEntry held, ExportClaim claim) =>
        held.LeaseOwner == claim.Owner && held.Attempts == claim.Attempt && held.State == ExportQueueState.Pending;

    private Decision Decide(ExportCompletion completion, DateTimeOffset now)
    {
        var (work, result) = (completion.Work, completion.Result);
        var (claim, entry) = (work.Claim, work.Entry);
        if (result is null)
        {
            // Cancelled (or re-routed by an operator) after it was claimed: nothing was sent.
            return new Decision(ExportQueueState.Cancelled, null, entry.NextAttemptAt, (_, _, _) => { });
        }

        var target = Target(work.Integration);
        var isCancel = entry.Kind == ExportQueueKind.Cancel;
        var details = new
        {
            attempt = claim.Attempt,
            generation = entry.Generation,
            kind = entry.Kind.ToString(),
            target = Describe(work.Integration),
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
                return new Decision(ExportQueueState.Done, null, entry.NextAttemptAt, (order, _, at) =>
                {
                    if (isCancel)
                    {
                        db.Record(order, at, attemptAction, ActionOutcome.Success,
                            Msg.Of("export.cancelDelivered", ("because", CancellationRouting.Because(order))).With("target", target), details: details);
                        return;
                    }

                    if (order.ExportState == ExportState.Queued)
                    {
                        order.MarkExported();
                    }

                    order.PosOrderId = result.PosOrderId ?? order.PosOrderId;
                    order.PosStatus = result.PosStatus ?? order.PosStatus;
                    order.ExportedAt = at;
                    order.UpdatedAt = at;
                    db.Record(order, at, attemptAction, ActionOutcome.Success,
                        result.FoundExisting
                            ? Msg.Of("export.foundExisting", ("posId", PosId(result)), ("posOrderId", result.PosOrderId)).With("target", target)
                            : Msg.Of("export.delivered", ("posId", PosId(result)), ("posOrderId", result.PosOrderId), ("attempt", claim.Attempt)).With("target", target),
                        details: details);
                    if (order.DotsStatus == "cancelled")
                    {
                        // Cancelled in Dots while it was on its way: the POS must hear of it too. Routed by the
                        // effective integration the order went out with (it may be the company default).
                        db.RouteCancellationAfterExport(order, work.Integration, at);
                    }
                });

            case PosPushOutcome.Permanent:
                var reason = result.Reason ?? FailureReason.PosRejected;
                var hint = Msg.From(result.FixHintRef) ?? (result.FixHint is { } fixHint ? Msg.Of("text", ("text", fixHint)) : Msg.Of("hint.checkOrderAndPos"));
                return new Decision(ExportQueueState.Failed, result.Message, entry.NextAttemptAt, (order, integration, at) =>
                {
                    if (isCancel)
                    {
                        RecordCancellationNotDelivered(order, at, attemptAction, Detail(result), result, details);
                        return;
                    }

                    order.MarkFailed(reason);
                    order.UpdatedAt = at;
                    db.Record(order, at, attemptAction, ActionOutcome.Failure, Msg.Of("export.refused").With("target", target).With("detail", Detail(result)),
                        reason: reason, fixHint: hint, details: details);
                    if (reason == FailureReason.PosGone && integration is not null)
                    {
                        integration.Enabled = false;
                        integration.DisabledReason = PosDisabledReasons.Gone(at);
                        integration.UpdatedAt = at;
                    }
                });

            default:
                var next = now + schedule.PauseAfter(claim.Attempt, result);
                if (next - entry.CreatedAt > options.Value.MaxAge)
                {
                    return new Decision(ExportQueueState.Failed, result.Message, entry.NextAttemptAt, (order, _, at) =>
                    {
                        var message = Msg.Of("export.gaveUp", ("attempt", claim.Attempt), ("since", entry.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)))
                            .With("detail", Detail(result)).With("target", target);
                        if (isCancel)
                        {
                            RecordCancellationNotDelivered(order, at, attemptAction, message, null, details);
                            return;
                        }

                        order.MarkFailed(FailureReason.PosUnreachable);
                        order.UpdatedAt = at;
                        db.Record(order, at, attemptAction, ActionOutcome.Failure, message,
                            reason: FailureReason.PosUnreachable, fixHint: Msg.Of("hint.posUnreachable", ("point", work.Point.Name)),
                            details: details);
                    });
                }

                return new Decision(ExportQueueState.Pending, result.Message, next, (order, _, at) =>
                    db.Record(order, at, attemptAction, ActionOutcome.Warning,
                        Msg.Of("export.retrying", ("attempt", claim.Attempt), ("next", next.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))).With("detail", Detail(result)),
                        details: new { details, nextAttemptAt = next }));
        }
    }

    /// <summary>A cancellation the POS could not be told of leaves the order for a person at the register.</summary>
    private void RecordCancellationNotDelivered(Order order, DateTimeOffset now, string action, Msg message, PosPushResult? result, object details)
    {
        order.Problem = FailureReason.CancelledAfterExport;
        var hint = Msg.From(result?.FixHintRef) ?? (result?.FixHint is { } fixHint ? Msg.Of("text", ("text", fixHint)) : Msg.Of("hint.cancelNotTold"));
        db.Record(order, now, action, ActionOutcome.Failure, Msg.Of("export.cancelNotTold", ("because", CancellationRouting.Because(order))).With("failure", message),
            reason: FailureReason.CancelledAfterExport, fixHint: hint, details: details);
    }

    /// <summary>The POS client's sentence: as data where the client gives it, else its English as is.</summary>
    private static Msg Detail(PosPushResult result) => Msg.From(result.MessageRef) ?? Msg.Of("text", ("text", result.Message));

    private static string PosId(PosPushResult result) => result.PosOrderId is null ? "" : Msg.Term("export.posId");

    private static Msg Target(PosIntegration? integration) => integration switch
    {
        { Kind: PosKind.Poster } => Msg.Of("term.posterTarget", ("account", integration.PosterAccount), ("spot", integration.PosterSpotId)),
        { Kind: PosKind.Webhook, WebhookUrl: { } url } when Uri.TryCreate(url, UriKind.Absolute, out var uri) => Msg.Of("term.webhookTarget", ("host", $"{uri.Host}:{uri.Port}")),
        null => Msg.Of("term.noPos"),
        _ => Msg.Of("term.otherTarget", ("kind", integration.Kind)),
    };

    private static string Describe(PosIntegration? integration) => integration switch
    {
        { Kind: PosKind.Poster } => $"Poster account '{integration.PosterAccount}', spot {integration.PosterSpotId}",
        { Kind: PosKind.Webhook, WebhookUrl: { } url } when Uri.TryCreate(url, UriKind.Absolute, out var uri) => $"webhook POS {uri.Host}:{uri.Port}",
        null => "no POS",
        _ => $"{integration.Kind} POS",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export entry {EntryId} attempt {Attempt}: the claim was lost before its outcome was written; the newer claim's outcome counts")]
    private static partial void LogLostClaim(ILogger logger, Guid entryId, int attempt);
}
