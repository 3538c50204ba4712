namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>
/// Waits for the event that shows the work ran: polls a condition until it holds, or fails naming what it waited
/// for. Import with <c>using static</c>. The patience is generous (as in <see cref="FiscalTestBase"/>): the wait ends
/// as soon as the condition holds, and four test classes share two cores, with PostgreSQL and a browser beside them.
/// </summary>
public static class Eventually
{
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int timeoutMs = 60_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }
}
