using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderHub.Integrations.Webhooks;
using OrderHub.Simulators;

namespace OrderHub.Benchmarks.Hosting;

/// <summary>The webhook POS simulator on its own Kestrel server on 127.0.0.1 and a free port.</summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    public const string Target = "pos/orders";

    private WebApplication? _app;

    public string WebhookSecret { get; } = StandardWebhookSignature.GenerateSecret();

    public PosSimulator Simulator { get; private set; } = null!;

    public string WebhookPosUrl { get; private set; } = "";

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        Simulator = _app.MapPosSimulators("", new PosSimulatorOptions { WebhookSecrets = [WebhookSecret], KeepWebhookBodies = false });
        await _app.StartAsync();
        var baseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        WebhookPosUrl = baseUrl + "/" + Target;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
