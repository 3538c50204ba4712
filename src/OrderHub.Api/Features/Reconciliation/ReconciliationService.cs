using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Features.Reconciliation.RunReconciliation;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.Reconciliation;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Features.Reconciliation;

/// <summary>
/// The automatic daily reconciliation: every <see cref="ReconciliationOptions.Interval"/>, each point with an
/// enabled POS whose local time has passed <see cref="ReconciliationOptions.RunAt"/> gets its finished days
/// (up to <see cref="ReconciliationOptions.CatchUpDays"/> back) compared once; a day whose register could not be
/// read is tried again after <see cref="ReconciliationOptions.RetryFailedAfter"/>. Safe with several instances and
/// restarts: the (point, day) row is the claim, and a run whose instance died is taken over after its lease.
/// </summary>
public sealed partial class ReconciliationService(
    IServiceScopeFactory scopes,
    IOptions<ReconciliationOptions> options,
    TimeProvider time,
    ILogger<ReconciliationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RunDueAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogPassFailed(logger, exception);
                }

                await Task.Delay(options.Value.Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One pass: runs every due (point, day) not yet reconciled; returns how many runs it made.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<PickupPoint> points;
        Dictionary<(Guid, DateOnly), ReconciliationState> runs;
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
            var candidates = await db.PickupPoints.AsNoTracking().ToListAsync(cancellationToken);
            var effective = await EffectivePosIntegrations.ForPointsAsync(db, candidates, cancellationToken);
            points = candidates.Where(p => effective.GetValueOrDefault(p.Id)?.Integration is { Enabled: true }).ToList();
            var since = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-options.Value.CatchUpDays - 2);
            runs = (await db.ReconciliationRuns.AsNoTracking().Where(r => r.Day >= since)
                    .Select(r => new { r.PickupPointId, r.Day, r.State, r.LeaseUntil, r.FinishedAt }).ToListAsync(cancellationToken))
                .Where(r => r.State switch
                {
                    // Done; running under a live lease; failed a short while ago: not due. Others are retried or taken over.
                    ReconciliationState.Running => r.LeaseUntil is null || r.LeaseUntil >= now,
                    ReconciliationState.Failed => r.FinishedAt >= now - options.Value.RetryFailedAfter,
                    _ => true,
                })
                .ToDictionary(r => (r.PickupPointId, r.Day), r => r.State);
        }

        var made = 0;
        foreach (var point in points)
        {
            var local = TimeZoneInfo.ConvertTime(now, Reconciler.ReportZone(point));
            var today = DateOnly.FromDateTime(local.DateTime);
            var created = Reconciler.LocalDay(point, point.CreatedAt);
            for (var back = options.Value.CatchUpDays; back >= 1; back--)
            {
                var day = today.AddDays(-back);
                // Yesterday only once the local run time has passed; a point's days before it existed never.
                if ((back == 1 && local.TimeOfDay < options.Value.RunAt) || day < created || runs.ContainsKey((point.Id, day)))
                {
                    continue;
                }

                // One scope per run: a failed point leaves nothing tracked for the next one.
                await using var scope = scopes.CreateAsyncScope();
                var reconciler = scope.ServiceProvider.GetRequiredService<Reconciler>();
                var outcome = await reconciler.RunAsync(point, day, ReconciliationTrigger.Automatic, "system", cancellationToken);
                if (outcome.Run is { } run)
                {
                    made++;
                    LogRun(logger, point.Id, day, run.State, run.Expected, run.Missing, run.Duplicates, run.TotalMismatches);
                }
            }
        }

        return made;
    }

    [LoggerMessage(EventId = 7301, Level = LogLevel.Information,
        Message = "Reconciliation of pickup point {PickupPointId} for {Day}: {State}, {Expected} expected, {Missing} missing, {Duplicates} twice, {TotalMismatches} other total")]
    private static partial void LogRun(ILogger logger, Guid pickupPointId, DateOnly day, ReconciliationState state, int expected, int missing, int duplicates, int totalMismatches);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Warning, Message = "A reconciliation pass failed; the next pass tries again")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}

public static class ReconciliationRegistration
{
    public static IServiceCollection AddOrderHubReconciliation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReconciliationOptions>()
            .Bind(configuration.GetSection(ReconciliationOptions.SectionName))
            .Validate(o => o.RunAt >= TimeSpan.Zero && o.RunAt < TimeSpan.FromDays(1), "Reconciliation:RunAt must be a time of day (00:00 to 23:59).")
            .Validate(o => o.Interval > TimeSpan.Zero && o.Lease > TimeSpan.Zero && o.RetryFailedAfter > TimeSpan.Zero && o.LateWindow >= TimeSpan.Zero,
                "Reconciliation:Interval, Lease and RetryFailedAfter must be positive, LateWindow not negative.")
            .Validate(o => o.CatchUpDays is >= 1 and <= 31, "Reconciliation:CatchUpDays must be 1 to 31.")
            .ValidateOnStart();
        services.AddScoped<Reconciler>();
        services.AddScoped<ReconciliationSummary>();
        if (configuration.GetValue(ReconciliationOptions.SectionName + ":" + nameof(ReconciliationOptions.Enabled), true))
        {
            services.AddSingleton<ReconciliationService>();
            services.AddHostedService(sp => sp.GetRequiredService<ReconciliationService>());
        }

        return services;
    }
}
