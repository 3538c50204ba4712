using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.FunctionalTests.Infrastructure;

namespace OrderHub.FunctionalTests.Intake;

/// <summary>
/// A test class that runs once per database provider (a subclass per provider); every test gets its own
/// database (every migration applied, no rows: see <see cref="MigratedTemplate"/>) and its own app.
/// </summary>
public abstract class ProviderTestBase(ITestDatabase database) : IAsyncLifetime
{
    private OrderHubFactory? _factory;

    protected OrderHubFactory Factory => _factory ?? throw new InvalidOperationException("Not initialised.");

    protected ITestDatabase Database => database;

    /// <summary>Extra configuration for the app under test.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public virtual async Task InitializeAsync()
    {
        await database.CreateAsync();
        _factory = new OrderHubFactory(database, Settings);
        _ = _factory.Server; // starts the app; migrations run at start-up
    }

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await database.DisposeAsync();
    }

    protected Task<int> CountAsync<T>(Func<OrderHubDbContext, IQueryable<T>> query) =>
        Factory.WithDbAsync(db => query(db).CountAsync());
}
