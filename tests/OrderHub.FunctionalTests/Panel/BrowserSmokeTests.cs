using Microsoft.Playwright;
using OrderHub.FunctionalTests.Infrastructure;

namespace OrderHub.FunctionalTests.Panel;

/// <summary>The browser harness itself: Debian's Chromium reaches OrderHub on a real port and renders its pages.</summary>
public sealed class BrowserSmokeTests(Chromium chromium) : IAsyncLifetime, IClassFixture<Chromium>
{
    private readonly SqliteTestDatabase _database = new();
    private OrderHubFactory _factory = null!;
    private string _baseUrl = "";

    public async Task InitializeAsync()
    {
        await _database.CreateAsync();
        _factory = new OrderHubFactory(_database);
        _baseUrl = KestrelOrderHub.Start(_factory);
    }

    [Fact]
    public async Task Chromium_renders_the_swagger_page_served_on_a_real_port()
    {
        var page = await chromium.NewPageAsync(_baseUrl);

        // Returns at the response: a wait for the load event can miss it (microsoft/playwright-dotnet#3364; timed out
        // in a loaded CI run). The locator below polls until the page has rendered.
        var response = await page.GotoAsync("/swagger/index.html", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });

        response!.Status.ShouldBe(200);
        await page.Locator(".swagger-ui .title").First.WaitForAsync();
        (await page.Locator(".swagger-ui .title").First.InnerTextAsync()).ShouldContain("OrderHub");
        await page.Context.CloseAsync();
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }
}
