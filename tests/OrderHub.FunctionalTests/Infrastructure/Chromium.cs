using Microsoft.Playwright;

namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright, headless, one browser per test class (a class fixture, so the browser
/// classes run beside each other and the other classes; each test opens its own context). Never downloads a
/// browser: the binary comes from the <c>chromium</c> package (<c>scripts/test</c> installs it), or from
/// <c>ORDERHUB_CHROMIUM</c>.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public static readonly string ExecutablePath = Environment.GetEnvironmentVariable("ORDERHUB_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Chromium is not at {ExecutablePath}: install Debian's chromium package (scripts/test does) or set ORDERHUB_CHROMIUM.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh context (own cookies) with a page, at a laptop or a phone size.</summary>
    public async Task<IPage> NewPageAsync(string baseUrl, bool phone = false, string locale = "en-US")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            Locale = locale,
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 860 },
            IsMobile = phone,
            HasTouch = phone,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Saves a screenshot for the README under docs/screenshots when ORDERHUB_UPDATE_SCREENSHOTS=1 (like the
    /// OpenAPI document), else into the test's temp folder so a failing run can still be looked at.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var update = Environment.GetEnvironmentVariable("ORDERHUB_UPDATE_SCREENSHOTS") == "1";
        var directory = update ? Path.Combine(RepositoryRoot(), "docs", "screenshots") : Path.Combine(Path.GetTempPath(), "orderhub-screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrderHub.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("OrderHub.sln not found above the test binaries.");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
