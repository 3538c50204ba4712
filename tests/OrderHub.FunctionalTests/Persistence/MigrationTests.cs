using System.Data.Common;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Tenancy;
using OrderHub.FunctionalTests.Infrastructure;

namespace OrderHub.FunctionalTests.Persistence;

public sealed class SqliteMigrationTests() : MigrationTests(new SqliteTestDatabase())
{
    protected override string TablesSql => "SELECT name FROM sqlite_master WHERE type = 'table'";

    protected override string ColumnsSql =>
        "SELECT m.name || '.' || p.name FROM sqlite_master AS m, pragma_table_info(m.name) AS p WHERE m.type = 'table'";

    protected override string IndexesSql => "SELECT name FROM sqlite_master WHERE type = 'index'";

    protected override OrderHubDbContext CreateContextWithDrift() => new SqliteOrderHubDbContext(
        new DbContextOptionsBuilder<SqliteOrderHubDbContext>()
            .UseSqlite("Data Source=:memory:")
            .ReplaceService<IModelCustomizer, DriftingModelCustomizer>()
            .Options);
}

public sealed class PostgresMigrationTests() : MigrationTests(new PostgresTestDatabase())
{
    protected override string TablesSql =>
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'";

    protected override string ColumnsSql =>
        "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public'";

    protected override string IndexesSql => "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'";

    protected override OrderHubDbContext CreateContextWithDrift() => new PostgresOrderHubDbContext(
        new DbContextOptionsBuilder<PostgresOrderHubDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=never_opened")
            .ReplaceService<IModelCustomizer, DriftingModelCustomizer>()
            .Options);
}

[RequiresSqlServer]
public sealed class SqlServerMigrationTests() : MigrationTests(new SqlServerTestDatabase())
{
    protected override string TablesSql => "SELECT name FROM sys.tables";

    protected override string ColumnsSql =>
        "SELECT t.name + '.' + c.name FROM sys.columns AS c JOIN sys.tables AS t ON c.object_id = t.object_id";

    protected override string IndexesSql => "SELECT name FROM sys.indexes WHERE name IS NOT NULL";

    protected override OrderHubDbContext CreateContextWithDrift() => new SqlServerOrderHubDbContext(
        new DbContextOptionsBuilder<SqlServerOrderHubDbContext>()
            .UseSqlServer("Server=127.0.0.1;Database=never_opened")
            .ReplaceService<IModelCustomizer, DriftingModelCustomizer>()
            .Options);
}

/// <summary>
/// The committed migrations, on each provider: they hold the whole model, build it on an empty database, can run
/// again, and the pending-changes check catches a model change that has no migration.
/// </summary>
public abstract class MigrationTests(ITestDatabase database) : IAsyncLifetime
{
    private ServiceProvider? _services;

    protected abstract string TablesSql { get; }

    protected abstract string ColumnsSql { get; }

    protected abstract string IndexesSql { get; }

    /// <summary>The provider's own context type (so its own migrations), on a model with one property more.</summary>
    protected abstract OrderHubDbContext CreateContextWithDrift();

    public async Task InitializeAsync()
    {
        await database.CreateEmptyAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(database.Settings).Build();
        var services = new ServiceCollection();
        services.AddOrderHubPersistence(configuration, new MigratedTemplate.TestHostEnvironment());
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await database.DisposeAsync();
    }

    private IServiceProvider Services => _services ?? throw new InvalidOperationException("Not initialised.");

    [Fact]
    public async Task Migrations_hold_every_change_of_the_model()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();

        db.Database.GetMigrations().ShouldNotBeEmpty();
        db.Database.HasPendingModelChanges().ShouldBeFalse(
            "The model changed without a migration: run scripts/add-migration <Name> and commit the files.");
    }

    [Fact]
    public void A_model_change_without_a_migration_is_caught()
    {
        using var db = CreateContextWithDrift();

        db.Model.FindEntityType(typeof(City))!.FindProperty(DriftingModelCustomizer.PropertyName).ShouldNotBeNull();
        db.Database.GetMigrations().ShouldNotBeEmpty();
        db.Database.HasPendingModelChanges().ShouldBeTrue();
    }

    [Fact]
    public async Task Migrating_an_empty_database_creates_every_table_column_and_index_of_the_model()
    {
        await Services.MigrateOrderHubDatabaseAsync();

        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var model = db.Model.GetRelationalModel();
        var tables = await QueryAsync(db, TablesSql);
        var columns = await QueryAsync(db, ColumnsSql);
        var indexes = await QueryAsync(db, IndexesSql);

        model.Tables.Count().ShouldBeGreaterThan(10);
        foreach (var table in model.Tables)
        {
            tables.ShouldContain(table.Name);
            foreach (var column in table.Columns)
            {
                columns.ShouldContain($"{table.Name}.{column.Name}");
            }

            foreach (var index in table.Indexes)
            {
                indexes.ShouldContain(index.Name);
            }
        }

        (await db.Database.GetAppliedMigrationsAsync()).ShouldBe(db.Database.GetMigrations());
    }

    [Fact]
    public async Task Migrating_twice_changes_nothing_and_the_app_is_then_ready()
    {
        await Services.MigrateOrderHubDatabaseAsync();
        await Services.MigrateOrderHubDatabaseAsync();

        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
            (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
            (await db.Database.GetAppliedMigrationsAsync()).ShouldBe(db.Database.GetMigrations());
        }

        // The app migrates once more at start-up, then reports ready.
        await using var factory = new OrderHubFactory(database);
        using var client = factory.CreateClient();
        var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Reverting_every_migration_drops_the_tables_of_the_model()
    {
        await Services.MigrateOrderHubDatabaseAsync();
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();

        await db.GetService<IMigrator>().MigrateAsync(Migration.InitialDatabase);

        var tables = await QueryAsync(db, TablesSql);
        foreach (var table in db.Model.GetRelationalModel().Tables)
        {
            tables.ShouldNotContain(table.Name);
        }

        (await db.Database.GetAppliedMigrationsAsync()).ShouldBeEmpty();
    }

    private static async Task<List<string>> QueryAsync(OrderHubDbContext db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = sql;
            var values = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                values.Add(reader.GetString(0));
            }

            return values;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>The app's model plus one shadow property that no migration has: what a forgotten migration looks like.</summary>
public sealed class DriftingModelCustomizer(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
{
    public const string PropertyName = "DriftWithoutMigration";

    public override void Customize(ModelBuilder modelBuilder, DbContext context)
    {
        base.Customize(modelBuilder, context);
        modelBuilder.Entity<City>().Property<string>(PropertyName).HasMaxLength(16);
    }
}
