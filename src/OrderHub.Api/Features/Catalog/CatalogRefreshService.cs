using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Features.Catalog.DotsMenu;
using OrderHub.Api.Features.Catalog.PosCatalog;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.Catalog;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Features.Catalog;

/// <summary>The scheduled menu refresh. Section <c>Catalog:Refresh</c>.</summary>
public sealed class CatalogRefreshOptions
{
    public const string SectionName = "Catalog:Refresh";

    /// <summary>Run the scheduled refresh in this process.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The pause before each pass (the first one runs one interval after start-up).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How far back the first pass after start-up looks for Dots items in orders; later passes look since the previous one.</summary>
    public TimeSpan OrdersLookback { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>
/// Every <see cref="CatalogRefreshOptions.Interval"/>: re-imports the catalog of every enabled Poster integration
/// (a webhook POS's catalog is uploaded, not read) and adds the Dots items seen in orders since the last pass,
/// so the drift report stays current without anyone pressing "refresh".
/// </summary>
public sealed partial class CatalogRefreshService(
    IServiceScopeFactory scopes,
    IOptions<CatalogRefreshOptions> options,
    TimeProvider time,
    ILogger<CatalogRefreshService> logger) : BackgroundService
{
    private DateTimeOffset? _lastPass;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.Value.Interval, time, stoppingToken);
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogPassFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        // Every point whose effective integration (its own, or the company default it inherits) is an enabled Poster.
        var withDefaults = db.CompanyPosIntegrations.Where(c => c.Enabled && c.Kind == PosKind.Poster).Select(c => c.CompanyId);
        var candidates = await db.PickupPoints.AsNoTracking()
            .Where(p => db.PosIntegrations.Any(i => i.PickupPointId == p.Id && i.Enabled && i.Kind == PosKind.Poster)
                        || (withDefaults.Contains(p.CompanyId) && !db.PosIntegrations.Any(i => i.PickupPointId == p.Id)))
            .ToListAsync(cancellationToken);
        var effective = await EffectivePosIntegrations.ForPointsAsync(db, candidates, cancellationToken);
        var points = candidates.Where(p => effective.GetValueOrDefault(p.Id)?.Integration is { Enabled: true, Kind: PosKind.Poster }).ToList();
        var imported = 0;
        foreach (var point in points)
        {
            // One context per point: a failed point leaves nothing tracked for the next one.
            await using var pointScope = scopes.CreateAsyncScope();
            try
            {
                await pointScope.ServiceProvider.GetRequiredService<PosCatalogStore>().ImportFromPosterAsync(point, cancellationToken);
                imported++;
            }
            catch (ProblemException problem)
            {
                LogPointFailed(logger, point.Id, problem.Title);
            }
        }

        var since = _lastPass ?? started - options.Value.OrdersLookback;
        var companies = await db.Companies.AsNoTracking().Select(c => c.Id).ToListAsync(cancellationToken);
        foreach (var companyId in companies)
        {
            await using var companyScope = scopes.CreateAsyncScope();
            var store = companyScope.ServiceProvider.GetRequiredService<DotsMenuStore>();
            var sightings = await store.SightingsInOrdersAsync(companyId, since, cancellationToken);
            if (sightings.Count > 0)
            {
                await store.ApplyAsync(companyId, sightings, DotsMenuItem.SourceOrders, cancellationToken);
            }
        }

        _lastPass = started;
        LogPass(logger, imported, points.Count, companies.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalog refresh: {Imported} of {Points} Poster catalogs imported; Dots items from orders of {Companies} companies")]
    private static partial void LogPass(ILogger logger, int imported, int points, int companies);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog refresh of pickup point {PickupPointId} failed: {Problem}")]
    private static partial void LogPointFailed(ILogger logger, Guid pickupPointId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog refresh pass failed; the next one retries")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}

public static class CatalogRegistration
{
    public static IServiceCollection AddOrderHubCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CatalogRefreshOptions>()
            .Bind(configuration.GetSection(CatalogRefreshOptions.SectionName))
            .Validate(o => o.Interval > TimeSpan.Zero && o.OrdersLookback > TimeSpan.Zero, "Catalog:Refresh:Interval and OrdersLookback must be positive.")
            .ValidateOnStart();
        services.AddScoped<PosCatalogStore>();
        services.AddScoped<DotsMenuStore>();
        services.AddScoped<CoverageCalculator>();
        if (configuration.GetValue(CatalogRefreshOptions.SectionName + ":" + nameof(CatalogRefreshOptions.Enabled), true))
        {
            services.AddSingleton<CatalogRefreshService>();
            services.AddHostedService(sp => sp.GetRequiredService<CatalogRefreshService>());
        }

        return services;
    }
}
