using System.Linq.Expressions;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;

namespace OrderHub.Api.Security;

/// <summary>
/// Which companies the caller's API key may see, for one request. An admin key (no company list) sees every
/// company; a scoped key sees only its companies, and anything else answers 404 as if it did not exist.
/// Company keys are resolved to ids once per request.
/// </summary>
public sealed class AccessScope(IHttpContextAccessor http, OrderHubDbContext db)
{
    public const string AdminRole = "admin";
    public const string ManagerRole = "manager";
    public const string SupportRole = "support";

    /// <summary>Admin only: companies, cities, users.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>Admin or manager: company, pickup point and POS integration settings and credentials.</summary>
    public const string ManageSettingsPolicy = "manage-settings";

    /// <summary>
    /// Every role: external ids (mappings). Support staff fix a missing mapping named by a failed order and
    /// export it again (issue 5's support walk-through), so mappings are not behind <see cref="ManageSettingsPolicy"/>.
    /// </summary>
    public const string EditMappingsPolicy = "edit-mappings";

    /// <summary>Admin or manager: read the user list (a manager sees the users of their companies).</summary>
    public const string ReadUsersPolicy = "read-users";

    /// <summary>A company key (webhook key, e.g. <c>demo-pizza</c>) the caller may see; from configured API keys.</summary>
    public const string CompanyClaim = "orderhub:company";

    /// <summary>A company id the caller may see; from database users.</summary>
    public const string CompanyIdClaim = "orderhub:company-id";

    public static readonly string[] Roles = [AdminRole, ManagerRole, SupportRole];

    private IReadOnlyList<Guid>? _companyIds;

    /// <summary>
    /// True for an admin key. Outside a request (the dispatcher, start-up) there is no caller to limit; an
    /// unauthenticated caller is never an admin.
    /// </summary>
    public bool IsAdmin => http.HttpContext?.User is not { } user || user.IsInRole(AdminRole);

    /// <summary>The ids of the companies the caller may see; null when it may see all of them.</summary>
    public async Task<IReadOnlyList<Guid>?> CompanyIdsAsync(CancellationToken cancellationToken)
    {
        if (IsAdmin)
        {
            return null;
        }

        if (_companyIds is null)
        {
            var user = http.HttpContext!.User;
            var keys = user.FindAll(CompanyClaim).Select(c => c.Value).ToList();
            var ids = user.FindAll(CompanyIdClaim).Select(c => Guid.TryParse(c.Value, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).ToList();
            if (keys.Count > 0)
            {
                ids.AddRange(await db.Companies.AsNoTracking().Where(c => keys.Contains(c.Key)).Select(c => c.Id).ToListAsync(cancellationToken));
            }

            _companyIds = ids.Distinct().ToList();
        }

        return _companyIds;
    }

    public async Task<bool> CanSeeAsync(Guid companyId, CancellationToken cancellationToken) =>
        await CompanyIdsAsync(cancellationToken) is not { } ids || ids.Contains(companyId);

    /// <summary>404 (as if it did not exist) unless the caller may see <paramref name="companyId"/>.</summary>
    public async Task EnsureCanSeeAsync(Guid companyId, string what, Guid id, CancellationToken cancellationToken)
    {
        if (!await CanSeeAsync(companyId, cancellationToken))
        {
            throw ProblemException.NotFound(what, id);
        }
    }

    /// <summary>404 unless the pickup point exists and belongs to a company the caller may see; returns its company.</summary>
    public async Task<Guid> EnsurePickupPointAsync(Guid pickupPointId, CancellationToken cancellationToken)
    {
        var companyId = await db.PickupPoints.AsNoTracking().Where(p => p.Id == pickupPointId).Select(p => (Guid?)p.CompanyId)
                            .FirstOrDefaultAsync(cancellationToken)
                        ?? throw ProblemException.NotFound("Pickup point", pickupPointId);
        await EnsureCanSeeAsync(companyId, "Pickup point", pickupPointId, cancellationToken);
        return companyId;
    }

    /// <summary>Limits <paramref name="query"/> to rows of the companies the caller may see (in SQL).</summary>
    public async Task<IQueryable<T>> FilterAsync<T>(IQueryable<T> query, Expression<Func<T, Guid>> companyId, CancellationToken cancellationToken)
    {
        if (await CompanyIdsAsync(cancellationToken) is not { } ids)
        {
            return query;
        }

        // A member of a captured object, so EF sends the list as a parameter rather than inlining it.
        var holder = new VisibleIds(ids.ToList());
        var contains = Expression.Call(
            typeof(Enumerable), nameof(Enumerable.Contains), [typeof(Guid)],
            Expression.Property(Expression.Constant(holder), nameof(VisibleIds.Ids)), companyId.Body);
        return query.Where(Expression.Lambda<Func<T, bool>>(contains, companyId.Parameters));
    }

    private sealed record VisibleIds(List<Guid> Ids);
}

public static class AccessScopeRegistration
{
    public static IServiceCollection AddOrderHubAccessScope(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<AccessScope>();
        services.AddAuthorizationBuilder()
            .AddPolicy(AccessScope.AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(AccessScope.AdminRole))
            .AddPolicy(AccessScope.ManageSettingsPolicy, p => p.RequireAuthenticatedUser().RequireRole(AccessScope.AdminRole, AccessScope.ManagerRole))
            .AddPolicy(AccessScope.EditMappingsPolicy, p => p.RequireAuthenticatedUser().RequireRole(AccessScope.Roles))
            .AddPolicy(AccessScope.ReadUsersPolicy, p => p.RequireAuthenticatedUser().RequireRole(AccessScope.AdminRole, AccessScope.ManagerRole));
        return services;
    }
}
