using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OrderHub.Api.Infrastructure;

namespace OrderHub.Api.ControlPanel;

/// <summary>
/// The panel pages' common ground: every screen sends the same MediatR requests as the API, so the API's
/// scoping (<see cref="Security.AccessScope"/>) and validation apply unchanged; a refusal becomes a message on the
/// page (the API's own words), another company's resource a 404, and a change the role may not make a 403.
/// </summary>
public abstract class PanelPageModel(IMediator mediator, IAuthorizationService authorization) : PageModel
{
    protected IMediator Mediator => mediator;

    /// <summary>The message of the last change (shown once, after the redirect).</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Why the last change was refused, in the API's words (shown once).</summary>
    [TempData]
    public string? Error { get; set; }

    /// <summary>
    /// A secret shown once, at the top of the page a change redirects to (a new company's Dots signing secret, a
    /// webhook secret OrderHub generated). Carried in TempData: a cookie encrypted and signed with Data Protection
    /// (the key ring every instance shares, so the GET may reach any instance), HttpOnly, deleted by the GET that
    /// shows it; that page is sent <c>no-store</c>, so neither a reload nor the browser's cache shows it again. A
    /// server-side one-time store would keep the secret off the browser, but works only if the GET reaches the
    /// instance that stored it.
    /// </summary>
    [TempData]
    public string? SecretShownOnce { get; set; }

    /// <summary>The panel text that says what <see cref="SecretShownOnce"/> is and where it goes.</summary>
    [TempData]
    public string? SecretShownOnceHelp { get; set; }

    /// <summary>Shows <paramref name="secret"/> once on the page the change redirects to, above <paramref name="helpKey"/>'s text.</summary>
    protected void ShowSecretOnce(string secret, string helpKey)
    {
        SecretShownOnce = secret;
        SecretShownOnceHelp = helpKey;
    }

    /// <summary>A page that shows a secret is never stored: not by the browser's cache, not by a proxy.</summary>
    public override void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
        if (SecretShownOnce is not null)
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
        }

        base.OnPageHandlerExecuted(context);
    }

    public async Task<bool> AllowedAsync(string policy) => (await authorization.AuthorizeAsync(User, policy)).Succeeded;

    /// <summary>Reads for a GET: a 404 from the handler (unknown, or another company's) is the page's 404.</summary>
    protected async Task<IActionResult> LoadAsync(Func<Task> load)
    {
        try
        {
            await load();
            return Page();
        }
        catch (ProblemException problem) when (problem.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
    }

    /// <summary>
    /// A change from a form: checks the policy the API endpoint names, sends the request, then redirects back
    /// (post/redirect/get) with the notice it returns or the refusal's message.
    /// </summary>
    /// <param name="policy">The policy of the API endpoint; null for one every signed-in role may call.</param>
    protected async Task<IActionResult> ChangeAsync(string? policy, Func<Task<string>> change, Func<IActionResult>? redirect = null)
    {
        if (policy is not null && !await AllowedAsync(policy))
        {
            return Forbid();
        }

        try
        {
            Notice = await change();
        }
        catch (ProblemException problem) when (problem.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        catch (ProblemException problem)
        {
            Error = Describe(problem);
        }
        catch (ValidationException invalid)
        {
            Error = string.Join(" ", invalid.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}"));
        }

        return redirect?.Invoke() ?? Redirect(Request.Path + WithoutHandler(Request.Query));
    }

    /// <summary>The query string without Razor Pages' <c>handler</c>, so the page redirected to is a plain GET (F5 re-reads, never re-posts).</summary>
    public static string WithoutHandler(IQueryCollection query) =>
        QueryString.Create(query.Where(q => !string.Equals(q.Key, "handler", StringComparison.OrdinalIgnoreCase))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))).ToUriComponent();

    private static string Describe(ProblemException problem) =>
        problem.ErrorsIn(Messages.MessageCatalog.CurrentLanguage) is { } fields
            ? string.Join(" ", fields.Select(f => $"{f.Key}: {string.Join(" ", f.Value)}"))
            : $"{problem.TitleIn(Messages.MessageCatalog.CurrentLanguage)}. {problem.DetailIn(Messages.MessageCatalog.CurrentLanguage)}";
}
