using Microsoft.Extensions.DependencyInjection;
using OrderHub.Domain.Orders;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.Simulators;
using static OrderHub.FunctionalTests.Infrastructure.Eventually;

namespace OrderHub.FunctionalTests.Export;

/// <summary>
/// A POS that stores the order but answers after OrderHub gave up on the call: the attempt is unclear, and the
/// retry looks the order up instead of sending it again. The only export test that wants the call cut off short.
/// </summary>
public abstract class UnclearExportAttemptTests(ITestDatabase database) : ExportTestBase(database)
{
    protected override TimeSpan AttemptTimeout => TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Accept_then_time_out_is_looked_up_before_sending_again_and_makes_no_duplicate()
    {
        var tenant = await PosterTenant().CreateAsync(Factory);
        await Pos.FaultsAsync(new FaultSettings { AcceptThenTimeoutRate = 1, TimeoutDelayMs = 3000 });

        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        var first = await WaitForAttemptsAsync(order, 1);
        (first.NextAttemptAt - first.LastAttemptAt!.Value).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(60));
        first.MayHaveReachedPos.ShouldBeTrue("an unclear attempt may have created the order: the next one looks it up");
        first.FirstAttemptAt.ShouldNotBeNull("the lookup lists Poster's orders from the first attempt on");
        // On a loaded run the simulator may store the order only after OrderHub's attempt timeout gave up on it.
        await WaitUntilAsync(() => Task.FromResult(Pos.Orders(PosterTarget).Count == 1), "the order at Poster");

        await Pos.ClearFaultsAsync();
        Factory.Clock.Advance(TimeSpan.FromSeconds(61));
        Wake();
        await WaitForStateAsync(order, ExportState.Exported);

        Pos.Orders(PosterTarget).Count.ShouldBe(1);
        var details = await GetOrderAsync(order);
        details.PosOrderId.ShouldBe(Pos.Orders(PosterTarget)[0].PosOrderId);
        details.History.Last(h => h.Action == "export.attempt").Message.ShouldContain("not sent again");
        (await EntryAsync(order)).FirstAttemptAt.ShouldBe(first.FirstAttemptAt, "a retry keeps where the lookup window starts");
    }
}

public sealed class SqliteUnclearExportAttemptTests() : UnclearExportAttemptTests(new SqliteTestDatabase());

public sealed class PostgresUnclearExportAttemptTests() : UnclearExportAttemptTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerUnclearExportAttemptTests() : UnclearExportAttemptTests(new SqlServerTestDatabase());
