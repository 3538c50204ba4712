using System.Text.Json;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Features.Shadow;

/// <summary>
/// How ready a pickup point is to go live: of its orders over the last <paramref name="Days"/> days (default 7)
/// that were rehearsed in shadow mode or stopped for missing external ids, the share that would have gone to the
/// POS cleanly, and the problems by kind with counts, each with its fix. Test orders do not count.
/// </summary>
public sealed record GetShadowReadinessQuery(Guid PickupPointId, int? Days) : IRequest<ShadowReadinessDto>;

public sealed record ShadowReadinessDto(
    Guid PickupPointId,
    string Mode,
    int Days,
    DateTimeOffset From,
    int Orders,
    int Clean,
    decimal? CleanPercent,
    IReadOnlyList<ShadowProblemCountDto> Problems);

/// <summary>One kind of problem: how many orders had it, what it means, how to fix it and where.</summary>
/// <param name="Examples">Up to five problems of this kind as sentences (the item, its POS id, the prices).</param>
public sealed record ShadowProblemCountDto(string Kind, int Orders, string Title, string FixHint, string FixUrl, IReadOnlyList<string> Examples);

public sealed class GetShadowReadinessValidator : AbstractValidator<GetShadowReadinessQuery>
{
    public GetShadowReadinessValidator() => RuleFor(q => q.Days).InclusiveBetween(1, 90).When(q => q.Days is not null);
}

public sealed class GetShadowReadinessHandler(OrderHubDbContext db, AccessScope access, TimeProvider time)
    : IRequestHandler<GetShadowReadinessQuery, ShadowReadinessDto>
{
    public const int DefaultDays = 7;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public async Task<ShadowReadinessDto> Handle(GetShadowReadinessQuery request, CancellationToken cancellationToken)
    {
        await access.EnsurePickupPointAsync(request.PickupPointId, cancellationToken);
        var point = await db.PickupPoints.AsNoTracking().FirstAsync(p => p.Id == request.PickupPointId, cancellationToken);
        var mode = await db.PosIntegrations.AsNoTracking().Where(i => i.PickupPointId == point.Id).Select(i => (PosMode?)i.Mode)
            .FirstOrDefaultAsync(cancellationToken) ?? PosMode.Live;
        var days = request.Days ?? DefaultDays;
        var since = time.GetUtcNow().AddDays(-days);
        var language = MessageCatalog.CurrentLanguage;

        // The latest shadow run of each order (an order re-run by hand after a fix counts once, as it stands now).
        var runs = await (
                from action in db.OrderActions.AsNoTracking()
                join order in db.Orders.AsNoTracking() on action.OrderId equals order.Id
                where action.CompanyId == point.CompanyId && action.Action == ShadowExport.Action && action.At >= since && order.PickupPointId == point.Id && !order.IsTest
                select new { action.Id, OrderId = order.Id, action.Details })
            .ToListAsync(cancellationToken);
        var latest = runs.GroupBy(r => r.OrderId).Select(g => g.MaxBy(r => r.Id)!).ToList();

        // Orders that stopped before the request could be built: missing external ids.
        var unmapped = await db.Orders.AsNoTracking()
            .Where(o => o.PickupPointId == point.Id && !o.IsTest && o.ReceivedAt >= since && o.ExportState == ExportState.NeedsMapping)
            .Select(o => o.Id).ToListAsync(cancellationToken);

        var clean = 0;
        var byKind = new Dictionary<ShadowProblemKind, (HashSet<Guid> Orders, List<string> Examples)>();
        void Count(ShadowProblemKind kind, Guid orderId, string? example)
        {
            if (!byKind.TryGetValue(kind, out var entry))
            {
                byKind[kind] = entry = ([], []);
            }

            entry.Orders.Add(orderId);
            if (example is not null && entry.Examples.Count < 5 && !entry.Examples.Contains(example))
            {
                entry.Examples.Add(example);
            }
        }

        foreach (var run in latest)
        {
            var details = run.Details is null ? null : JsonSerializer.Deserialize<ShadowDetails>(run.Details, Json);
            if (details is null || details.Clean)
            {
                clean += details is null ? 0 : 1;
                continue;
            }

            foreach (var problem in details.Problems)
            {
                Count(problem.Kind, run.OrderId, MessageCatalog.Render(new Msg(problem.MessageKey, problem.MessageArgs), language));
            }
        }

        foreach (var orderId in unmapped.Except(latest.Select(l => l.OrderId)))
        {
            Count(ShadowProblemKind.MissingExternalId, orderId, null);
        }

        var total = latest.Count + unmapped.Except(latest.Select(l => l.OrderId)).Count();
        var problems = byKind.OrderByDescending(k => k.Value.Orders.Count).ThenBy(k => k.Key)
            .Select(k => new ShadowProblemCountDto(
                k.Key.ToString(),
                k.Value.Orders.Count,
                MessageCatalog.Render(ShadowProblemTexts.Title(k.Key), language),
                MessageCatalog.Render(ShadowProblemTexts.Fix(k.Key, point.Name), language),
                ShadowProblemTexts.FixUrl(k.Key, point.Id),
                k.Value.Examples))
            .ToList();
        return new ShadowReadinessDto(point.Id, mode.ToString(), days, since, total, clean,
            total == 0 ? null : Math.Round(100m * clean / total, 1), problems);
    }
}
