using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.ControlPanel;

/// <summary>The panel's home: who is signed in, their role and their companies.</summary>
public sealed class IndexModel(OrderHubDbContext db, AccessScope access) : PageModel
{
    public string LoginName { get; private set; } = "";
    public string DisplayName { get; private set; } = "";
    public string Role { get; private set; } = "";

    /// <summary>Company names, or null for an admin (every company).</summary>
    public IReadOnlyList<string>? Companies { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        LoginName = User.Identity?.Name ?? "";
        DisplayName = User.FindFirstValue(UserPrincipal.DisplayNameClaim) ?? LoginName;
        Role = User.FindFirstValue(ClaimTypes.Role) ?? "";
        if (await access.CompanyIdsAsync(cancellationToken) is { } ids)
        {
            var list = ids.ToList();
            Companies = await db.Companies.AsNoTracking().Where(c => list.Contains(c.Id)).OrderBy(c => c.Name).Select(c => c.Name).ToListAsync(cancellationToken);
        }
    }
}
