using System.Security.Claims;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Features.Dashboard;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.ControlPanel;

/// <summary>
/// The panel's home: the dashboard of the signed-in user's companies (what needs attention now, each pickup
/// point's health, the last 24 hours or 7 days as charts), and who is signed in.
/// </summary>
public sealed class IndexModel(OrderHubDbContext db, AccessScope access, IMediator mediator, IOptions<PanelOptions> options) : PageModel
{
    public string LoginName { get; private set; } = "";
    public string DisplayName { get; private set; } = "";
    public string Role { get; private set; } = "";

    /// <summary>Company names, or null for an admin (every company).</summary>
    public IReadOnlyList<string>? Companies { get; private set; }

    /// <summary><c>24h</c> (default) or <c>7d</c>.</summary>
    [BindProperty(SupportsGet = true, Name = "range")]
    public string? RangeName { get; set; }

    public DashboardDto Dashboard { get; private set; } = null!;

    public bool Week => Dashboard.Range == DashboardRange.Week;

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

        var range = RangeName == "7d" ? DashboardRange.Week : DashboardRange.Day;
        Dashboard = await mediator.Send(new GetDashboardQuery(range, options.Value.WaitingAfter), cancellationToken);
    }
}
