using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OrderHub.Api.Persistence;

namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>OrderHub in-process on a real database, with a test API key and a clock the test controls.</summary>
public sealed class OrderHubFactory(ITestDatabase database, IReadOnlyDictionary<string, string?>? extraSettings = null)
    : WebApplicationFactory<Program>
{
    public const string ApiKey = "functional-tests-api-key-0123456789";
    public const string ApiKeyName = "tests";

    public TestClock Clock { get; } = new();

    /// <summary>Every log line the app wrote (at the levels configured; see <c>Logging:LogLevel:*</c>).</summary>
    public LogSink Logs { get; } = new();

    public ITestDatabase Database => database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Auth:ApiKeys:0:Name"] = ApiKeyName,
            ["Auth:ApiKeys:0:Key"] = ApiKey,
            ["Demo:Enabled"] = "false",
            // Intake tests look at orders as they were queued; export tests switch the dispatcher on.
            ["Dispatcher:Enabled"] = "false",
            // Retention tests run a pass by hand (RetentionRunner) at the clock they set.
            ["Retention:Enabled"] = "false",
            // Catalog tests press "refresh" themselves; one test switches the schedule on.
            ["Catalog:Refresh:Enabled"] = "false",
            // Fiscal tests switch the receipt worker on.
            ["Fiscal:WorkerEnabled"] = "false",
            // Telegram tests switch the alert sender, update poller and alert clock on.
            ["Telegram:Enabled"] = "false",
            // Sign-in tests post far more often than a person; the throttle test sets its own limit.
            ["Auth:SignInThrottle:PermitLimit"] = "10000",
            // The OpenAPI drift test reads the document; off-by-default is tested with this set to null.
            ["Swagger:Enabled"] = "true",
            // The fakes of webhook POSes are on loopback, over http; the outbound policy tests switch this off.
            ["Outbound:AllowHttp"] = "true",
            ["Outbound:AllowedPrivateNetworks:0"] = "127.0.0.0/8",
            ["Outbound:AllowedPrivateNetworks:1"] = "::1/128",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        // UseSetting reaches Program's builder.Configuration before the services read it.
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<ILoggerProvider>(Logs);
        });
    }

    /// <summary>A client that sends the test API key.</summary>
    public HttpClient CreateApiClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    /// <summary>Runs <paramref name="work"/> against the app's own database context.</summary>
    public async Task<T> WithDbAsync<T>(Func<OrderHubDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<OrderHubDbContext>());
    }
}
