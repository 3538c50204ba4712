using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Persistence.Configurations;
using OrderHub.Api.Security;
using OrderHub.Domain.Users;

namespace OrderHub.Api.Features.Users;

/// <summary>Input rules and checks shared by the users API.</summary>
public static partial class UserRules
{
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 256;
    public static readonly string[] Languages = ["uk", "en"];

    [GeneratedRegex("^[a-z0-9][a-z0-9._@-]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex LoginNamePattern();

    public static string Normalize(string loginName) => loginName.Trim().ToLowerInvariant();

    public static IRuleBuilderOptions<T, string?> LoginName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().Must(n => n is not null && LoginNamePattern().IsMatch(Normalize(n)))
            .WithMessageKey("valid.login");

    public static IRuleBuilderOptions<T, string?> Password<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().MinimumLength(MinPasswordLength).MaximumLength(MaxPasswordLength)
            .WithMessageKey("valid.passwordLength", ("min", MinPasswordLength), ("max", MaxPasswordLength));

    public static IRuleBuilderOptions<T, string?> Role<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(r => UserPrincipal.TryParseRole(r, out _)).WithMessageKey("valid.role");

    public static IRuleBuilderOptions<T, string?> Language<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(l => l is not null && Languages.Contains(l)).WithMessageKey("valid.language");

    /// <summary>400 naming <c>companyIds[i]</c> for an id that is not a company.</summary>
    public static async Task EnsureCompaniesExistAsync(OrderHubDbContext db, IReadOnlyList<Guid> companyIds, CancellationToken cancellationToken)
    {
        var wanted = companyIds.Distinct().ToList();
        var known = await db.Companies.AsNoTracking().Where(c => wanted.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken);
        for (var i = 0; i < companyIds.Count; i++)
        {
            if (!known.Contains(companyIds[i]))
            {
                throw ProblemException.Invalid($"companyIds[{i}]", Msg.Of("problem.notFound.detail", ("what", Msg.Term("entity.company.gen")), ("id", companyIds[i])));
            }
        }
    }

    /// <summary>Replaces the user's companies; an admin has none (they see every company).</summary>
    public static void SetCompanies(User user, IReadOnlyList<Guid> companyIds)
    {
        HashSet<Guid> wanted = user.Role == UserRole.Admin ? [] : companyIds.ToHashSet();
        user.Companies.RemoveAll(c => !wanted.Contains(c.CompanyId));
        foreach (var id in wanted.Where(id => user.Companies.All(c => c.CompanyId != id)))
        {
            user.Companies.Add(new UserCompany { UserId = user.Id, CompanyId = id });
        }
    }

    /// <summary>
    /// The user, if the caller may see it: an admin sees every user; a manager the users who share a company
    /// with them (admins have none, so they are not listed); anyone else 404.
    /// </summary>
    public static async Task<User> FindVisibleAsync(OrderHubDbContext db, AccessScope access, Guid id, bool tracked, CancellationToken cancellationToken)
    {
        var query = tracked ? db.Users : db.Users.AsNoTracking();
        var user = await query.Include(u => u.Companies).FirstOrDefaultAsync(u => u.Id == id, cancellationToken)
                   ?? throw ProblemException.NotFound("User", id);
        if (await access.CompanyIdsAsync(cancellationToken) is { } visible && !user.Companies.Any(c => visible.Contains(c.CompanyId)))
        {
            throw ProblemException.NotFound("User", id);
        }

        return user;
    }

    public static ProblemException LastAdmin() => ProblemException.Conflict(
        Msg.Of("problem.lastAdmin"), Msg.Of("problem.lastAdmin.detail"));

    public static async Task EnsureNotLastAdminAsync(OrderHubDbContext db, User user, CancellationToken cancellationToken)
    {
        if (!await db.Users.AnyAsync(u => u.Id != user.Id && u.Role == UserRole.Admin && u.Enabled, cancellationToken))
        {
            throw LastAdmin();
        }
    }

    public static int MaxNameLength => Limits.Name;
}
