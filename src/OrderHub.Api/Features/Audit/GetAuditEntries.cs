using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Orders;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Audit;

/// <summary>One audit entry; <c>before</c> and <c>after</c> are the JSON kept at the time, secrets masked.</summary>
/// <param name="SubjectName">
/// The name of the pickup point or company <c>EntityId</c> names, for rows keyed by one (a point's POS integration,
/// external ids, fiscal connection; a company's default integration, bot); null when the id is neither.
/// </param>
public sealed record AuditEntryDto(
    Guid Id, DateTimeOffset At, string Actor, Guid? ActorUserId, string EntityType, string EntityId, Guid? CompanyId, string Action,
    System.Text.Json.JsonElement? Before, System.Text.Json.JsonElement? After, string? SubjectName = null);

/// <summary>
/// Audit entries, newest first. A caller limited to some companies sees only those companies' entries
/// (not the global ones: users, API keys, cities).
/// </summary>
public sealed record GetAuditEntriesQuery : IRequest<Page<AuditEntryDto>>
{
    public Guid? CompanyId { get; init; }

    /// <summary>E.g. Company, PickupPoint, PosIntegration, ExternalIds, User, ApiKey, City.</summary>
    public string? EntityType { get; init; }
    public string? EntityId { get; init; }

    /// <summary>As the entries name it, e.g. <c>user:anna</c>.</summary>
    public string? Actor { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public int? Page { get; init; }

    /// <summary>1 to 200; default 50.</summary>
    public int? PageSize { get; init; }
}

public sealed class GetAuditEntriesValidator : AbstractValidator<GetAuditEntriesQuery>
{
    public GetAuditEntriesValidator()
    {
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1);
        RuleFor(q => q.PageSize).InclusiveBetween(1, 200);
        RuleFor(q => q.EntityType).MaximumLength(64);
        RuleFor(q => q.EntityId).MaximumLength(128);
        RuleFor(q => q.Actor).MaximumLength(128);
        RuleFor(q => q.To).GreaterThanOrEqualTo(q => q.From).When(q => q.From is not null && q.To is not null);
    }
}

public sealed class GetAuditEntriesHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<GetAuditEntriesQuery, Page<AuditEntryDto>>
{
    public async Task<Page<AuditEntryDto>> Handle(GetAuditEntriesQuery request, CancellationToken cancellationToken)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (await access.CompanyIdsAsync(cancellationToken) is { } visibleIds)
        {
            var visible = visibleIds.ToList();
            query = query.Where(e => e.CompanyId != null && visible.Contains(e.CompanyId.Value));
        }

        if (request.CompanyId is { } companyId)
        {
            query = query.Where(e => e.CompanyId == companyId);
        }

        if (request.EntityType is { Length: > 0 } type)
        {
            query = query.Where(e => e.EntityType == type);
        }

        if (request.EntityId is { Length: > 0 } entityId)
        {
            query = query.Where(e => e.EntityId == entityId);
        }

        if (request.Actor is { Length: > 0 } actor)
        {
            query = query.Where(e => e.Actor == actor);
        }

        if (request.From is { } from)
        {
            query = query.Where(e => e.At >= from);
        }

        if (request.To is { } to)
        {
            query = query.Where(e => e.At < to);
        }

        var page = request.Page ?? 1;
        var size = request.PageSize ?? 50;
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        // Rows keyed by a pickup point or a company (a point's POS integration is keyed by the point) are named by it, not by an id.
        var ids = rows.Select(e => Guid.TryParse(e.EntityId, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct().ToList();
        var names = ids.Count == 0
            ? []
            : (await db.PickupPoints.AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken))
            .Concat(await db.Companies.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(cancellationToken))
            .ToDictionary(x => x.Id.ToString(), x => x.Name, StringComparer.OrdinalIgnoreCase);
        var items = rows.Select(e => new AuditEntryDto(
            e.Id, e.At, e.Actor, e.ActorUserId, e.EntityType, e.EntityId, e.CompanyId, e.Action, Parse(e.Before), Parse(e.After),
            names.GetValueOrDefault(e.EntityId))).ToList();
        return new Page<AuditEntryDto>(items, page, size, total);
    }

    private static System.Text.Json.JsonElement? Parse(string? json) =>
        json is null ? null : System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
}

public static class AuditEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/audit", (IMediator m, [AsParameters] GetAuditEntriesQuery query, CancellationToken ct) => m.Send(query, ct))
            .WithTags("Audit").WithName("GetAuditEntries")
            .WithSummary("Settings and mapping changes, newest first: who, when, what, before and after (secrets masked)")
            .Produces<Page<AuditEntryDto>>().ProducesValidationProblem();
}
