using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using OrderHub.Api.Persistence;

namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>
/// Applies every migration to a database the way the app does at start-up (<see cref="PersistenceRegistration.MigrateOrderHubDatabaseAsync"/>),
/// without starting the app: once per run and provider, into a template database that each test's database is
/// then copied from (a file copy for SQLite, <c>CREATE DATABASE … TEMPLATE</c> for PostgreSQL). Copying costs a
/// fraction of migrating, and the app still runs its own migration check at start on the copy (nothing pending).
/// </summary>
public static class MigratedTemplate
{
    public static async Task MigrateAsync(IReadOnlyDictionary<string, string?> databaseSettings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(databaseSettings).Build();
        var services = new ServiceCollection();
        services.AddOrderHubPersistence(configuration, new TestHostEnvironment());
        await using var provider = services.BuildServiceProvider();
        await provider.MigrateOrderHubDatabaseAsync();
    }

    public sealed class TestHostEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "OrderHub.Api";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
