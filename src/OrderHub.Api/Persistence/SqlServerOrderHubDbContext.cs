using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace OrderHub.Api.Persistence;

/// <summary>
/// SQL Server (2019 or newer). Owns the SQL Server migrations. Times are <c>datetimeoffset</c> (EF's mapping of
/// <see cref="DateTimeOffset"/>), strings compare ordinally as on the other two providers.
/// </summary>
public sealed class SqlServerOrderHubDbContext(DbContextOptions<SqlServerOrderHubDbContext> options) : OrderHubDbContext(options)
{
    /// <summary>
    /// Binary, so keys, webhook ids and external ids compare and stay unique exactly as in PostgreSQL and SQLite
    /// ("ABC" and "abc" are two ids); a server's default collation is case-insensitive.
    /// </summary>
    public const string Collation = "Latin1_General_100_BIN2";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<string>().UseCollation(Collation);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // SQL Server refuses a second cascading path into one table (error 1785): deleting an order would reach its
        // history rows directly and again through its inbound events (set null, then cascade). OrderHub never
        // deletes an order without deleting both first (retention), so here the events' link is kept by EF alone.
        modelBuilder.Model.FindEntityType(typeof(OrderHub.Domain.Inbound.InboundEvent))!
            .GetForeignKeys()
            .Single(fk => fk.PrincipalEntityType.ClrType == typeof(OrderHub.Domain.Orders.Order))
            .DeleteBehavior = DeleteBehavior.ClientSetNull;

        // The shared index filters quote names the ANSI way; SQL Server's own brackets read the same whatever the
        // session's QUOTED_IDENTIFIER setting.
        foreach (var index in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetDeclaredIndexes()))
        {
            if (index.GetFilter() is { } filter && filter.Contains('"', StringComparison.Ordinal))
            {
                index.SetFilter(BracketQuoted(filter));
            }
        }
    }

    private static string BracketQuoted(string filter)
    {
        var parts = filter.Split('"');
        for (var i = 1; i < parts.Length; i += 2)
        {
            parts[i] = "[" + parts[i] + "]";
        }

        return string.Concat(parts);
    }
}
