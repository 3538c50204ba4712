using Microsoft.AspNetCore.Http;

namespace OrderHub.Simulators;

internal static class SimulatorFaults
{
    public static bool Hit(double rate) => rate >= 1 || (rate > 0 && Random.Shared.NextDouble() < rate);

    /// <summary>Latency, outage, 429 and 5xx: a result to answer instead, or null to go on.</summary>
    public static async Task<IResult?> BeforeAsync(HttpContext http, PosSimulator simulator, string target, FaultSettings faults)
    {
        if (faults.LatencyMs > 0)
        {
            await Task.Delay(faults.LatencyMs, http.RequestAborted);
        }

        if (faults.Outage)
        {
            simulator.CountFault(target);
            if (string.Equals(faults.OutageMode, "drop", StringComparison.OrdinalIgnoreCase))
            {
                http.Abort();
                return Results.Empty;
            }

            return Results.Text("Service Unavailable (simulated outage)", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (Hit(faults.TooManyRequestsRate))
        {
            simulator.CountFault(target);
            http.Response.Headers.RetryAfter = faults.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Text("Too Many Requests (simulated)", statusCode: StatusCodes.Status429TooManyRequests);
        }

        if (Hit(faults.ErrorRate))
        {
            simulator.CountFault(target);
            return Results.Text("Internal Server Error (simulated)", statusCode: StatusCodes.Status500InternalServerError);
        }

        return null;
    }

    /// <summary>Accept-then-time-out: the order is stored; the answer comes after the client gave up.</summary>
    public static async Task<bool> DelayAnswerAsync(HttpContext http, PosSimulator simulator, string target, FaultSettings faults)
    {
        if (!Hit(faults.AcceptThenTimeoutRate))
        {
            return false;
        }

        simulator.CountFault(target);
        try
        {
            await Task.Delay(faults.TimeoutDelayMs, http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return true;
        }

        return false;
    }
}
