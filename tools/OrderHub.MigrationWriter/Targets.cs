using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using OrderHub.Api.Persistence;

namespace OrderHub.MigrationWriter;

/// <summary>One provider's context and where its migrations live.</summary>
internal sealed record Target(string Provider, Type ContextType, string Folder, string Namespace)
{
    public static IReadOnlyList<Target> All { get; } =
    [
        new("Sqlite", typeof(SqliteOrderHubDbContext), "src/OrderHub.Api/Persistence/Migrations/Sqlite", "OrderHub.Api.Persistence.Migrations.Sqlite"),
        new("Postgres", typeof(PostgresOrderHubDbContext), "src/OrderHub.Api/Persistence/Migrations/Postgres", "OrderHub.Api.Persistence.Migrations.Postgres"),
    ];

    /// <summary>
    /// The context as the app registers it (same provider options, so the same model), pointed at a database
    /// that is never opened: building the model needs no server.
    /// </summary>
    public ServiceProvider CreateServices()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = Provider,
                ["Database:SqlitePath"] = Path.Combine(Path.GetTempPath(), "orderhub-migration-writer.db"),
                ["Database:ConnectionString"] = "Host=127.0.0.1;Database=orderhub_design_time",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddOrderHubPersistence(configuration, new DesignTimeEnvironment());
        return services.BuildServiceProvider();
    }

    private sealed class DesignTimeEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Design";

        public string ApplicationName { get; set; } = "OrderHub.Api";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
