using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.GrowthBench;

/// <summary>Plays Dots: signed <c>order.accepted</c> events with unique ids from many connections at once.</summary>
public sealed class Ingest(Uri baseAddress, BenchTenant tenant, string template)
{
    /// <param name="Cpu">CPU time of this process (client and app together; not the PostgreSQL server) during the run.</param>
    public sealed record Result(int Accepted, int Failed, TimeSpan Elapsed, string? FirstError, TimeSpan Cpu)
    {
        public double PerSecond => Accepted / Elapsed.TotalSeconds;

        /// <summary>Milliseconds of this process's CPU per accepted order.</summary>
        public double CpuPerOrder => Accepted == 0 ? double.NaN : Cpu.TotalMilliseconds / Accepted;

        /// <summary>Cores this process kept busy on average (of the machine's <see cref="Environment.ProcessorCount"/>).</summary>
        public double CoresBusy => Cpu / Elapsed;

        public static Result Sum(IReadOnlyList<Result> rounds) =>
            new(rounds.Sum(r => r.Accepted), rounds.Sum(r => r.Failed), TimeSpan.FromTicks(rounds.Sum(r => r.Elapsed.Ticks)),
                rounds.FirstOrDefault(r => r.FirstError is not null)?.FirstError, TimeSpan.FromTicks(rounds.Sum(r => r.Cpu.Ticks)));
    }

    public async Task<Result> RunAsync(int connections, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var accepted = 0;
        var failed = 0;
        string? firstError = null;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var deadline = stopwatch.Elapsed + duration;
        var workers = Enumerable.Range(0, connections).Select(async _ =>
        {
            while (stopwatch.Elapsed < deadline)
            {
                var point = tenant.Points[Random.Shared.Next(tenant.Points.Count)];
                var (body, webhookId) = Body(point.DotsAddressId);
                var bytes = Encoding.UTF8.GetBytes(body);
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/dots/{tenant.Key}") { Content = new ByteArrayContent(bytes) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var at = DateTimeOffset.UtcNow;
                request.Headers.Add(StandardWebhookSignature.IdHeader, webhookId);
                request.Headers.Add(StandardWebhookSignature.TimestampHeader, at.ToUnixTimeSeconds().ToString());
                request.Headers.Add(StandardWebhookSignature.SignatureHeader, StandardWebhookSignature.Sign(tenant.Secret, webhookId, at, bytes));
                try
                {
                    using var response = await client.SendAsync(request);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        Interlocked.Increment(ref accepted);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                        firstError ??= $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failed);
                    firstError ??= exception.Message;
                }
            }
        }).ToList();
        await Task.WhenAll(workers);
        var elapsed = stopwatch.Elapsed;
        return new Result(accepted, failed, elapsed, firstError, Process.GetCurrentProcess().TotalProcessorTime - cpuBefore);
    }

    /// <summary>The delivery sample with a fresh event id, order id and number, at one of the tenant's points.</summary>
    public (string Body, string WebhookId) Body(string dotsAddressId)
    {
        var webhookId = "evt_" + Guid.NewGuid().ToString("N");
        var body = template
            .Replace("evt_01JD8ZK4Q3V7T2M5N6P8R9S0AB", webhookId)
            .Replace("5d0f6c1e-8a3b-4f7e-9c21-3b6a1d2e4f50", Guid.NewGuid().ToString())
            .Replace("DT-104233", "GB-" + Random.Shared.Next(100_000_000))
            .Replace("a7e2d9c4-1b3f-4e6a-8d5c-9f0b1a2c3d4e", dotsAddressId)
            .Replace("2026-11-20T18:42:07+02:00", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssK"));
        return (body, webhookId);
    }
}
