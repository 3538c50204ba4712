using System.Diagnostics;
using System.Net;

namespace OrderHub.GrowthBench;

/// <summary>Sequential GETs after a warm-up; percentiles over the measured ones. Non-200 answers are counted.</summary>
public static class Latency
{
    public sealed record Result(int Count, int Errors, double P50, double P95, double P99, string? FirstError);

    public static async Task<Result> MeasureAsync(Uri baseAddress, string apiKey, Func<int, string> url, int warmUp, int requests)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        var times = new List<double>(requests);
        var errors = 0;
        string? firstError = null;
        for (var i = 0; i < warmUp + requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(url(i), HttpCompletionOption.ResponseContentRead);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                errors++;
                firstError ??= $"{url(i)} → {(int)response.StatusCode}";
            }

            if (i >= warmUp)
            {
                times.Add(elapsed);
            }
        }

        times.Sort();
        return new Result(times.Count, errors, Percentile(times, 0.50), Percentile(times, 0.95), Percentile(times, 0.99), firstError);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
