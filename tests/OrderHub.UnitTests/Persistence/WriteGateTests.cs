using OrderHub.Api.Persistence;

namespace OrderHub.UnitTests.Persistence;

public sealed class WriteGateTests
{
    [Fact]
    public async Task One_writer_at_a_time_background_writers_first_then_requests_in_arrival_order()
    {
        var gate = new WriteGate(enabled: true);
        var order = new List<string>();
        var first = await gate.EnterAsync();

        var request1 = Take("request 1");
        var request2 = Take("request 2");
        var background = Take("background", background: true);
        await Task.Delay(50);
        order.ShouldBeEmpty();

        first.Dispose();
        await Task.WhenAll(request1, request2, background);
        order.ShouldBe(["background", "request 1", "request 2"]);

        async Task Take(string name, bool background = false)
        {
            using var turn = await gate.EnterAsync(background ? WriteLane.Background : WriteLane.Request);
            lock (order)
            {
                order.Add(name);
            }

            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task The_intake_goes_first_while_nobody_else_has_waited_long()
    {
        var gate = new WriteGate(enabled: true, maxDefer: TimeSpan.FromSeconds(10));
        var order = new List<string>();
        var first = await gate.EnterAsync();

        var request = Take(gate, order, "request", WriteLane.Request);
        var background = Take(gate, order, "background", WriteLane.Background);
        var intake1 = Take(gate, order, "intake 1", WriteLane.Intake);
        var intake2 = Take(gate, order, "intake 2", WriteLane.Intake);

        first.Dispose();
        await Task.WhenAll(request, background, intake1, intake2);
        order.ShouldBe(["intake 1", "intake 2", "background", "request"]);
    }

    [Fact]
    public async Task A_writer_kept_back_longer_than_the_bound_goes_before_the_intake()
    {
        var gate = new WriteGate(enabled: true, maxDefer: TimeSpan.FromMilliseconds(20));
        var order = new List<string>();
        var first = await gate.EnterAsync();

        var background = Take(gate, order, "background", WriteLane.Background);
        await Task.Delay(60);
        var intake = Take(gate, order, "intake", WriteLane.Intake);

        first.Dispose();
        await Task.WhenAll(background, intake);
        order.ShouldBe(["background", "intake"]);
    }

    private static async Task Take(WriteGate gate, List<string> order, string name, WriteLane lane)
    {
        using var turn = await gate.EnterAsync(lane);
        lock (order)
        {
            order.Add(name);
        }

        await Task.Delay(5);
    }

    [Fact]
    public async Task A_writer_that_waited_too_long_goes_on_without_a_turn_and_the_gate_still_works()
    {
        var gate = new WriteGate(enabled: true, timeout: TimeSpan.FromMilliseconds(100));
        var held = await gate.EnterAsync();

        var late = await gate.EnterAsync();
        late.Dispose(); // No turn was given: releasing it must not free the gate for a third writer.
        var third = gate.EnterAsync().AsTask();
        await Task.Delay(30);
        third.IsCompleted.ShouldBeFalse();

        held.Dispose();
        using (await third)
        {
        }

        using var again = await gate.EnterAsync();
    }

    [Fact]
    public async Task Cancelling_a_wait_withdraws_it()
    {
        var gate = new WriteGate(enabled: true);
        var held = await gate.EnterAsync();
        using var cancel = new CancellationTokenSource(50);

        await Should.ThrowAsync<OperationCanceledException>(gate.EnterAsync(cancellationToken: cancel.Token).AsTask());

        held.Dispose();
        using var next = await gate.EnterAsync();
    }

    [Fact]
    public async Task The_gate_counts_its_turns_and_the_time_they_held_it_including_a_handed_over_one_and_the_current_one()
    {
        var gate = new WriteGate(enabled: true);
        gate.Held().ShouldBe(new WriteGateUse(TimeSpan.Zero, 0));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var first = await gate.EnterAsync();
        var second = gate.EnterAsync().AsTask();
        await Task.Delay(60);
        first.Dispose();
        var handedOver = await second;
        await Task.Delay(60);

        // The second turn is still held: counted up to now.
        var during = gate.Held();
        during.Turns.ShouldBe(2);
        during.Held.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(110));
        during.Held.ShouldBeLessThanOrEqualTo(clock.Elapsed);

        handedOver.Dispose();
        var after = gate.Held();
        var wall = clock.Elapsed;
        after.Turns.ShouldBe(2);
        after.Held.ShouldBeGreaterThanOrEqualTo(during.Held);
        after.Held.ShouldBeLessThanOrEqualTo(wall);

        // Released: nothing more is counted while nobody holds it; a writer that gave up waiting is no turn.
        await Task.Delay(40);
        gate.Held().ShouldBe(after);
        (gate.Held() - after).ShouldBe(new WriteGateUse(TimeSpan.Zero, 0));
    }

    [Fact]
    public async Task On_linux_the_gate_counts_the_cpu_its_holder_used_on_one_thread()
    {
        var gate = new WriteGate(enabled: true);
        using (await gate.EnterAsync())
        {
            // A fixed amount of work on this thread (tens of milliseconds of CPU), however busy the machine is.
            var sum = 0L;
            for (var i = 0; i < 100_000_000; i++)
            {
                sum += i ^ (sum >> 3);
            }

            sum.ShouldNotBe(42);
        }

        var use = gate.Held();
        if (!OperatingSystem.IsLinux())
        {
            use.CpuTurns.ShouldBe(0);
            return;
        }

        use.CpuTurns.ShouldBe(1);
        use.HeldCpu.ShouldBeGreaterThan(TimeSpan.FromMilliseconds(1));
        use.HeldCpu.ShouldBeLessThanOrEqualTo(use.Held + TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public async Task A_timed_out_writer_is_no_turn()
    {
        var gate = new WriteGate(enabled: true, timeout: TimeSpan.FromMilliseconds(50));
        var held = await gate.EnterAsync();
        using (await gate.EnterAsync())
        {
        }

        held.Dispose();
        gate.Held().Turns.ShouldBe(1);
    }

    [Fact]
    public async Task A_disabled_gate_never_waits()
    {
        var gate = new WriteGate(enabled: false);
        using var a = await gate.EnterAsync();
        using var b = await gate.EnterAsync();
        gate.Enabled.ShouldBeFalse();
        gate.Held().ShouldBe(new WriteGateUse(TimeSpan.Zero, 0));
    }
}
