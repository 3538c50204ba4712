using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Users;

namespace OrderHub.Api.ControlPanel;

/// <summary>
/// Signs out (POST only, with the antiforgery token of the layout's form). The user's security stamp changes, so
/// a copy of the cookie stops working too (and the user's other panel sessions end with it).
/// </summary>
public sealed class SignOutModel(OrderHubDbContext db) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/panel");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.UserId() is { } id)
        {
            var stamp = Domain.Users.User.NewSecurityStamp();
            await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.SecurityStamp, stamp), cancellationToken);
        }

        await HttpContext.SignOutAsync(AuthenticationRegistration.PanelScheme);
        return LocalRedirect("/panel/sign-in?signedOut=true");
    }
}
