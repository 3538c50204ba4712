using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Dispatching;
using OrderHub.Api.Features.Orders;
using OrderHub.Domain.Export;
using OrderHub.Domain.Orders;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;
using OrderHub.Simulators;
using static OrderHub.FunctionalTests.Infrastructure.Eventually;

namespace OrderHub.FunctionalTests.Export;

/// <summary>
/// Export tests' common ground: the POS simulators on loopback, OrderHub's dispatcher pointed at them, and waits
/// for what the dispatcher wrote. Each class picks its POS attempt timeout.
/// </summary>
public abstract class ExportTestBase(ITestDatabase database) : ProviderTestBase(database)
{
    protected const string PosterTarget = "poster/" + PosSimulatorServer.PosterAccount;
    protected const string WebhookTarget = "pos/orders";

    protected PosSimulatorServer Pos { get; } = new();

    /// <summary>
    /// How long OrderHub waits for one POS call. A call cut off is unclear and retried a minute later on the test
    /// clock, which stands still: only a test that times a call out on purpose wants it short.
    /// </summary>
    protected abstract TimeSpan AttemptTimeout { get; }

    protected override IReadOnlyDictionary<string, string?> Settings => PosSettings();

    protected Dictionary<string, string?> PosSettings() => new()
    {
        ["Dispatcher:Enabled"] = "true",
        ["Dispatcher:PollInterval"] = "00:00:00.200",
        ["Dispatcher:DrainTimeout"] = "00:00:05",
        ["Dispatcher:MaxAge"] = "00:01:30",
        ["Poster:BaseUrlTemplate"] = Pos.PosterBaseUrlTemplate,
        ["PosterApp:ApplicationSecret"] = PosSimulatorServer.PosterAppSecret,
        ["Pos:Resilience:AttemptTimeout"] = AttemptTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["Pos:Resilience:MinimumThroughput"] = "1000",
    };

    public override async Task InitializeAsync()
    {
        await Pos.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Pos.DisposeAsync();
    }

    protected TestTenant PosterTenant() => new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken);

    protected void Wake() => Factory.Services.GetRequiredService<ExportDispatcher>().Notify();

    protected async Task<Guid> AcceptAsync(TestTenant tenant, string fixture, OrderHubFactory? factory = null)
    {
        factory ??= Factory;
        var sender = new DotsSender(factory.CreateClient(), tenant.Key, tenant.Secret, factory.Clock);
        var receipt = await (await sender.SendFixtureAsync(fixture)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        return receipt.OrderId!.Value;
    }

    protected Task<ExportQueueEntry> EntryAsync(Guid order) =>
        Factory.WithDbAsync(db => db.ExportQueue.AsNoTracking().SingleAsync(e => e.OrderId == order && e.Kind == ExportQueueKind.Create));

    protected async Task<OrderDetailsDto> GetOrderAsync(Guid order) =>
        await (await Factory.CreateApiClient().GetAsync($"/api/orders/{order}")).ShouldBeAsync<OrderDetailsDto>(HttpStatusCode.OK);

    protected Task WaitForStateAsync(Guid order, ExportState state) =>
        WaitUntilAsync(async () => await Factory.WithDbAsync(db => db.Orders.AnyAsync(o => o.Id == order && o.ExportState == state)),
            $"order {order} to reach {state}");

    /// <summary>Waits until attempt <paramref name="attempts"/> has its outcome written (the entry is unleased again).</summary>
    protected async Task<ExportQueueEntry> WaitForAttemptsAsync(Guid order, int attempts)
    {
        ExportQueueEntry? entry = null;
        await WaitUntilAsync(async () =>
        {
            entry = await EntryAsync(order);
            return entry.Attempts == attempts && entry.LeaseOwner is null && entry.LastAttemptAt is not null;
        }, $"attempt {attempts} of order {order}");
        return entry!;
    }
}
