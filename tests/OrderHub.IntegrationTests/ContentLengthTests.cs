using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderHub.Domain.Fiscal;
using OrderHub.Integrations.Fiscal;
using OrderHub.Integrations.Pos;
using OrderHub.Integrations.Poster;
using OrderHub.Integrations.WebhookPos;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.IntegrationTests;

/// <summary>
/// Every request with a body goes out with a Content-Length, never chunked (some gateways refuse chunked bodies),
/// as a real Kestrel server on 127.0.0.1 sees it; and the webhook POS signature covers the bytes that arrived.
/// </summary>
public sealed class ContentLengthTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<Seen> seen = new();
    private WebApplication? server;
    private ServiceProvider? clients;
    private string baseUrl = "";

    private sealed record Seen(string Path, long? ContentLength, string? TransferEncoding, byte[] Body, IHeaderDictionary Headers);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        server = builder.Build();
        server.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            seen.Enqueue(new Seen(context.Request.Path, context.Request.ContentLength,
                context.Request.Headers.TransferEncoding.ToString() is { Length: > 0 } te ? te : null, buffer.ToArray(),
                new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value))));
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"response":{"incoming_order_id":"1","status":0},"access_token":"t","status":"CREATED"}""");
        });
        await server.StartAsync();
        baseUrl = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Poster:BaseUrlTemplate"] = baseUrl + "/poster/{account}/api/",
            ["Fiscal:CheckboxBaseUrl"] = baseUrl + "/checkbox/api/v1/",
            // The recording server is on loopback over http: allowed here as the demo allows its simulators.
            ["Outbound:AllowHttp"] = "true",
            ["Outbound:AllowedPrivateNetworks:0"] = "127.0.0.0/8",
        }).Build();
        clients = new ServiceCollection().AddLogging()
            .AddOrderHubPosClients(configuration)
            .AddOrderHubFiscalClients(configuration)
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        if (clients is not null)
        {
            await clients.DisposeAsync();
        }

        if (server is not null)
        {
            await server.StopAsync();
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Poster_webhook_POS_and_Checkbox_bodies_carry_a_Content_Length()
    {
        var poster = new PosTarget
        {
            IntegrationId = Guid.NewGuid(),
            PickupPointId = Guid.NewGuid(),
            Kind = OrderHub.Domain.Tenancy.PosKind.Poster,
            PosterAccount = "demo",
            PosterSpotId = 1,
            Secret = SimulatorHost.PosterToken,
        };
        var webhook = new PosTarget
        {
            IntegrationId = Guid.NewGuid(),
            PickupPointId = Guid.NewGuid(),
            Kind = OrderHub.Domain.Tenancy.PosKind.Webhook,
            WebhookUrl = baseUrl + "/pos/orders",
            Secret = SimulatorHost.WebhookSecret,
        };

        (await clients!.GetRequiredService<PosterClient>().CreateOrderAsync(poster, Orders.Valid(), CancellationToken.None)).Outcome.ShouldBe(PosPushOutcome.Delivered);
        (await clients!.GetRequiredService<WebhookPosClient>().CreateOrderAsync(webhook, Orders.Valid(), CancellationToken.None)).Outcome.ShouldBe(PosPushOutcome.Delivered);
        var checkbox = clients!.GetRequiredService<CheckboxClient>();
        (await checkbox.SignInAsync("license", "1234", CancellationToken.None)).Outcome.ShouldBe(FiscalCallOutcome.Ok);
        var receipt = new FiscalReceiptRequest(Guid.NewGuid(), false,
            new ReceiptContent([new ReceiptGood(0, "113", "Маргарита", 2m, 189.50m, "1")], 0m, null),
            "CASH", "Олена", "4000000017", null, null, null, null);
        (await checkbox.SellAsync("license", "token", receipt, CancellationToken.None)).Outcome.ShouldBe(FiscalCallOutcome.Ok);

        var requests = seen.ToList();
        requests.Select(r => r.Path).ShouldBe(
            ["/poster/demo/api/incomingOrders.createIncomingOrder", "/pos/orders", "/checkbox/api/v1/cashier/signinPinCode", "/checkbox/api/v1/receipts/sell"]);
        foreach (var request in requests)
        {
            request.TransferEncoding.ShouldBeNull(request.Path);
            request.ContentLength.ShouldBe(request.Body.Length, request.Path);
            request.Body.Length.ShouldBeGreaterThan(2, request.Path);
        }

        var signed = requests[1];
        StandardWebhookSignature.Verify([SimulatorHost.WebhookSecret], signed.Headers[StandardWebhookSignature.IdHeader].ToString(),
            signed.Headers[StandardWebhookSignature.TimestampHeader].ToString(), signed.Headers[StandardWebhookSignature.SignatureHeader].ToString(),
            signed.Body, DateTimeOffset.UtcNow).ShouldBe(SignatureFailure.None);
    }
}
