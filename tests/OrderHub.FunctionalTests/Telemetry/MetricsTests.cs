using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Features.Webhooks.ReceiveDotsEvent;
using OrderHub.Api.Telemetry;
using OrderHub.Domain.Export;
using OrderHub.Domain.Orders;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;
using OrderHub.Simulators;
using static OrderHub.FunctionalTests.Infrastructure.Eventually;

namespace OrderHub.FunctionalTests.Telemetry;

/// <summary>
/// OrderHub's own meter, read with a <see cref="MeterListener"/> on this app's meter only (other tests' apps run
/// beside it), after orders went in through HTTP and out through the real dispatcher to the POS simulators.
/// </summary>
public abstract class MeterTestBase(ITestDatabase database) : ProviderTestBase(database)
{
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measured = new();
    private MeterListener? _listener;

    protected PosSimulatorServer Pos { get; } = new();

    /// <summary>Whether the dispatcher runs (off: queued orders wait, for the queue gauges).</summary>
    protected virtual bool Dispatching => true;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Dispatcher:Enabled"] = Dispatching ? "true" : "false",
        ["Dispatcher:PollInterval"] = "00:00:00.200",
        ["Dispatcher:DrainTimeout"] = "00:00:05",
        ["Poster:BaseUrlTemplate"] = Pos.PosterBaseUrlTemplate,
        ["PosterApp:ApplicationSecret"] = PosSimulatorServer.PosterAppSecret,
        ["Pos:Resilience:AttemptTimeout"] = "00:00:10",
        ["Pos:Resilience:MinimumThroughput"] = "2",
        ["Pos:Resilience:FailureRatio"] = "0.5",
        ["Pos:Resilience:BreakDuration"] = "00:05:00",
    };

    public override async Task InitializeAsync()
    {
        await Pos.StartAsync();
        await base.InitializeAsync();
        var meter = Factory.Services.GetRequiredService<OrderHubMetrics>().Meter;
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public override async Task DisposeAsync()
    {
        _listener?.Dispose();
        await base.DisposeAsync();
        await Pos.DisposeAsync();
    }

    protected TestTenant PosterTenant() => new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken);

    /// <summary>The delivery fixture as another order (its own id and number).</summary>
    protected static JsonObject Order(string number)
    {
        var body = JsonNode.Parse(Fixtures.Read(Fixtures.AcceptedDelivery))!.AsObject();
        body["eventId"] = "evt_" + Guid.NewGuid().ToString("N");
        body["order"]!["id"] = Guid.NewGuid().ToString();
        body["order"]!["number"] = number;
        return body;
    }

    protected async Task<Guid> AcceptAsync(TestTenant tenant, JsonObject body)
    {
        var receipt = await (await tenant.Sender(Factory).SendAsync(body)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        return receipt.OrderId!.Value;
    }

    protected double Sum(string instrument, params (string Key, string Value)[] tags) =>
        _measured.Where(m => m.Instrument == instrument && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value))).Sum(m => m.Value);

    protected List<double> Values(string instrument) => _measured.Where(m => m.Instrument == instrument).Select(m => m.Value).ToList();

    protected double? Last(string instrument, params (string Key, string Value)[] tags) =>
        _measured.LastOrDefault(m => m.Instrument == instrument && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value))) is { Instrument: not null } m ? m.Value : null;

    protected void Observe() => _listener!.RecordObservableInstruments();

    protected Task WaitForStateAsync(Guid order, ExportState state) =>
        WaitUntilAsync(() => Factory.WithDbAsync(db => db.Orders.AnyAsync(o => o.Id == order && o.ExportState == state)), $"order {order} to reach {state}");

    protected Task WaitForAttemptAsync(Guid order) =>
        WaitUntilAsync(() => Factory.WithDbAsync(db => db.ExportQueue.AnyAsync(e => e.OrderId == order && e.Attempts >= 1 && e.LeaseOwner == null)), $"the first attempt of {order}");

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measured.Enqueue((instrument.Name, value, copy));
    }
}

public abstract class MetricsTests(ITestDatabase database) : MeterTestBase(database)
{
    [Fact]
    public async Task An_order_through_HTTP_to_Poster_counts_as_received_and_exported_with_its_latency()
    {
        var tenant = await PosterTenant().CreateAsync(Factory);

        var order = await AcceptAsync(tenant, Order("DT-1"));
        await WaitForStateAsync(order, ExportState.Exported);

        Sum("orderhub.orders.received").ShouldBe(1);
        Sum("orderhub.orders.exported", ("pos.kind", "Poster")).ShouldBe(1);
        var latency = Values("orderhub.orders.export_latency").ShouldHaveSingleItem();
        latency.ShouldBeGreaterThanOrEqualTo(0);
        Sum("orderhub.orders.failed").ShouldBe(0);
    }

    [Fact]
    public async Task A_refused_order_counts_as_failed_by_its_reason()
    {
        var tenant = await PosterTenant().CreateAsync(Factory);
        await Pos.FaultsAsync(new FaultSettings { PosterErrorCode = 41, PosterErrorShape = "flat" });

        var order = await AcceptAsync(tenant, Order("DT-2"));
        await WaitForStateAsync(order, ExportState.Failed);

        Sum("orderhub.orders.failed", ("reason", "PosProductNotFound")).ShouldBe(1);
        Sum("orderhub.orders.exported").ShouldBe(0);
    }

    [Fact]
    public async Task A_POS_that_stops_answering_shows_its_circuit_open()
    {
        var tenant = await PosterTenant().CreateAsync(Factory);
        await Pos.FaultsAsync(new FaultSettings { Outage = true });

        var first = await AcceptAsync(tenant, Order("DT-3"));
        var second = await AcceptAsync(tenant, Order("DT-4"));
        await WaitForAttemptAsync(first);
        await WaitForAttemptAsync(second);

        Observe();
        var integration = await Factory.WithDbAsync(db => db.PosIntegrations.Where(i => i.PickupPointId == tenant.KyivPointId).Select(i => i.Id).SingleAsync());
        Last("orderhub.pos.circuit_state", ("pos.integration", "poster:" + integration.ToString("N"))).ShouldBe(1);
        Sum("orderhub.orders.exported").ShouldBe(0);
    }
}

public sealed class SqliteMetricsTests() : MetricsTests(new SqliteTestDatabase());

public sealed class PostgresMetricsTests() : MetricsTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerMetricsTests() : MetricsTests(new SqlServerTestDatabase());

/// <summary>The queue gauges, with the dispatcher off so a queued order waits while the test clock moves.</summary>
public abstract class QueueMetricsTests(ITestDatabase database) : MeterTestBase(database)
{
    protected override bool Dispatching => false;

    [Fact]
    public async Task The_queue_gauges_show_a_waiting_order_and_how_long_it_has_been_due()
    {
        var tenant = await PosterTenant().CreateAsync(Factory);
        await AcceptAsync(tenant, Order("DT-5"));
        Factory.Clock.Advance(TimeSpan.FromSeconds(90));

        await Factory.Services.GetRequiredService<QueueMetricsSampler>().RefreshAsync(CancellationToken.None);
        Observe();

        Last("orderhub.queue.depth", ("queue", "export")).ShouldBe(1);
        Last("orderhub.queue.oldest_due_age", ("queue", "export"))!.Value.ShouldBe(90, tolerance: 1);
        Last("orderhub.queue.depth", ("queue", "inbox")).ShouldBe(0, "the order's event was applied, so nothing waits in the inbox");
        Last("orderhub.queue.depth", ("queue", "fiscal")).ShouldBe(0);
        Last("orderhub.queue.depth", ("queue", "alert")).ShouldNotBeNull();
    }
}

public sealed class SqliteQueueMetricsTests() : QueueMetricsTests(new SqliteTestDatabase());

public sealed class PostgresQueueMetricsTests() : QueueMetricsTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerQueueMetricsTests() : QueueMetricsTests(new SqlServerTestDatabase());
