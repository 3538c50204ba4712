using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Pos;
using OrderHub.Integrations.Poster;
using OrderHub.Integrations.WebhookPos;
using OrderHub.Integrations.Webhooks;
using OrderHub.Simulators;

namespace OrderHub.IntegrationTests;

/// <summary>
/// The POS simulators on a real Kestrel server on 127.0.0.1 (port 0), and the real POS clients as
/// <c>AddOrderHubPosClients</c> registers them, pointed at it. One per test: fresh state and fresh circuits.
/// </summary>
public sealed class SimulatorHost : IAsyncLifetime
{
    public const string PosterToken = "861052:0123456789abcdef0123456789abcdef";
    public static readonly string WebhookSecret = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private WebApplication? app;
    private ServiceProvider? clients;

    /// <summary>Resilience settings for the clients; change before <see cref="InitializeAsync"/> runs.</summary>
    public Dictionary<string, string?> Settings { get; } = new()
    {
        // Short, so timeout tests are quick; long enough that a cold first request on a loaded 2-core CI machine
        // (JIT, connection set-up) is not mistaken for one.
        ["Pos:Resilience:AttemptTimeout"] = "00:00:03",
        ["Pos:Resilience:MinimumThroughput"] = "100",
        // The simulators are on loopback, over http: allowed as an on-premise POS would be.
        ["Outbound:AllowHttp"] = "true",
        ["Outbound:AllowedPrivateNetworks:0"] = "127.0.0.0/8",
    };

    public PosSimulator Simulator { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public HttpClient Control { get; private set; } = null!;

    public PosterClient Poster => clients!.GetRequiredService<PosterClient>();

    public WebhookPosClient Webhook => clients!.GetRequiredService<WebhookPosClient>();

    public IServiceProvider Clients => clients!;

    public static PosSimulatorOptions Options() => new()
    {
        WebhookSecrets = [WebhookSecret],
        PosterAccounts =
        [
            new SimulatedPosterAccount
            {
                Account = "demo",
                Token = PosterToken,
                Spots = [new SimulatedSpot { SpotId = 1, Name = "Khreshchatyk" }],
                Products =
                [
                    new SimulatedProduct { ProductId = 113, Name = "Margherita", Price = 18950, DishModificationIds = [19] },
                    new SimulatedProduct { ProductId = 7, Name = "Cola", Price = 4500, ModificatorIds = [3] },
                ],
            },
        ],
    };

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        Simulator = app.MapPosSimulators("/simulator", Options());
        await app.StartAsync();
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        Control = new HttpClient { BaseAddress = new Uri(BaseUrl + "/simulator/") };

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>(Settings)
            {
                ["Poster:BaseUrlTemplate"] = BaseUrl + "/simulator/poster/{account}/api/",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOrderHubPosClients(configuration);
        clients = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public async Task DisposeAsync()
    {
        Control?.Dispose();
        if (clients is not null)
        {
            await clients.DisposeAsync();
        }

        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public async Task FaultsAsync(FaultSettings settings) =>
        (await Control.PostAsJsonAsync("control", settings)).EnsureSuccessStatusCode();

    public async Task<SimulatorStats> StatsAsync() =>
        (await Control.GetFromJsonAsync<SimulatorStats>("control/stats"))!;

    public PosTarget PosterTarget(long spot = 1, string? token = null) => new()
    {
        IntegrationId = Guid.NewGuid(),
        PickupPointId = Guid.NewGuid(),
        Kind = PosKind.Poster,
        PosterAccount = "demo",
        PosterSpotId = spot,
        Secret = token ?? PosterToken,
    };

    public PosTarget WebhookTarget(string path = "orders", string? secret = null, Guid? integrationId = null) => new()
    {
        IntegrationId = integrationId ?? Guid.NewGuid(),
        PickupPointId = Guid.NewGuid(),
        Kind = PosKind.Webhook,
        WebhookUrl = $"{BaseUrl}/simulator/pos/{path}",
        Secret = secret ?? WebhookSecret,
    };
}

/// <summary>Valid orders that the simulator's demo menu knows.</summary>
public static class Orders
{
    public static PosOrder Valid(string? number = null) => new()
    {
        OrderId = Guid.NewGuid(),
        MessageId = "msg_" + Guid.NewGuid().ToString("N"),
        DotsOrderId = "dots-" + Guid.NewGuid().ToString("N")[..8],
        Number = number ?? Random.Shared.Next(1000, 99999).ToString(System.Globalization.CultureInfo.InvariantCulture),
        DeliveryType = "delivery",
        PaymentType = "online",
        Paid = true,
        Currency = "UAH",
        DeliveryPrice = 50m,
        Total = 50m + 2 * (189.50m + 25m) + 45m,
        Comment = "Ring twice",
        DeliveryTime = DateTimeOffset.UtcNow.AddHours(1),
        AcceptedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        TimeZone = "Europe/Kyiv",
        CustomerName = "Olena",
        CustomerPhone = "+380501234567",
        CustomerEmail = "olena@example.com",
        Address = new PosAddress("Khreshchatyk", "22", "3", "5", "41", null, null),
        Lines =
        [
            new PosLine("p-margherita", "113", null, null, "Margherita", 2m, 189.50m, 2 * (189.50m + 25m),
                [new PosModifier("m-cheese", "19", "g-extra", "Extra cheese", 1m, 25m)]),
            new PosLine("p-cola", "7", "v-05", "3", "Cola 0.5", 1m, 45m, 45m, []),
        ],
        Promotions = [],
    };
}
