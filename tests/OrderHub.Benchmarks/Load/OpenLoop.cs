using System.Diagnostics;

namespace OrderHub.Benchmarks.Load;

/// <summary>One order of an open-loop run: when it was due, when its answer came, and what it was.</summary>
public sealed class SentOrder(string number, DateTimeOffset dueAt)
{
    public string Number { get; } = number;

    /// <summary>When the schedule said to send it (latency is measured from here: no coordinated omission).</summary>
    public DateTimeOffset DueAt { get; } = dueAt;

    public DateTimeOffset? AnsweredAt { get; set; }

    public string Status { get; set; } = "not sent";
}

/// <param name="IssuingTime">From the first send to the last one issued.</param>
/// <param name="AnsweredTime">From the first send to the last answer.</param>
public sealed record OpenLoopResult(TimeSpan IssuingTime, TimeSpan AnsweredTime, IReadOnlyList<SentOrder> Orders)
{
    /// <summary>Requests issued per second, against the schedule's rate.</summary>
    public double IssuedRate => Orders.Count / IssuingTime.TotalSeconds;

    /// <summary>Answers per second until the last answer.</summary>
    public double AnsweredRate => Orders.Count(o => o.AnsweredAt is not null) / AnsweredTime.TotalSeconds;
}

/// <summary>
/// Sends at a fixed rate by the clock, never waiting for earlier answers: a slow server makes requests pile up
/// instead of slowing the arrivals, as real traffic would.
/// </summary>
public static class OpenLoop
{
    public static async Task<OpenLoopResult> RunAsync(HttpClient client, int rate, TimeSpan duration, Func<long, string> numberOf, Func<string, HttpRequestMessage> requestFor)
    {
        var total = (int)Math.Round(rate * duration.TotalSeconds);
        var orders = new SentOrder[total];
        var inFlight = new List<Task>(total);
        var start = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var next = 0;
        while (next < total)
        {
            var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * rate) + 1);
            for (; next < due; next++)
            {
                var order = orders[next] = new SentOrder(numberOf(next), start + TimeSpan.FromSeconds((double)next / rate));
                inFlight.Add(SendAsync(client, order, requestFor));
            }

            await Task.Delay(1);
        }

        var issuing = clock.Elapsed;
        await Task.WhenAll(inFlight);
        return new OpenLoopResult(issuing, clock.Elapsed, orders);
    }

    private static async Task SendAsync(HttpClient client, SentOrder order, Func<string, HttpRequestMessage> requestFor)
    {
        await Task.Yield();
        try
        {
            using var request = requestFor(order.Number);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            order.Status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
        {
            order.Status = exception.GetType().Name;
        }

        order.AnsweredAt = DateTimeOffset.UtcNow;
    }
}
