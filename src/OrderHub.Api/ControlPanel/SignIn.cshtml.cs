using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OrderHub.Api.Security;

namespace OrderHub.Api.ControlPanel;

/// <summary>Password sign-in for the panel; antiforgery-checked like every Razor Pages form.</summary>
public sealed class SignInModel(PasswordSignIn signIn, PanelText text, PanelTime time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? LoginName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public string? Error { get; private set; }

    public bool SignedOut { get; private set; }

    public void OnGet(bool signedOut = false) => SignedOut = signedOut;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(LoginName) || string.IsNullOrEmpty(Password))
        {
            Error = text["signin.required"];
            return Page();
        }

        var outcome = await signIn.SignInAsync(LoginName, Password, cancellationToken);
        Password = null;
        switch (outcome.Kind)
        {
            case SignInOutcomeKind.LockedOut:
                Error = text.Format("signin.lockedOut", time.Local(outcome.LockedUntil!.Value));
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();
            case SignInOutcomeKind.Failed:
                Error = text["signin.failed"];
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Page();
        }

        var user = outcome.User!;
        await HttpContext.SignInAsync(AuthenticationRegistration.PanelScheme, UserPrincipal.Create(user, AuthenticationRegistration.PanelScheme));
        PanelText.Remember(Response, user.Language);
        return LocalRedirect(ReturnUrl is { Length: > 0 } url && Url.IsLocalUrl(url) && url.StartsWith("/panel", StringComparison.Ordinal) ? url : "/panel");
    }
}
