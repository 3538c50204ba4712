using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.Alerts;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Alerts;

/// <summary>
/// The periodic part of alerts: end-of-day reports that fell due (each chat's report time, local to each point)
/// and orders waiting past a threshold: in AwaitingExport, or at a POS that has not accepted them. Each is written once per chat (unique dedup key per
/// chat), so several instances may run it.
/// </summary>
public sealed partial class AlertClock(
    IServiceScopeFactory scopes,
    IOptions<TelegramOptions> options,
    TimeProvider time,
    ILogger<AlertClock> logger) : BackgroundService
{
    /// <summary>Orders older than this are not alerted as waiting (they were already, or predate the alerts).</summary>
    private static readonly TimeSpan StaleLookback = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TickAsync(stoppingToken);
                await Task.Delay(options.Value.ClockInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is System.Data.Common.DbException or DbUpdateException or InvalidOperationException or TimeoutException)
            {
                LogTickFailed(logger, exception);
                await Task.Delay(options.Value.ClockInterval, stoppingToken);
            }
        }
    }

    private const int PruneBatch = 500;
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    public async Task TickAsync(CancellationToken cancellationToken)
    {
        await DueReportsAsync(cancellationToken);
        await WaitingOrdersAsync(cancellationToken);
        if (time.GetUtcNow() - _lastPrune >= TimeSpan.FromHours(1))
        {
            await PruneAsync(cancellationToken);
            _lastPrune = time.GetUtcNow();
        }
    }

    /// <summary>Old sent messages, codes and register operations go in bounded batches, so no pass holds the database long.</summary>
    public async Task PruneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var now = time.GetUtcNow();
        var messagesBefore = now - options.Value.KeepMessagesFor;
        var operationsBefore = now - options.Value.KeepRegisterOperationsFor;
        // Batches oldest first by id (version 7, time-ordered): the primary key gives the order without a sort.
        while (true)
        {
            var ids = await db.AlertMessages.Where(m => m.State != AlertMessageState.Pending && m.CreatedAt < messagesBefore)
                .OrderBy(m => m.Id).Select(m => m.Id).Take(PruneBatch).ToListAsync(cancellationToken);
            if (ids.Count == 0 || await db.AlertMessages.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken) < PruneBatch)
            {
                break;
            }
        }

        await db.TelegramChatCodes.Where(c => c.ExpiresAt < messagesBefore).ExecuteDeleteAsync(cancellationToken);
        while (true)
        {
            var ids = await db.RegisterOperations.Where(r => r.HappenedAt < operationsBefore)
                .OrderBy(r => r.Id).Select(r => r.Id).Take(PruneBatch).ToListAsync(cancellationToken);
            if (ids.Count == 0 || await db.RegisterOperations.Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken) < PruneBatch)
            {
                break;
            }
        }
    }

    private async Task DueReportsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var writer = scope.ServiceProvider.GetRequiredService<AlertWriter>();
        var reports = scope.ServiceProvider.GetRequiredService<ReportBuilder>();
        var chats = await db.TelegramChats.AsNoTracking().Where(c => (c.Reports & ReportKinds.EndOfDay) == ReportKinds.EndOfDay).ToListAsync(cancellationToken);
        if (chats.Count == 0)
        {
            return;
        }

        var companies = chats.Select(c => c.CompanyId).Distinct().ToList();
        var points = await db.PickupPoints.AsNoTracking().Where(p => companies.Contains(p.CompanyId)).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var chat in chats)
        {
            foreach (var point in points.Where(p => p.CompanyId == chat.CompanyId && (chat.PickupPointId is null || chat.PickupPointId == p.Id)))
            {
                var local = TimeZoneInfo.ConvertTime(now, ReportBuilder.Zone(point));
                if (local.TimeOfDay < TimeSpan.FromMinutes(chat.ReportAtMinute))
                {
                    continue;
                }

                var day = DateOnly.FromDateTime(local.DateTime);
                var key = $"eod:{point.Id:N}:{day:yyyy-MM-dd}";
                if (await db.AlertMessages.AnyAsync(m => m.TelegramChatRowId == chat.Id && m.DedupKey == key, cancellationToken))
                {
                    continue;
                }

                var figures = await reports.FiguresAsync(point, day, cancellationToken);
                var text = ReportBuilder.Format(figures, "tg.report.endOfDay", AlertWriter.LanguageOf(chat));
                if (await reports.ReconciliationLineAsync(point, day, AlertWriter.LanguageOf(chat), cancellationToken) is { } reconciliation)
                {
                    text += "\n" + reconciliation; // Daily reconciliation: the latest reconciled day.
                }

                writer.Add(db, chat, "report", new AlertContent(text), key);
                await SaveOnceAsync(db, cancellationToken);
            }
        }
    }

    private async Task WaitingOrdersAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var writer = scope.ServiceProvider.GetRequiredService<AlertWriter>();
        var now = time.GetUtcNow();
        var chats = await db.TelegramChats.AsNoTracking().Select(c => new { c.CompanyId, c.WaitingAlertMinutes }).ToListAsync(cancellationToken);
        if (chats.Count == 0)
        {
            return;
        }

        var companies = chats.Select(c => c.CompanyId).Distinct().ToList();
        var thresholds = chats.Select(c => c.WaitingAlertMinutes).Distinct().ToList();
        var exportDefault = options.Value.AwaitingExportThreshold;
        var (before, after) = Window(thresholds, exportDefault, now);

        var waiting = await (
                from order in db.Orders.AsNoTracking()
                join point in db.PickupPoints.AsNoTracking() on order.PickupPointId equals point.Id
                // A test order (issue 18) is watched by whoever sent it: no alert.
                where companies.Contains(order.CompanyId) && order.ExportState == ExportState.AwaitingExport && !order.IsTest
                      && order.ReceivedAt < before && order.ReceivedAt >= after
                orderby order.ReceivedAt
                select new { order.Id, order.CompanyId, order.PickupPointId, order.Number, order.ReceivedAt, PointName = point.Name })
            .Take(500)
            .ToListAsync(cancellationToken);
        var added = 0;
        foreach (var order in waiting)
        {
            var age = now - order.ReceivedAt;
            var link = writer.OrderLink(order.Id);
            Func<string, AlertContent> content = l => AlertTexts.WaitingTooLong(l, order.PointName, order.Number, age, order.PickupPointId, link);
            added += await writer.AddAsync(db, order.CompanyId, order.PickupPointId, AlertKinds.WaitingTooLong, content, cancellationToken,
                dedupKey: $"waiting:{order.Id:N}", wants: chat => Due(chat, exportDefault, age));
        }

        added += await UnacceptedOrdersAsync(db, writer, companies, thresholds, now, cancellationToken);

        // One commit: orders found waiting together are alerted together (one grouped message per chat).
        if (added > 0)
        {
            await SaveOnceAsync(db, cancellationToken);
        }
    }

    /// <summary>
    /// Orders the POS received but has not reported accepted (nor rejected) past the threshold. Only POS that report
    /// acceptance count: Poster (its incoming_order hook, read back as new/accepted/rejected), and a webhook POS once
    /// it has reported a status of any order of its point, so a webhook POS that never reports does not alert every order.
    /// </summary>
    private async Task<int> UnacceptedOrdersAsync(
        OrderHubDbContext db, AlertWriter writer, List<Guid> companies, List<int?> thresholds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var unacceptedDefault = options.Value.UnacceptedAtPosThreshold;
        var (before, after) = Window(thresholds, unacceptedDefault, now);
        // Orders at points with a POS: their own integration or the company default they inherit.
        var exported = await (
                from order in db.Orders.AsNoTracking()
                join point in db.PickupPoints.AsNoTracking() on order.PickupPointId equals point.Id
                where companies.Contains(order.CompanyId) && order.ExportState == ExportState.Exported && !order.IsTest
                      && order.ExportedAt < before && order.ExportedAt >= after
                      && (order.PosStatus == null || order.PosStatus == UnacceptedPosterStatus)
                      && order.DotsStatus != "cancelled"
                      && (db.PosIntegrations.Any(i => i.PickupPointId == order.PickupPointId)
                          || db.CompanyPosIntegrations.Any(c => c.CompanyId == order.CompanyId))
                orderby order.ExportedAt
                select new { order.Id, order.CompanyId, order.PickupPointId, order.Number, order.ExportedAt, PointName = point.Name })
            .Take(500)
            .ToListAsync(cancellationToken);
        var effective = await EffectivePosIntegrations.ForPointsAsync(db, exported.Select(o => o.PickupPointId).Distinct().ToList(), cancellationToken);
        var candidates = exported.Where(o => effective.ContainsKey(o.PickupPointId))
            .Select(o => new { o.Id, o.CompanyId, o.PickupPointId, o.Number, o.ExportedAt, effective[o.PickupPointId].Integration.Kind, o.PointName })
            .Where(o => o.Kind == PosKind.Poster || o.Kind == PosKind.Webhook)
            .ToList();
        if (candidates.Count == 0)
        {
            return 0;
        }

        var webhookPoints = candidates.Where(c => c.Kind == PosKind.Webhook).Select(c => c.PickupPointId).Distinct().ToList();
        var reporting = webhookPoints.Count == 0
            ? []
            : await (
                    from action in db.OrderActions.AsNoTracking()
                    join order in db.Orders.AsNoTracking() on action.OrderId equals order.Id
                    where webhookPoints.Contains(order.PickupPointId) && order.PosStatus != null
                          && action.Action == Actions.PosStatus && action.Actor == PosStatusRecording.WebhookPosActor
                    select order.PickupPointId)
                .Distinct()
                .ToListAsync(cancellationToken);

        // The orders were read before the flag, in another statement: a status reported in between (say the point's first)
        // makes the point reporting while its order still looked unaccepted. Statuses are read again after the flag, so an
        // order whose status the flag saw is never alerted (a status only moves on from unaccepted, the flag only appears).
        var due = candidates.Where(c => c.Kind == PosKind.Poster || reporting.Contains(c.PickupPointId)).Select(c => c.Id).ToList();
        var stillUnaccepted = due.Count == 0
            ? []
            : await db.Orders.AsNoTracking()
                .Where(o => due.Contains(o.Id) && (o.PosStatus == null || o.PosStatus == UnacceptedPosterStatus))
                .Select(o => o.Id)
                .ToListAsync(cancellationToken);
        var added = 0;
        foreach (var order in candidates.Where(c => stillUnaccepted.Contains(c.Id)))
        {
            var age = now - order.ExportedAt!.Value;
            var link = writer.OrderLink(order.Id);
            Func<string, AlertContent> content = l => AlertTexts.UnacceptedAtPos(l, order.PointName, order.Number, age, order.PickupPointId, link);
            added += await writer.AddAsync(db, order.CompanyId, order.PickupPointId, AlertKinds.WaitingTooLong, content, cancellationToken,
                dedupKey: $"unaccepted:{order.Id:N}", wants: chat => Due(chat, unacceptedDefault, age));
        }

        return added;
    }

    private static TimeSpan Threshold(int? chatMinutes, TimeSpan instanceDefault) =>
        chatMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : instanceDefault;

    /// <summary>Received (or exported) times that are due for at least one chat: from the shortest threshold back to the longest plus the lookback.</summary>
    private static (DateTimeOffset Before, DateTimeOffset After) Window(List<int?> chatMinutes, TimeSpan instanceDefault, DateTimeOffset now)
    {
        var all = chatMinutes.Select(m => Threshold(m, instanceDefault)).ToList();
        return (now - all.Min(), now - all.Max() - StaleLookback);
    }

    /// <summary>An order of this age is alerted to the chat once past the chat's threshold, and not once it is stale for it.</summary>
    private static bool Due(TelegramChat chat, TimeSpan instanceDefault, TimeSpan age)
    {
        var threshold = Threshold(chat.WaitingAlertMinutes, instanceDefault);
        return age >= threshold && age < threshold + StaleLookback;
    }

    /// <summary>Poster's status 0: the online order waits for a cashier.</summary>
    private const string UnacceptedPosterStatus = "new";

    /// <summary>Another instance may have written the same keyed message a moment earlier: then this one is dropped.</summary>
    private static async Task SaveOnceAsync(OrderHubDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert clock tick failed; trying again at the next tick")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
