using System.Text;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Features.Orders;
using OrderHub.Api.Features.Orders.AcceptOrder;
using OrderHub.Api.Features.Orders.ApplyStatusChange;
using OrderHub.Api.Features.Orders.IgnoreEvent;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Processing;
using OrderHub.Api.Telemetry;
using OrderHub.Domain.History;
using OrderHub.Domain.Inbound;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Dots;

namespace OrderHub.Api.Inbox;

/// <summary>The claimed events of one order (in arrival order), applied one after another in one attempt.</summary>
public sealed record InboxOrderEvents(string Token, Company Company, IReadOnlyList<InboxEvent> Events);

/// <summary>
/// Processes the inbox on the processing engine: claims received events with a lease (several instances can share
/// one database), applies each through its use case — the events of one order one after another, in arrival order,
/// different orders side by side — and writes the round's outcomes together, only for the events whose claim still
/// holds. A use case that throws is retried on <see cref="InboxOptions.RetryDelays"/>, then the event is parked with
/// a typed reason. Applying twice is harmless: the use cases recognise an event by its webhook-id and its meaning,
/// so a crash between applying and writing the outcome only makes the next claim answer "duplicate".
/// </summary>
public sealed partial class InboxProcessor(
    IServiceScopeFactory scopes,
    InstanceIdentity instance,
    QueueWake wake,
    IOptions<InboxOptions> options,
    TimeProvider time,
    OrderHubMetrics metrics,
    ILogger<InboxProcessor> logger)
    : LeasedQueue<InboxOrderEvents, InboxProcessor.Outcomes>(QueueName.Inbox, scopes, instance, wake, time, logger)
{
    /// <summary>
    /// Rounds, not continuous claims: a round is claimed, applied and written before the next, and a claim passes
    /// over the points another round holds, so a point's orders keep their arrival order however many run at once.
    /// </summary>
    protected override QueueSettings Settings { get; } = new()
    {
        Concurrency = options.Value.Concurrency,
        BatchSize = options.Value.BatchSize,
        LeaseDuration = options.Value.LeaseDuration,
        PollInterval = options.Value.PollInterval,
        RederivableClaims = true,
    };

    /// <summary>One round: claim due events, apply them, write their outcomes. True when there was work.</summary>
    public async Task<bool> RunRoundAsync(CancellationToken cancellationToken) => await RunOnceAsync(cancellationToken) > 0;

    /// <summary>What one order's attempt came to, event by event.</summary>
    public sealed record Outcomes(string Token, IReadOnlyList<Result> Results);

    /// <summary>What one attempt came to: an outcome, a wait for the order, a failure, or a reason to park at once.</summary>
    public sealed record Result(InboxEvent Event, InboundOutcome? Outcome, bool AwaitingOrder, string? Error, bool Permanent);

    protected override async Task<IReadOnlyList<InboxOrderEvents>> LoadAsync(OrderHubDbContext db, IReadOnlyList<Guid> ids, string token, CancellationToken cancellationToken)
    {
        var won = await db.InboxEvents.AsNoTracking().Where(e => ids.Contains(e.Id) && e.LeaseOwner == token).ToListAsync(cancellationToken);
        var companyIds = won.Select(e => e.CompanyId).Distinct().ToList();
        var companies = await db.Companies.AsNoTracking().Where(c => companyIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        // Oldest first: the round applies its orders in this order, so the export entries follow arrival order.
        return won
            .OrderBy(e => e.ReceivedAt).ThenBy(e => e.Id)
            .GroupBy(e => (e.CompanyId, e.DotsOrderId ?? e.Id.ToString()))
            .Select(g => new InboxOrderEvents(token, companies[g.Key.CompanyId], g.OrderBy(e => e.ReceivedAt).ThenBy(e => e.Id).ToList()))
            .ToList();
    }

    /// <summary>
    /// The round in one unit of work: the orders with one claimed event each are applied through their use cases
    /// in one scope with the saves deferred, and all they added (orders, lines, history, queue entries) is written
    /// with the events' outcomes by one SaveChanges: one transaction, one commit for the round instead of one per
    /// event. An order with several events in the round (an acceptance and its status change: the second reads
    /// what the first wrote) is applied one event at a time, and so is the whole round when anything in the unit
    /// fails: an attempt throws or is refused, or the save is (another copy won a unique key, a claim was lost).
    /// </summary>
    protected override async Task ProcessRoundAsync(IReadOnlyList<InboxOrderEvents> batch)
    {
        var single = batch.Where(w => w.Events.Count == 1).ToList();
        var apart = batch.Where(w => w.Events.Count > 1).ToList();
        if (single.Count > 0 && !await TryApplyTogetherAsync(single))
        {
            apart.AddRange(single);
        }

        if (apart.Count > 0)
        {
            await base.ProcessRoundAsync(apart);
        }
    }

    protected override async Task<Outcomes?> AttemptAsync(InboxOrderEvents work, CancellationToken abandon)
    {
        var results = new List<Result>(work.Events.Count);
        foreach (var inboxEvent in work.Events)
        {
            await using var scope = Scopes.CreateAsyncScope();
            results.Add(await AttemptAsync(inboxEvent, work.Company, scope.ServiceProvider, abandon));
        }

        return new Outcomes(work.Token, results);
    }

    protected override Task WriteAsync(IReadOnlyList<Outcomes> outcomes) =>
        WriteOutcomesAsync([.. outcomes.SelectMany(o => o.Results.Select(r => (o.Token, r)))]);

    /// <summary>False when the unit was given up (nothing of it written): then each event goes on its own.</summary>
    private async Task<bool> TryApplyTogetherAsync(IReadOnlyList<InboxOrderEvents> works)
    {
        await using var scope = Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var parsed = works.Select(w => DotsEventParser.Parse(w.Events[0].Body ?? [])).ToList();
        await scope.ServiceProvider.GetRequiredService<ReadAhead>().LoadAsync(db, ReadAheadKeysOf(works, parsed), CancellationToken.None);
        var results = new List<(string Token, Result Result)>(works.Count);

        // Entities the unit starts tracking (added or loaded), counted as it goes: counting the tracker's entries
        // before and after each attempt read the whole unit twice per event, quadratic in the round's size.
        var tracked = 0;
        db.ChangeTracker.Tracked += (_, _) => tracked++;
        using (db.DeferSaves())
        {
            for (var i = 0; i < works.Count; i++)
            {
                var work = works[i];
                var trackedBefore = tracked;
                var result = await AttemptAsync(work.Events[0], work.Company, scope.ServiceProvider, Abandon, parsed[i]);
                if (Abandon.IsCancellationRequested)
                {
                    // The host stopped waiting: nothing is recorded, the events are claimed again after their lease.
                    return true;
                }

                // A failed attempt may have left part of its changes in the unit: the round goes one by one.
                if (result.Outcome is null && !(result.AwaitingOrder && tracked == trackedBefore))
                {
                    LogRoundApart(logger, "an attempt failed", works.Count);
                    return false;
                }

                results.Add((work.Token, result));
            }
        }

        try
        {
            var now = Time.GetUtcNow();
            foreach (var (token, result) in results)
            {
                Stage(db, token, result, now);
            }

            // All of it follows from the stored raw events: lost in a power failure, the events are applied again.
            // Not accepted: the unit's scope ends here, and accepting a round's thousand entries is work for nothing.
            await RederivableWrites.RunAsync(db, () => db.SaveChangesAsync(acceptAllChangesOnSuccess: false, CancellationToken.None), CancellationToken.None);
        }
        catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException)
        {
            LogRoundApart(logger, exception.GetType().Name, works.Count);
            return false;
        }

        await AfterWrittenAsync([.. results.Select(r => r.Result)]);
        return true;
    }

    /// <summary>What the round's use cases will read: the events' keys, the orders' points and items.</summary>
    private static ReadAheadKeys ReadAheadKeysOf(IReadOnlyList<InboxOrderEvents> works, IReadOnlyList<DotsParseResult> parsed)
    {
        var events = works.Zip(parsed, (w, p) => (w.Events[0], p.Event)).Where(e => e.Event is not null).ToList();
        var orders = events.Select(e => e.Event!.Order).OfType<DotsOrder>().ToList();
        return new ReadAheadKeys(
            [.. works.Select(w => w.Company.Id).Distinct()],
            [.. events.Select(e => e.Item1.WebhookId)],
            [.. orders.Select(o => InboundEvent.DedupKeyFor(DotsEventTypes.OrderAccepted, o.Id, null))],
            [.. orders.Select(o => o.CompanyAddressId).Distinct()],
            [.. orders.SelectMany(o => o.Items.SelectMany(i => i.Modifiers.Select(m => m.Id).Append(i.ProductId).Append(i.VariantId)))
                .Concat(orders.SelectMany(o => o.Promotions.Select(p => p.Id))).OfType<string>().Distinct()]);
    }

    private async Task<Result> AttemptAsync(
        InboxEvent inboxEvent, Company company, IServiceProvider services, CancellationToken cancellationToken, DotsParseResult? parsedBefore = null)
    {
        using var _ = logger.BeginScope(new Dictionary<string, object> { ["InboxEventId"] = inboxEvent.Id, ["CompanyId"] = inboxEvent.CompanyId });
        try
        {
            var body = inboxEvent.Body ?? [];
            var parsed = parsedBefore ?? DotsEventParser.Parse(body);
            if (!parsed.IsValid)
            {
                return new Result(inboxEvent, null, false, "The stored event no longer passes contract v1 validation.", Permanent: true);
            }

            var dotsEvent = parsed.Event!;
            var raw = Encoding.UTF8.GetString(body);
            IRequest<InboundOutcome> command = dotsEvent.EventType switch
            {
                DotsEventTypes.OrderAccepted => new AcceptOrderCommand(company, inboxEvent.WebhookId, dotsEvent, raw, ReceivedAt: inboxEvent.ReceivedAt),
                DotsEventTypes.OrderStatusChanged or DotsEventTypes.OrderCancelled => new ApplyStatusChangeCommand(company, inboxEvent.WebhookId, dotsEvent, raw),
                _ => new IgnoreEventCommand(company, inboxEvent.WebhookId, dotsEvent, raw),
            };

            var outcome = await services.GetRequiredService<IMediator>().Send(command, cancellationToken);
            return outcome.Kind == InboundOutcomeKind.AwaitingOrder
                ? new Result(inboxEvent, null, AwaitingOrder: true, null, false)
                : new Result(inboxEvent, outcome, false, null, false);
        }
        catch (ProblemException problem)
        {
            // A refusal the intake's checks did not foresee: retrying cannot change it.
            return new Result(inboxEvent, null, false, $"{problem.Title}: {problem.Message}", Permanent: true);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogAttemptFailed(logger, exception, inboxEvent.Id, inboxEvent.Attempts);
            return new Result(inboxEvent, null, false, Describe(exception), Permanent: false);
        }
    }

    /// <summary>The outcomes of a round, in one transaction; where a claim was lost meanwhile, the rest one by one.</summary>
    private async Task WriteOutcomesAsync(IReadOnlyList<(string Token, Result Result)> results)
    {
        try
        {
            await WriteAsync(results);
        }
        catch (DbUpdateConcurrencyException) when (results.Count > 1)
        {
            foreach (var result in results)
            {
                try
                {
                    await WriteAsync([result]);
                }
                catch (DbUpdateConcurrencyException)
                {
                    LogClaimLost(logger, result.Result.Event.Id);
                }
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            LogClaimLost(logger, results[0].Result.Event.Id);
        }

        await AfterWrittenAsync([.. results.Select(r => r.Result)]);
    }

    private async Task AfterWrittenAsync(IReadOnlyList<Result> results)
    {
        // Status events that arrived before their order: the order is here now, look again at once.
        var accepted = results
            .Where(r => r.Outcome is { Kind: InboundOutcomeKind.Applied } && r.Event.EventType == DotsEventTypes.OrderAccepted && r.Event.DotsOrderId is not null)
            .Select(r => r.Event).ToList();
        foreach (var _ in accepted)
        {
            metrics.OrderReceived();
        }

        if (accepted.Count > 0)
        {
            await WakeWaitingAsync(accepted, CancellationToken.None);
        }
    }

    private async Task WriteAsync(IReadOnlyList<(string Token, Result Result)> results)
    {
        await using var scope = Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var now = Time.GetUtcNow();
        foreach (var (token, result) in results)
        {
            Stage(db, token, result, now);
        }

        await RederivableWrites.RunAsync(db, () => db.SaveChangesAsync(CancellationToken.None), CancellationToken.None);
    }

    private void Stage(OrderHubDbContext db, string token, Result result, DateTimeOffset now)
    {
        // Attached as read under the claim: the update only applies while owner and attempt count still match.
        // A copy, so a failed write leaves the claimed values intact for the one-by-one retry.
        var row = Copy(result.Event);
        row.LeaseOwner = token;
        db.InboxEvents.Attach(row);
        Apply(row, result, now);
    }

    private void Apply(InboxEvent row, Result result, DateTimeOffset now)
    {
        row.LeaseOwner = null;
        row.LeaseUntil = null;
        if (result.Outcome is { } outcome)
        {
            row.State = InboxEventState.Processed;
            row.Outcome = outcome.Kind.ToString().ToLowerInvariant();
            row.InboundEventId = outcome.EventId == Guid.Empty ? null : outcome.EventId;
            row.OrderId = outcome.OrderId;
            row.ProcessedAt = now;
            row.LastError = null;

            // The order or the inbound event keeps the payload from here on.
            row.Body = null;
            return;
        }

        if (result.AwaitingOrder)
        {
            if (now - row.ReceivedAt >= options.Value.OrderWaitLimit)
            {
                Park(row, FailureReason.OrderNeverReceived, $"No order.accepted for order '{row.DotsOrderId}' arrived within {options.Value.OrderWaitLimit}.");
                return;
            }

            var pause = TimeSpan.FromSeconds(Math.Min(options.Value.MaxOrderWaitPause.TotalSeconds, Math.Pow(2, Math.Min(row.Attempts, 20))));
            row.NextAttemptAt = now + pause;
            row.LastError = "Waiting for the order's order.accepted event.";
            return;
        }

        row.Failures++;
        var delays = options.Value.RetryDelays;
        if (result.Permanent || row.Failures > delays.Length)
        {
            Park(row, FailureReason.EventProcessingFailed, result.Error);
            return;
        }

        row.NextAttemptAt = now + delays[row.Failures - 1];
        row.LastError = Clip(result.Error);
    }

    private void Park(InboxEvent row, FailureReason reason, string? error)
    {
        row.State = InboxEventState.Parked;
        row.ParkedReason = reason;
        row.LastError = Clip(error);
        LogParked(logger, row.Id, reason, row.Attempts);
    }

    private async Task WakeWaitingAsync(IReadOnlyList<InboxEvent> accepted, CancellationToken cancellationToken)
    {
        await using var scope = Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var now = Time.GetUtcNow();
        foreach (var group in accepted.GroupBy(e => e.CompanyId))
        {
            var orderIds = group.Select(e => e.DotsOrderId).ToList();
            var waiting = db.InboxEvents
                .Where(e => e.CompanyId == group.Key && orderIds.Contains(e.DotsOrderId) && e.State == InboxEventState.Received && e.NextAttemptAt > now);

            // Almost always nobody waits: a read, without taking the writer's turn (SQLite's one writer lock).
            if (await waiting.AnyAsync(cancellationToken))
            {
                await waiting.ExecuteUpdateAsync(set => set.SetProperty(e => e.NextAttemptAt, now), cancellationToken);
            }
        }
    }

    private static InboxEvent Copy(InboxEvent e) => new()
    {
        Id = e.Id, CompanyId = e.CompanyId, WebhookId = e.WebhookId, EventType = e.EventType, DotsOrderId = e.DotsOrderId, OrderingKey = e.OrderingKey,
        WebhookTimestamp = e.WebhookTimestamp, Body = e.Body, ReceivedAt = e.ReceivedAt, State = e.State, Attempts = e.Attempts,
        Failures = e.Failures, NextAttemptAt = e.NextAttemptAt, LeaseOwner = e.LeaseOwner, LeaseUntil = e.LeaseUntil, LastError = e.LastError,
        ParkedReason = e.ParkedReason, Outcome = e.Outcome, InboundEventId = e.InboundEventId, OrderId = e.OrderId, ProcessedAt = e.ProcessedAt,
    };

    /// <summary>Type and message only: exception messages of our own code and the database carry no payload.</summary>
    private static string Describe(Exception exception)
    {
        var inner = exception.InnerException is { } i ? $" ({i.GetType().Name}: {i.Message})" : "";
        return $"{exception.GetType().Name}: {exception.Message}{inner}";
    }

    private static string? Clip(string? text) => text is { Length: > 1000 } ? text[..1000] + "…" : text;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox event {InboxEventId}: attempt {Attempt} failed")]
    private static partial void LogAttemptFailed(ILogger logger, Exception exception, Guid inboxEventId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbox event {InboxEventId} parked ({Reason}) after {Attempts} attempts")]
    private static partial void LogParked(ILogger logger, Guid inboxEventId, FailureReason reason, int attempts);

    [LoggerMessage(Level = LogLevel.Debug, Message = "An inbox round of {Count} orders is applied one event at a time: {Why}")]
    private static partial void LogRoundApart(ILogger logger, string why, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbox event {InboxEventId}: the claim was lost before its outcome was written; the new holder decides")]
    private static partial void LogClaimLost(ILogger logger, Guid inboxEventId);
}
