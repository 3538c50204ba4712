using System.Net;
using System.Net.Http.Json;
using OrderHub.Api.Features.Catalog;
using OrderHub.Api.Features.Catalog.Drift;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;
using OrderHub.Simulators;

namespace OrderHub.FunctionalTests.Catalog;

/// <summary>The scheduled refresh (Catalog:Refresh, on here with a short interval): imports and drift without anyone pressing refresh.</summary>
public abstract class CatalogScheduleTests(ITestDatabase database) : ProviderTestBase(database)
{
    private readonly PosSimulatorServer _pos = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Poster:BaseUrlTemplate"] = _pos.PosterBaseUrlTemplate,
        ["Catalog:Refresh:Enabled"] = "true",
        ["Catalog:Refresh:Interval"] = "00:00:00.300",
    };

    public override async Task InitializeAsync()
    {
        await _pos.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _pos.DisposeAsync();
    }

    [Fact]
    public async Task The_schedule_imports_the_Poster_catalog_and_Dots_items_from_orders_and_then_sees_a_repricing()
    {
        lock (_pos.PosterMenu)
        {
            _pos.PosterMenu.Add(new SimulatedProduct { ProductId = 101, Name = "Піца Маргарита", Price = 24500 });
            _pos.PosterMenu.Add(new SimulatedProduct { ProductId = 201, Name = "Coca-Cola", Price = 4200, Variants = [new() { Id = 2011, Name = "0.5 л", Price = 4200 }] });
        }

        var tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).WithAutoSync(false).WithoutLvivPoint().CreateAsync(Factory);
        (await tenant.Sender(Factory).SendFixtureAsync(Fixtures.AcceptedDelivery)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var api = Factory.CreateApiClient();

        var catalog = await EventuallyAsync(() => api.GetFromJsonAsync<PosCatalogDto>($"/api/pickup-points/{tenant.KyivPointId}/pos-catalog", HttpAssertions.Json),
            c => c!.ActiveCount == 3);
        catalog!.Items.Single(i => i.ExternalId == "101").Price.ShouldBe(245m);
        await EventuallyAsync(() => api.GetFromJsonAsync<List<DotsMenuItemDto>>($"/api/companies/{tenant.CompanyId}/dots-menu", HttpAssertions.Json),
            menu => menu!.Count == 7 && menu.All(i => i.Source == "orders"));

        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        lock (_pos.PosterMenu)
        {
            _pos.PosterMenu.Single(p => p.ProductId == 101).Price = 26500;
        }

        var drift = await EventuallyAsync(() => api.GetFromJsonAsync<DriftDto>($"/api/pickup-points/{tenant.KyivPointId}/drift", HttpAssertions.Json),
            d => d!.Changed.Count > 0);
        var change = drift!.Changed.ShouldHaveSingleItem();
        (change.Side, change.ExternalId, change.Change, change.PreviousPrice, change.Price).ShouldBe(("pos", "101", "repriced", 245m, 265m));
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"Not reached in 20 s: {System.Text.Json.JsonSerializer.Serialize(value)}");
            }

            await Task.Delay(100);
        }
    }
}

public sealed class SqliteCatalogScheduleTests() : CatalogScheduleTests(new SqliteTestDatabase());

public sealed class PostgresCatalogScheduleTests() : CatalogScheduleTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerCatalogScheduleTests() : CatalogScheduleTests(new SqlServerTestDatabase());
