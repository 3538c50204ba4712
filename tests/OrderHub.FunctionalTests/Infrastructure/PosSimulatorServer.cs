using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderHub.Integrations.Webhooks;
using OrderHub.Simulators;

namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>The POS simulators (Poster and a webhook POS) on a real Kestrel server on 127.0.0.1, one per test.</summary>
public sealed class PosSimulatorServer : IAsyncDisposable
{
    public const string PosterAccount = "pizza-test";
    public const string PosterToken = "861052:0123456789abcdef0123456789abcdef";
    public const string PosterAppSecret = "functional-tests-poster-app-secret";

    public const string CheckboxLicenseKey = "test-checkbox-license-key-0001";
    public const string CheckboxPin = "4321";
    public const string CashalotNumFiscal = "4000123456";
    public const string CashalotKeyPassword = "test-key-password";

    private WebApplication? _app;

    /// <summary>
    /// The simulators' clock (Poster's <c>created_at</c>), read on each call; the system clock when not set. A test
    /// that moves OrderHub's clock and reads Poster's orders by day points it at the factory's clock.
    /// </summary>
    public Func<TimeProvider>? Clock { get; init; }

    public string WebhookSecret { get; } = StandardWebhookSignature.GenerateSecret();

    public PosSimulator Simulator { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public HttpClient Control { get; private set; } = null!;

    public string PosterBaseUrlTemplate => BaseUrl + "/poster/{account}/api/";

    public string WebhookPosUrl => BaseUrl + "/pos/orders";

    public string CheckboxBaseUrl => BaseUrl + "/checkbox/api/v1/";

    public string CashalotUrl => BaseUrl + "/cashalot/api";

    /// <summary>Fault injection of a simulated fiscal provider (checkbox or cashalot), over HTTP.</summary>
    public async Task FiscalAsync(string provider, FiscalSimulatorSettings settings) =>
        (await Control.PostAsJsonAsync($"control/fiscal/{provider}", settings)).EnsureSuccessStatusCode();

    /// <summary>The receipts a simulated fiscal provider holds, read over HTTP.</summary>
    public async Task<List<JsonElement>> FiscalReceiptsAsync(string provider) =>
        (await Control.GetFromJsonAsync<List<JsonElement>>($"control/fiscal/{provider}/receipts"))!;

    /// <summary>Every command body the Cashalot stand-in received, in order, read over HTTP.</summary>
    public async Task<List<JsonElement>> CashalotCommandsAsync() =>
        (await Control.GetFromJsonAsync<List<JsonElement>>("control/fiscal/cashalot/commands"))!;

    /// <param name="clock">The simulators' clock (signature freshness, receipt times); the real one when null. Tests that move
    /// OrderHub's clock far ahead give the simulators the same clock, so signed pushes stay fresh to them.</param>
    public async Task StartAsync(TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }
        else if (Clock is { } deferred)
        {
            builder.Services.AddSingleton<TimeProvider>(new DeferredClock(deferred));
        }

        _app = builder.Build();
        var account = new SimulatedPosterAccount
        {
            Account = PosterAccount,
            Token = PosterToken,
            Spots = [new SimulatedSpot { SpotId = 1, Name = "Хрещатик" }, new SimulatedSpot { SpotId = 2, Name = "Площа Ринок" }],
            ApplicationSecret = PosterAppSecret,
        };
        Simulator = _app.MapPosSimulators("", new PosSimulatorOptions
        {
            WebhookSecrets = [WebhookSecret],
            PosterAccounts = [account],
            CheckboxRegisters = [new SimulatedCheckboxRegister { LicenseKey = CheckboxLicenseKey, Cashiers = [new SimulatedCashier { Name = "Олена", Pin = CheckboxPin }] }],
            CashalotRegisters = [new SimulatedCashalotRegister { NumFiscal = CashalotNumFiscal, Password = CashalotKeyPassword }],
        });
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        Control = new HttpClient { BaseAddress = new Uri(BaseUrl + "/") };
        _posterAccount = account;
    }

    private SimulatedPosterAccount? _posterAccount;

    /// <summary>
    /// The simulated Poster account's menu (<c>menu.getProducts</c>); tests change it between imports. Lock on
    /// it while changing it: the simulator reads it under the same lock. Empty by default (then any product id
    /// is accepted by createIncomingOrder).
    /// </summary>
    public List<SimulatedProduct> PosterMenu => _posterAccount!.Products;

    /// <summary>Points the simulated Poster application's webhooks at OrderHub (known only once it runs).</summary>
    public void SendPosterWebhooksTo(string url) => _posterAccount!.WebhookUrl = url;

    public async Task FaultsAsync(FaultSettings settings) =>
        (await Control.PostAsJsonAsync("control", settings)).EnsureSuccessStatusCode();

    public Task ClearFaultsAsync() => FaultsAsync(new FaultSettings());

    public IReadOnlyList<SimulatedOrder> Orders(string? target = null) => Simulator.Orders(target);

    public SimulatorStats Stats() => Simulator.Stats();

    /// <summary>The stored body of the only order the target has, as JSON.</summary>
    public JsonElement SingleBody(string target)
    {
        var orders = Simulator.Orders(target);
        orders.Count.ShouldBe(1, $"the simulator's {target} should hold exactly one order");
        return JsonSerializer.SerializeToElement(orders[0].Body);
    }

    public async ValueTask DisposeAsync()
    {
        Control?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

/// <summary>A clock that reads another one known only later (the factory's, created after the simulators start).</summary>
internal sealed class DeferredClock(Func<TimeProvider> clock) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => clock().GetUtcNow();
}
