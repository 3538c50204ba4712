using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OrderHub.Api.Security;

namespace OrderHub.Api.ControlPanel;

/// <summary>Signs out (POST only, with the antiforgery token of the layout's form).</summary>
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/panel");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(AuthenticationRegistration.PanelScheme);
        return LocalRedirect("/panel/sign-in?signedOut=true");
    }
}
