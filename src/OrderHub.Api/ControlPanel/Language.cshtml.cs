using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.ControlPanel;

/// <summary>The layout's language switch: remembers the choice (and, when signed in, as the user's language).</summary>
public sealed class LanguageModel(OrderHubDbContext db) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/panel");

    public async Task<IActionResult> OnPostAsync(string? lang, string? returnUrl, CancellationToken cancellationToken)
    {
        if (lang is null || !PanelText.Languages.Contains(lang))
        {
            return BadRequest();
        }

        PanelText.Remember(Response, lang);
        if (User.Identity?.AuthenticationType == AuthenticationRegistration.PanelScheme && User.UserId() is { } id)
        {
            // A preference, not a setting: not audited.
            await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Language, lang), cancellationToken);
        }

        return LocalRedirect(returnUrl is { Length: > 0 } && Url.IsLocalUrl(returnUrl) && returnUrl.StartsWith("/panel", StringComparison.Ordinal)
            ? returnUrl
            : "/panel");
    }
}
