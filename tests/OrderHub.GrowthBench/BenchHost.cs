using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Mappings;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.GrowthBench;

/// <summary>OrderHub in-process on Kestrel (a free loopback port), dispatcher and retention off, warnings only.</summary>
public sealed class BenchHost(IReadOnlyDictionary<string, string?> database) : WebApplicationFactory<Program>
{
    public const string ApiKey = "growth-bench-api-key-0123456789";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        var settings = new Dictionary<string, string?>(database)
        {
            ["Auth:ApiKeys:0:Name"] = "bench",
            ["Auth:ApiKeys:0:Key"] = ApiKey,
            ["Demo:Enabled"] = "false",
            ["Simulators:Enabled"] = "false",
            ["Dispatcher:Enabled"] = "false",
            // A pass over 90 days of seeded orders would prune two thirds of them mid-measurement.
            ["Retention:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            // The first start asks for a migrations table that does not exist yet.
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
        };
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
    }

    public Uri Start()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
    }
}

/// <summary>The benchmark's company: pickup points on a webhook POS with auto-sync off, every fixture item mapped.</summary>
public sealed class BenchTenant
{
    private static readonly (ExternalIdKind Kind, string DotsId, string ExternalId)[] SampleIds =
    [
        (ExternalIdKind.Product, "dots-prod-pizza-margherita", "101"),
        (ExternalIdKind.Product, "dots-prod-cola", "201"),
        (ExternalIdKind.Variant, "dots-var-cola-05", "2011"),
        (ExternalIdKind.Product, "dots-prod-tiramisu", "301"),
        (ExternalIdKind.Modifier, "dots-mod-extra-mozzarella", "11"),
        (ExternalIdKind.Modifier, "dots-mod-thin-crust", "12"),
        (ExternalIdKind.Promotion, "dots-promo-2nd-pizza-20", "7"),
    ];

    public const string DotsCompanyId = "b3c1f0a2-7d4e-4c8b-a9f1-2e5d6c7b8a90";

    public string Key { get; } = "growth-bench";

    public string Secret { get; } = StandardWebhookSignature.GenerateSecret();

    public Guid CompanyId { get; private set; }

    public IReadOnlyList<(Guid Id, string DotsAddressId)> Points { get; private set; } = [];

    public async Task CreateAsync(IServiceProvider services, int pointCount)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
        var protector = scope.ServiceProvider.GetRequiredService<SecretProtector>();
        var now = DateTimeOffset.UtcNow;
        var city = new City { DotsCityId = "kyiv", Name = "Київ", CreatedAt = now };
        var company = new Company
        {
            CityId = city.Id, DotsCompanyId = DotsCompanyId, Key = Key, Name = "Growth Pizza",
            SigningSecretProtected = protector.Protect(Secret), CreatedAt = now, SecretRotatedAt = now,
        };
        db.AddRange(city, company);
        var points = Enumerable.Range(1, pointCount)
            .Select(i => new PickupPoint { CompanyId = company.Id, DotsAddressId = Guid.NewGuid().ToString(), Name = $"Point {i}", CreatedAt = now })
            .ToList();
        db.AddRange(points);
        db.PosIntegrations.AddRange(points.Select(p => new PosIntegration
        {
            PickupPointId = p.Id, Kind = PosKind.Webhook, WebhookUrl = "http://127.0.0.1:9/pos",
            SecretProtected = protector.Protect(StandardWebhookSignature.GenerateSecret()),
            AutoSyncOnAcceptance = false, CreatedAt = now, UpdatedAt = now,
        }));
        db.ExternalIds.AddRange(SampleIds.Select(i => new ExternalIdMapping
        {
            CompanyId = company.Id, ScopeId = company.Id, Kind = i.Kind, DotsId = i.DotsId, ExternalId = i.ExternalId, UpdatedAt = now,
        }));
        await db.SaveChangesAsync();
        CompanyId = company.Id;
        Points = points.Select(p => (p.Id, p.DotsAddressId)).ToList();
    }
}
