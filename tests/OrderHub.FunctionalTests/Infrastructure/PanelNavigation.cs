using Microsoft.Playwright;

namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>
/// Every page change of the browser tests: opening an address, reloading, and following a click or a form that
/// navigates. None waits for a load event. Playwright .NET's load-state waits (<c>GotoAsync</c>, <c>ReloadAsync</c> and
/// <c>WaitForURLAsync</c> with their default <c>WaitUntil = Load</c>, <c>WaitForLoadStateAsync</c>) look at the states
/// the page has reached and then subscribe to the next one, so an event the connection's thread delivers in between is
/// missed and the wait times out with the page long arrived (microsoft/playwright-dotnet#3364; 15 s timeouts in loaded
/// CI runs). These navigate only up to the response (<c>WaitUntil = Commit</c>) and then ask the page itself, polled
/// by Playwright across the navigation, until it is a new document whose DOMContentLoaded has run: the HTML parsed to
/// its end, the stylesheet applied and panel.js's handlers done (a deferred script runs after the stylesheets before
/// it). Not the load event, which waits for every image too. The old page is marked before the navigation starts, so
/// the wait cannot return on it: post/redirect/get often lands on the address it left. After these, the calls that do
/// not wait (<c>CountAsync</c>, <c>ContentAsync</c>, <c>EvaluateAsync</c>, <c>IsVisibleAsync</c>) read the whole new
/// page, not the part of it that had arrived.
/// </summary>
public static class PanelNavigation
{
    private const string MarkOldPage = "() => { window.__orderHubOldPage = true; }";

    private const string NewPageParsed = """
        () => {
          if (window.__orderHubOldPage === true) return false;
          const timing = performance.getEntriesByType('navigation')[0];
          return timing ? timing.domContentLoadedEventEnd > 0 : document.readyState === 'complete';
        }
        """;

    /// <summary>Opens an address (relative to the context's base address) and returns its response, once the new page is parsed.</summary>
    public static async Task<IResponse> OpenAsync(this IPage page, string url)
    {
        await page.EvaluateAsync(MarkOldPage);
        var response = await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await WaitForNewPageAsync(page);
        return response ?? throw new InvalidOperationException($"{url} was not a new document (an anchor on the same page?).");
    }

    /// <summary>Reloads the page and returns its response, once the reloaded page is parsed.</summary>
    public static async Task<IResponse> RefreshAsync(this IPage page)
    {
        await page.EvaluateAsync(MarkOldPage);
        var response = await page.ReloadAsync(new PageReloadOptions { WaitUntil = WaitUntilState.Commit });
        await WaitForNewPageAsync(page);
        return response ?? throw new InvalidOperationException($"Reloading {page.Url} gave no response.");
    }

    /// <summary>Does what navigates (a link's click, a form's submit) and returns once the page it leads to is parsed.</summary>
    public static async Task FollowAsync(this IPage page, Func<Task> navigate)
    {
        await page.EvaluateAsync(MarkOldPage);
        await navigate();
        await WaitForNewPageAsync(page);
    }

    /// <summary>As <see cref="FollowAsync(IPage, Func{Task})"/>, keeping what the action returned (a response it waited for).</summary>
    public static async Task<T> FollowAsync<T>(this IPage page, Func<Task<T>> navigate)
    {
        await page.EvaluateAsync(MarkOldPage);
        var result = await navigate();
        await WaitForNewPageAsync(page);
        return result;
    }

    /// <summary>Signs in through the panel's sign-in form and returns once the signed-in page shows its user.</summary>
    public static async Task SignInAsync(this IPage page, string login, string password)
    {
        await page.OpenAsync("/panel/sign-in");
        await page.Locator("#login").FillAsync(login);
        await page.Locator("#password").FillAsync(password);
        await page.FollowAsync(() => page.Locator("main button[type=submit]").ClickAsync());
        await Assertions.Expect(page.GetByTestId("current-user")).ToBeVisibleAsync();
    }

    private static Task WaitForNewPageAsync(IPage page) =>
        page.WaitForFunctionAsync(NewPageParsed, null, new PageWaitForFunctionOptions { PollingInterval = 50, Timeout = 30_000 });
}
