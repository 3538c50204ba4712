using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace OrderHub.Api.Persistence;

/// <summary>The embedded default. Owns the SQLite migrations.</summary>
public sealed class SqliteOrderHubDbContext(DbContextOptions<SqliteOrderHubDbContext> options) : OrderHubDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date-time type and cannot compare or sort DateTimeOffset text; UTC ticks sort and
        // compare as numbers. OrderHub stores every time in UTC, so nothing is lost.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}
