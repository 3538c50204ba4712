namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>
/// Waits for the event that shows the work ran: polls a condition until it holds, or fails naming what it waited
/// for. Import with <c>using static</c>.
/// </summary>
public static class Eventually
{
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int timeoutMs = 20_000)
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
