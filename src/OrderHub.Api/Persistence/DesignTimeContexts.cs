using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace OrderHub.Api.Persistence;

// For `dotnet ef` (scripts/add-migration): each provider's context built without the host, so a migration can be
// added for any provider whatever Database:Provider says. No connection is opened when adding a migration; the
// connection strings only name the provider.

internal sealed class SqliteDesignTimeContext : IDesignTimeDbContextFactory<SqliteOrderHubDbContext>
{
    public SqliteOrderHubDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteOrderHubDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class PostgresDesignTimeContext : IDesignTimeDbContextFactory<PostgresOrderHubDbContext>
{
    public PostgresOrderHubDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresOrderHubDbContext>().UseNpgsql("Host=localhost;Database=orderhub").Options);
}

internal sealed class SqlServerDesignTimeContext : IDesignTimeDbContextFactory<SqlServerOrderHubDbContext>
{
    public SqlServerOrderHubDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerOrderHubDbContext>().UseSqlServer("Server=localhost;Database=orderhub").Options);
}
