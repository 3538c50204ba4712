using OrderHub.Api.Messages;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Dispatching;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Reconciliation;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Pos;
using OrderHub.Integrations.Poster;

namespace OrderHub.Api.Features.Reconciliation.RunReconciliation;

/// <summary>
/// Compares a pickup point's day (local to the point) between the orders Dots accepted and what the POS has:
/// for Poster its online orders of the day and the <c>[Dots #N]</c> markers in their comments; for a webhook POS
/// the deliveries it acknowledged and the status reports it sent. Claims the (point, day) row first, so two
/// instances never compare the same day at once; the API, the panel and the daily service all come here.
/// </summary>
public sealed partial class Reconciler(
    OrderHubDbContext db,
    PosterClient poster,
    PosRequestBuilder requests,
    ReconciliationSummary summary,
    IOptions<ReconciliationOptions> options,
    TimeProvider time)
{
    /// <summary>The outcome of asking for a run: the run, or that another instance holds the day right now.</summary>
    public sealed record Outcome(ReconciliationRun? Run, bool Busy);

    /// <summary>
    /// Claims and runs the day. Automatic runs do not repeat a day that has a finished run; a manual run
    /// replaces the findings of the one before.
    /// </summary>
    public async Task<Outcome> RunAsync(PickupPoint point, DateOnly day, ReconciliationTrigger trigger, string actor, CancellationToken cancellationToken)
    {
        var (run, retryOfFailed) = await ClaimAsync(point, day, trigger, actor, cancellationToken);
        if (run is null)
        {
            return new Outcome(null, Busy: true);
        }

        await CompareAsync(run, point, day, retryOfFailed, cancellationToken);
        return new Outcome(run, Busy: false);
    }

    /// <summary>
    /// The run row held by this caller, or null when another holds it (or an automatic run finds it done, or failed
    /// less than <see cref="ReconciliationOptions.RetryFailedAfter"/> ago); and whether it is an automatic retry of a failed run.
    /// </summary>
    private async Task<(ReconciliationRun? Run, bool RetryOfFailed)> ClaimAsync(PickupPoint point, DateOnly day, ReconciliationTrigger trigger, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lease = now + options.Value.Lease;
        var existing = await db.ReconciliationRuns.AsNoTracking().FirstOrDefaultAsync(r => r.PickupPointId == point.Id && r.Day == day, cancellationToken);
        if (existing is null)
        {
            var run = new ReconciliationRun
            {
                CompanyId = point.CompanyId,
                PickupPointId = point.Id,
                Day = day,
                State = ReconciliationState.Running,
                Trigger = trigger,
                RequestedBy = actor,
                LeaseUntil = lease,
                StartedAt = now,
            };
            db.ReconciliationRuns.Add(run);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return (run, false);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                // Another instance inserted the day first: it runs it.
                db.ChangeTracker.Clear();
                return (null, false);
            }
        }

        var retry = existing.State == ReconciliationState.Failed && existing.FinishedAt < now - options.Value.RetryFailedAfter;
        if (trigger == ReconciliationTrigger.Automatic && existing.State != ReconciliationState.Running && !retry)
        {
            return (null, false);
        }

        // Take the row over only if nobody holds it: finished, or its holder's lease lapsed (that instance died).
        var running = ReconciliationState.Running;
        var taken = await db.ReconciliationRuns
            .Where(r => r.Id == existing.Id && (r.State != running || r.LeaseUntil == null || r.LeaseUntil < now))
            .ExecuteUpdateAsync(u => u
                .SetProperty(r => r.State, running)
                .SetProperty(r => r.LeaseUntil, lease)
                .SetProperty(r => r.Trigger, trigger)
                .SetProperty(r => r.RequestedBy, actor)
                .SetProperty(r => r.StartedAt, now), cancellationToken);
        return taken == 0
            ? (null, false)
            : (await db.ReconciliationRuns.FirstAsync(r => r.Id == existing.Id, cancellationToken), retry && trigger == ReconciliationTrigger.Automatic);
    }

    private async Task CompareAsync(ReconciliationRun run, PickupPoint point, DateOnly day, bool retryOfFailed, CancellationToken cancellationToken)
    {
        var zone = ReportZone(point);
        var from = LocalToUtc(zone, day.ToDateTime(TimeOnly.MinValue));
        var to = LocalToUtc(zone, day.AddDays(1).ToDateTime(TimeOnly.MinValue));
        var orders = await db.Orders.AsNoTracking().AsSplitQuery()
            .Include(o => o.Lines)
            .Where(o => o.PickupPointId == point.Id && o.AcceptedAt >= from && o.AcceptedAt < to)
            // Test orders and orders a shadow point only rehearsed are not expected at the register.
            .Where(o => !o.IsTest && o.ExportState != ExportState.Shadowed)
            .ToListAsync(cancellationToken);

        var cancelled = orders.Where(IsCancelled).ToList();
        var expected = orders.Where(o => !IsCancelled(o)).OrderBy(o => o.AcceptedAt).ToList();
        var effective = await EffectivePosIntegrations.ForPointAsync(db, point, cancellationToken);
        var integration = effective?.Integration;

        var findings = new List<ReconciliationFinding>();
        Msg? error = null;
        var atPos = 0;
        switch (integration?.Kind)
        {
            case PosKind.Poster:
                (atPos, error) = await CompareWithPosterAsync(integration, point, zone, from, to, expected, findings, cancellationToken);
                break;
            case PosKind.Webhook:
                atPos = await CompareWithWebhookPosAsync(expected, findings, cancellationToken);
                break;
            default:
                error = integration is null ? Msg.Of("recon.error.noPos") : Msg.Of("recon.error.cannotRead", ("kind", integration.Kind));
                break;
        }

        var now = time.GetUtcNow();
        await db.ReconciliationFindings.Where(f => f.RunId == run.Id).ExecuteDeleteAsync(cancellationToken);
        foreach (var finding in findings)
        {
            finding.RunId = run.Id;
            db.ReconciliationFindings.Add(finding);
        }

        run.PosKind = integration?.Kind.ToString();
        run.State = error is null ? ReconciliationState.Done : ReconciliationState.Failed;
        (run.Error, run.ErrorKey, run.ErrorArgs) = error?.Stored(Persistence.Configurations.Limits.Text) ?? default;
        run.Expected = expected.Count;
        run.Cancelled = cancelled.Count;
        run.AtPos = error is null ? atPos : 0;
        run.Missing = findings.Count(f => f.Kind == ReconciliationFindingKind.Missing);
        run.Duplicates = findings.Count(f => f.Kind == ReconciliationFindingKind.Duplicate);
        run.TotalMismatches = findings.Count(f => f.Kind == ReconciliationFindingKind.TotalDiffers);
        run.Unknown = findings.Count(f => f.Kind == ReconciliationFindingKind.UnknownAtPos);
        run.FinishedAt = now;
        run.LeaseUntil = null;
        run.Findings = findings;
        // An automatic retry that fails again has nothing new to say: the chats heard of the first failure.
        if (!(retryOfFailed && run.State == ReconciliationState.Failed))
        {
            await summary.AddAsync(db, point, run, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<(int AtPos, Msg? Error)> CompareWithPosterAsync(
        PosIntegration integration, PickupPoint point, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to,
        List<Order> expected, List<ReconciliationFinding> findings, CancellationToken cancellationToken)
    {
        // The day, and the time after it in which a late or re-sent order of the day can still have arrived.
        // Poster lists by whole seconds of its own clock: a margin, so an order it stamped a moment after ours is in.
        var until = Min(time.GetUtcNow(), to + options.Value.LateWindow) + TimeSpan.FromMinutes(2);
        var list = await poster.ListIncomingOrdersAsync(requests.Target(integration),
            PosterTime(from, zone), PosterTime(until, zone), cancellationToken);
        if (!list.Ok)
        {
            var unreadable = Msg.Of("recon.error.posterUnreadable", ("detail", list.Result.Message));
            return (0, Msg.From(list.Result.MessageRef) is { } said ? unreadable.With("detail", said) : unreadable);
        }

        // A cashier's rejection is not an order at the register; another spot's orders are not this point's.
        var ours = list.Orders
            .Where(o => o.Status != 7 && (o.SpotId is null || integration.PosterSpotId is null || o.SpotId == integration.PosterSpotId))
            .Select(o => (Order: o, Number: MarkedNumber(o.Comment)))
            .Where(o => o.Number is not null)
            .ToLookup(o => o.Number!, o => o.Order, StringComparer.Ordinal);

        var atPos = 0;
        foreach (var order in expected)
        {
            var copies = ours[order.Number].ToList();
            var ids = copies.Count == 0 ? null : string.Join(", ", copies.Select(c => c.Id));
            var sent = SentTotal(order);
            if (copies.Count == 0)
            {
                findings.Add(Finding(ReconciliationFindingKind.Missing, order, null, 0, sent, null));
                continue;
            }

            atPos++;
            if (copies.Count > 1)
            {
                findings.Add(Finding(ReconciliationFindingKind.Duplicate, order, ids, copies.Count, sent, null));
            }

            if (copies.FirstOrDefault(c => c.Total is { } total && total != sent) is { } changed)
            {
                findings.Add(Finding(ReconciliationFindingKind.TotalDiffers, order, changed.Id, copies.Count, sent, changed.Total));
            }
        }

        // Orders with OrderHub's marker, created on the day, whose number no order of this point has: identifiable extras.
        var dayPrefix = TimeZoneInfo.ConvertTime(from, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var expectedNumbers = expected.Select(o => o.Number).ToHashSet(StringComparer.Ordinal);
        var candidates = ours.Where(g => !expectedNumbers.Contains(g.Key) && g.Any(o => o.CreatedAt?.StartsWith(dayPrefix, StringComparison.Ordinal) == true))
            .Select(g => g.Key).ToList();
        if (candidates.Count > 0)
        {
            var known = await db.Orders.AsNoTracking().Where(o => o.PickupPointId == point.Id && candidates.Contains(o.Number))
                .Select(o => o.Number).ToListAsync(cancellationToken);
            foreach (var number in candidates.Except(known, StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                var copies = ours[number].ToList();
                findings.Add(new ReconciliationFinding
                {
                    Kind = ReconciliationFindingKind.UnknownAtPos,
                    OrderNumber = number,
                    PosOrderIds = string.Join(", ", copies.Select(c => c.Id)),
                    Copies = copies.Count,
                    PosTotal = copies[0].Total,
                });
            }
        }

        return (atPos, null);
    }

    /// <summary>
    /// A webhook POS answers each delivery with its own id (2xx) and reports statuses back: an order is at the
    /// register once either happened. Acknowledged by more than one delivery (a forced resend) it is there twice.
    /// </summary>
    private async Task<int> CompareWithWebhookPosAsync(List<Order> expected, List<ReconciliationFinding> findings, CancellationToken cancellationToken)
    {
        var ids = expected.Select(o => o.Id).ToList();
        var delivered = await db.OrderActions.AsNoTracking()
            .Where(a => a.OrderId != null && ids.Contains(a.OrderId.Value) && a.Action == Actions.ExportAttempt && a.MessageKey == "export.delivered")
            .GroupBy(a => a.OrderId!.Value)
            .Select(g => new { OrderId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.OrderId, g => g.Count, cancellationToken);
        var atPos = 0;
        foreach (var order in expected)
        {
            var acknowledged = delivered.GetValueOrDefault(order.Id);
            if (order.PosOrderId is null && order.PosStatus is null && acknowledged == 0)
            {
                findings.Add(Finding(ReconciliationFindingKind.Missing, order, null, 0, SentTotal(order), null));
                continue;
            }

            atPos++;
            if (acknowledged > 1)
            {
                findings.Add(Finding(ReconciliationFindingKind.Duplicate, order, order.PosOrderId, acknowledged, SentTotal(order), null));
            }
        }

        return atPos;
    }

    private static ReconciliationFinding Finding(ReconciliationFindingKind kind, Order order, string? posIds, int copies, long? sent, long? atPos) => new()
    {
        Kind = kind,
        OrderId = order.Id,
        OrderNumber = order.Number,
        ExportState = order.ExportState.ToString(),
        PosOrderIds = posIds,
        Copies = copies,
        ExpectedTotal = sent,
        PosTotal = atPos,
    };

    /// <summary>What OrderHub sends as the check's total (PosterRequestBuilder): the lines' prices × quantities, plus delivery for a delivery.</summary>
    public static long SentTotal(Order order)
    {
        var total = order.Lines.Sum(l => Minor(l.Price) * l.Quantity);
        if (string.Equals(order.DeliveryType, "delivery", StringComparison.OrdinalIgnoreCase) && order.DeliveryPrice > 0)
        {
            total += Minor(order.DeliveryPrice);
        }

        return (long)Math.Round(total, MidpointRounding.AwayFromZero);

        // Hryvnia and the other currencies Dots sends have two decimals; kopecks as the POS client rounds them.
        static decimal Minor(decimal amount) => decimal.Round(amount * 100, 0, MidpointRounding.AwayFromZero);
    }

    /// <summary>The Dots number in a <c>[Dots #N]</c> marker (or <c>[Dots #N/2]</c>, a forced resend), or null.</summary>
    public static string? MarkedNumber(string? comment) =>
        comment is not null && MarkerPattern().Match(comment) is { Success: true } m ? m.Groups["n"].Value : null;

    private static bool IsCancelled(Order o) => o.ExportState == ExportState.Cancelled || o.DotsStatus == "cancelled";

    /// <summary>Wall-clock time at the pickup point, as Poster takes it.</summary>
    private static string PosterTime(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>The point's time zone (UTC when it names none this machine knows).</summary>
    public static TimeZoneInfo ReportZone(PickupPoint point) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(point.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>Today in the point's time zone.</summary>
    public static DateOnly LocalDay(PickupPoint point, DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, ReportZone(point)).DateTime);

    public static DateTimeOffset LocalToUtc(TimeZoneInfo zone, DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddMinutes(30);
        }

        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }

    // A test order's number carries its own brackets: [Dots #[TEST]-1].
    [GeneratedRegex(@"\[Dots #(?<n>(?:\[[^\]]*\])?[^\]]+?)(?:/\d+)?\]")]
    private static partial Regex MarkerPattern();
}
