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
            using var turn = await gate.EnterAsync(background);
            lock (order)
            {
                order.Add(name);
            }

            await Task.Delay(10);
        }
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
    public async Task A_disabled_gate_never_waits()
    {
        var gate = new WriteGate(enabled: false);
        using var a = await gate.EnterAsync();
        using var b = await gate.EnterAsync();
        gate.Enabled.ShouldBeFalse();
    }
}
