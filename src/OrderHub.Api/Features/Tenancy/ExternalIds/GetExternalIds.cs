using AutoMapper;
using AutoMapper.QueryableExtensions;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Mappings;

namespace OrderHub.Api.Features.Tenancy.ExternalIds;

/// <summary>The external ids stored at one scope (company defaults or a point's overrides), optionally of one kind.</summary>
public sealed record GetExternalIdsQuery(Guid Id, bool IsPoint, string? Kind) : IRequest<IReadOnlyList<ExternalIdDto>>;

public sealed class GetExternalIdsValidator : AbstractValidator<GetExternalIdsQuery>
{
    public GetExternalIdsValidator() =>
        RuleFor(q => q.Kind).Must(k => TenancyRules.TryParseName<ExternalIdKind>(k, out _)).When(q => q.Kind is not null)
            .WithMessageKey("valid.oneOf", ("values", TenancyRules.Names<ExternalIdKind>()));
}

public sealed class GetExternalIdsHandler(OrderHubDbContext db, IMapper mapper, AccessScope access) : IRequestHandler<GetExternalIdsQuery, IReadOnlyList<ExternalIdDto>>
{
    public async Task<IReadOnlyList<ExternalIdDto>> Handle(GetExternalIdsQuery request, CancellationToken cancellationToken)
    {
        var scope = await ExternalIdScope.FindAsync(db, access, request.Id, request.IsPoint, cancellationToken);
        var ids = db.ExternalIds.AsNoTracking().Where(m => m.ScopeId == scope.ScopeId);
        if (TenancyRules.TryParseName<ExternalIdKind>(request.Kind, out var kind))
        {
            ids = ids.Where(m => m.Kind == kind);
        }

        return await ids.OrderBy(m => m.Kind).ThenBy(m => m.DotsId)
            .ProjectTo<ExternalIdDto>(mapper.ConfigurationProvider).ToListAsync(cancellationToken);
    }
}

/// <summary>
/// The id a pickup point sends for every item that has a company default or a point override, decided by the
/// same <see cref="ExternalIdResolver"/> that resolves orders.
/// </summary>
public sealed record GetEffectiveExternalIdsQuery(Guid PickupPointId, string? Kind) : IRequest<IReadOnlyList<EffectiveExternalIdDto>>;

public sealed class GetEffectiveExternalIdsValidator : AbstractValidator<GetEffectiveExternalIdsQuery>
{
    public GetEffectiveExternalIdsValidator() =>
        RuleFor(q => q.Kind).Must(k => TenancyRules.TryParseName<ExternalIdKind>(k, out _)).When(q => q.Kind is not null)
            .WithMessageKey("valid.oneOf", ("values", TenancyRules.Names<ExternalIdKind>()));
}

public sealed class GetEffectiveExternalIdsHandler(OrderHubDbContext db, AccessScope access)
    : IRequestHandler<GetEffectiveExternalIdsQuery, IReadOnlyList<EffectiveExternalIdDto>>
{
    public async Task<IReadOnlyList<EffectiveExternalIdDto>> Handle(GetEffectiveExternalIdsQuery request, CancellationToken cancellationToken)
    {
        await access.EnsurePickupPointAsync(request.PickupPointId, cancellationToken);
        var point = await db.PickupPoints.AsNoTracking().FirstOrDefaultAsync(p => p.Id == request.PickupPointId, cancellationToken)
                    ?? throw Infrastructure.ProblemException.NotFound("Pickup point", request.PickupPointId);
        var rows = db.ExternalIds.AsNoTracking().Where(m => m.ScopeId == point.CompanyId || m.ScopeId == point.Id);
        if (TenancyRules.TryParseName<ExternalIdKind>(request.Kind, out var kind))
        {
            rows = rows.Where(m => m.Kind == kind);
        }

        var mappings = await rows.ToListAsync(cancellationToken);
        var defaults = mappings.Where(m => m.PickupPointId is null).ToDictionary(m => (m.Kind, m.DotsId));
        var overrides = mappings.Where(m => m.PickupPointId == point.Id).ToDictionary(m => (m.Kind, m.DotsId));

        // The same resolver as order resolution decides the effective id; a resolver over the overrides alone
        // says whether the point's own id is the one that counts (it ignores them under useCompanyDefaults).
        var effective = new ExternalIdResolver(mappings, point.Id, point.UseCompanyDefaults);
        var ownOnly = new ExternalIdResolver(overrides.Values, point.Id, point.UseCompanyDefaults);
        var byKey = mappings.ToLookup(m => (m.Kind, m.DotsId));

        return byKey
            .OrderBy(g => g.Key.Kind).ThenBy(g => g.Key.DotsId, StringComparer.Ordinal)
            .Select(g =>
            {
                var company = defaults.GetValueOrDefault(g.Key);
                var own = overrides.GetValueOrDefault(g.Key);
                var name = own?.Name ?? company?.Name ?? "";
                var id = effective.Resolve(g.Key.Kind, g.Key.DotsId, name);
                var source = id is null ? "missing" : ownOnly.Resolve(g.Key.Kind, g.Key.DotsId, name) is not null ? "overridden" : "inherited";
                return new EffectiveExternalIdDto
                {
                    Kind = g.Key.Kind.ToString(),
                    DotsId = g.Key.DotsId,
                    ExternalId = id,
                    Source = source,
                    Name = own?.Name ?? company?.Name,
                    CompanyExternalId = company?.ExternalId,
                    PointExternalId = own?.ExternalId,
                };
            })
            .ToList();
    }
}
