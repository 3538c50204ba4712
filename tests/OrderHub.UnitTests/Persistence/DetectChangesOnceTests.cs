using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Tenancy;

namespace OrderHub.UnitTests.Persistence;

/// <summary>
/// A save scans the tracked entities once, however many interceptors read the tracker's entries, and still finds a
/// change nobody told EF about; automatic detection is back on after the save, whether it succeeded or failed.
/// </summary>
public sealed class DetectChangesOnceTests : IAsyncLifetime
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        await using var db = Context();
        await db.Database.EnsureCreatedAsync();
        db.Cities.Add(new City { DotsCityId = "kyiv", Name = "Kyiv", CreatedAt = DateTimeOffset.UnixEpoch });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task A_save_read_by_two_interceptors_scans_once_and_saves_an_untold_change()
    {
        await using var db = Context();
        var city = await db.Cities.SingleAsync();
        var scans = 0;
        db.ChangeTracker.DetectingAllChanges += (_, _) => scans++;

        city.Name = "Київ";
        await db.SaveChangesAsync();

        scans.ShouldBe(1);
        db.ChangeTracker.AutoDetectChangesEnabled.ShouldBeTrue();
        await using var check = Context();
        (await check.Cities.SingleAsync()).Name.ShouldBe("Київ");
    }

    [Fact]
    public async Task A_failed_save_turns_detection_back_on()
    {
        await using var db = Context();
        db.Cities.Add(new City { DotsCityId = "kyiv", Name = "again", CreatedAt = DateTimeOffset.UnixEpoch });

        await Should.ThrowAsync<DbUpdateException>(db.SaveChangesAsync());

        db.ChangeTracker.AutoDetectChangesEnabled.ShouldBeTrue();
    }

    private OrderHubDbContext Context() => new SqliteOrderHubDbContext(new DbContextOptionsBuilder<SqliteOrderHubDbContext>()
        .UseSqlite(_connection)
        .AddInterceptors(new DetectChangesOnce(), new Reader(), new Reader())
        .Options);

    /// <summary>Reads every entry while saving, as the audit and queue-wake interceptors do.</summary>
    private sealed class Reader : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            _ = eventData.Context!.ChangeTracker.Entries().Count();
            return ValueTask.FromResult(result);
        }
    }
}
