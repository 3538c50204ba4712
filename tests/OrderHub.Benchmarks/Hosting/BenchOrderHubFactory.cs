using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrderHub.Benchmarks.Hosting;

/// <summary>
/// OrderHub in-process on a real Kestrel port, configured like production (Production environment, Warning
/// logs, dispatcher on, system clock), plus a no-op endpoint that marks the ceiling of host and client.
/// </summary>
public sealed class BenchOrderHubFactory(IReadOnlyDictionary<string, string?> databaseSettings, IReadOnlyDictionary<string, string?> extraSettings)
    : WebApplicationFactory<global::Program>
{
    public const string ApiKey = "benchmark-api-key-0123456789abcdef";
    public const string NoopPath = "/bench/noop";

    public string BaseUrl { get; private set; } = "";

    /// <summary>Starts Kestrel on 127.0.0.1 and a free port; returns the base address.</summary>
    public string Start()
    {
        // Outside a test project the factory does not find OrderHub.Api's content root (appsettings.json) by itself.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_ORDERHUB_API", ApiContentRoot());
        UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return BaseUrl;
    }

    internal static string ApiContentRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "src", "OrderHub.Api");
            if (File.Exists(Path.Combine(candidate, "appsettings.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"src/OrderHub.Api not found above {AppContext.BaseDirectory}.");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in Settings(databaseSettings, extraSettings))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, NoopEndpointFilter>());
    }

    /// <summary>OrderHub's configuration in a benchmark, in-process or as a process of its own.</summary>
    internal static Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?> databaseSettings, IReadOnlyDictionary<string, string?> extraSettings)
    {
        var settings = new Dictionary<string, string?>(databaseSettings)
        {
            ["Auth:ApiKeys:0:Name"] = "benchmark",
            ["Auth:ApiKeys:0:Key"] = ApiKey,
            ["Demo:Enabled"] = "false",
            ["Simulators:Enabled"] = "false",
            ["Dispatcher:Enabled"] = "true",
            // The webhook POS simulator is on loopback, over http: allowed as an on-premise POS would be.
            ["Outbound:AllowHttp"] = "true",
            ["Outbound:AllowedPrivateNetworks:0"] = "127.0.0.0/8",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        };
        foreach (var (key, value) in extraSettings)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>
    /// <c>POST /bench/noop</c>, first in the pipeline: reads the body and answers 202. Only in the benchmark host.
    /// </summary>
    private sealed class NoopEndpointFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map(NoopPath, noop => noop.Run(async context =>
            {
                var buffer = new byte[16 * 1024];
                while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
                {
                }

                context.Response.StatusCode = StatusCodes.Status202Accepted;
            }));
            next(app);
        };
    }
}
