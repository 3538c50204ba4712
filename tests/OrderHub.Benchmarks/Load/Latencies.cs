namespace OrderHub.Benchmarks.Load;

/// <summary>Percentiles of a set of latencies (nearest rank), in milliseconds.</summary>
public sealed record Latencies(int Count, double P50, double P90, double P99, double Max)
{
    public static Latencies Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.ToArray();
        Array.Sort(sorted);
        if (sorted.Length == 0)
        {
            return new Latencies(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Latencies(sorted.Length, At(0.50), At(0.90), At(0.99), sorted[^1]);
    }
}
