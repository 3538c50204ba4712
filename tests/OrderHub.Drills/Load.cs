using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Drills;

public sealed record DrillPoint(Guid Id, string DotsAddressId, string Kind, string PosTarget);

/// <summary>A company made through the configuration API, with pickup points on the simulated POS, auto-sync on.</summary>
public sealed class DrillTenant
{
    public const string ProductDotsId = "dots-prod-drill-pizza";

    /// <summary>The drill's tenant has no Dots menu (coverage unknown), so auto-sync goes on with this reason.</summary>
    private const string DrillOverride = "drill: no Dots menu, the simulated POS takes every item";

    public string Key { get; } = "drill-" + Guid.NewGuid().ToString("N")[..8];

    public string DotsCompanyId { get; } = Guid.NewGuid().ToString();

    public string Secret { get; private set; } = "";

    public List<DrillPoint> Points { get; } = [];

    /// <summary>
    /// <paramref name="posterPoints"/> on simulated Poster, two per account (spots 1 and 2 of <c>drill-1</c>, then of
    /// <c>drill-2</c>, …), and <paramref name="webhookPoints"/> on the webhook POS (one path each).
    /// </summary>
    public static async Task<DrillTenant> CreateAsync(Cluster cluster, HttpClient api, int posterPoints, int webhookPoints)
    {
        var tenant = new DrillTenant();
        var city = await PostAsync(api, "api/cities", new { dotsCityId = "kyiv-" + tenant.Key, name = "Київ" });
        var company = await PostAsync(api, "api/companies", new { cityId = city.GetProperty("id").GetGuid(), dotsCompanyId = tenant.DotsCompanyId, key = tenant.Key, name = "Drill Pizza" });
        tenant.Secret = company.GetProperty("signingSecret").GetString()!;
        var companyId = company.GetProperty("id").GetGuid();
        await SendAsync(api, HttpMethod.Put, $"api/companies/{companyId}/external-ids", new
        {
            items = new[] { new { kind = "Product", dotsId = ProductDotsId, externalId = "101", name = "Pizza" } },
        });

        for (var i = 0; i < posterPoints + webhookPoints; i++)
        {
            var poster = i < posterPoints;
            var address = $"drill-point-{i + 1}";
            var point = await PostAsync(api, $"api/companies/{companyId}/pickup-points", new { dotsAddressId = address, name = $"Point {i + 1}" });
            var pointId = point.GetProperty("id").GetGuid();
            var path = $"point-{i + 1}";
            var account = i / 2 % Cluster.PosterAccounts;
            object integration = poster
                ? new { kind = "Poster", enabled = true, autoSyncOnAcceptance = true, autoSyncOverrideReason = DrillOverride, posterAccount = Cluster.PosterAccount(account), posterSpotId = (i % 2) + 1, token = Cluster.PosterToken(account) }
                : new { kind = "Webhook", enabled = true, autoSyncOnAcceptance = true, autoSyncOverrideReason = DrillOverride, webhookUrl = $"{cluster.Simulators.BaseUrl}/pos/{path}", secret = cluster.WebhookSecret };
            await SendAsync(api, HttpMethod.Put, $"api/pickup-points/{pointId}/pos-integration", integration);
            tenant.Points.Add(new DrillPoint(pointId, address, poster ? "Poster" : "Webhook", poster ? "poster/" + Cluster.PosterAccount(account) : "pos/" + path));
        }

        return tenant;
    }

    private static async Task<JsonElement> PostAsync(HttpClient api, string path, object body) => await SendAsync(api, HttpMethod.Post, path, body);

    private static async Task<JsonElement> SendAsync(HttpClient api, HttpMethod method, string path, object body)
    {
        using var response = await api.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}

/// <summary>One order the drill sends: its number (the POS marker is <c>[Dots #number]</c>) and point.</summary>
public sealed record DrillOrder(int Index, string Number, DrillPoint Point, string EventId, string Body);

/// <summary>
/// Plays Dots: signed <c>order.accepted</c> events at a steady, bounded rate, spread over the instances. A copy
/// that meets a dead instance (connection refused, reset) or a 5xx is sent again, with the same webhook-id, to
/// the next instance, as Dots retries.
/// </summary>
public sealed class DotsLoad(DrillTenant tenant, IReadOnlyList<Func<string?>> instanceUrls, string run)
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    private int _accepted;
    private int _refused;
    private int _retries;

    public int Accepted => _accepted;

    public int Refused => _refused;

    public int Retries => _retries;

    public List<DrillOrder> Orders(int count)
    {
        var orders = new List<DrillOrder>(count);
        for (var i = 0; i < count; i++)
        {
            var point = tenant.Points[i % tenant.Points.Count];
            var number = $"{run}-{i + 1:D6}";
            var eventId = "evt_" + Guid.NewGuid().ToString("N");
            var body = new JsonObject
            {
                ["version"] = "1",
                ["eventId"] = eventId,
                ["event"] = "order.accepted",
                ["occurredAt"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                ["order"] = new JsonObject
                {
                    ["id"] = Guid.NewGuid().ToString(),
                    ["number"] = number,
                    ["cityId"] = "kyiv",
                    ["companyId"] = tenant.DotsCompanyId,
                    ["companyAddressId"] = point.DotsAddressId,
                    ["status"] = "accepted",
                    ["acceptedBy"] = "cashier:drill",
                    ["deliveryType"] = "pickup",
                    ["paymentType"] = "cash",
                    ["paid"] = false,
                    ["deliveryTime"] = null,
                    ["customer"] = new JsonObject { ["name"] = "Drill", ["phone"] = "+380931234500", ["email"] = null },
                    ["address"] = null,
                    ["items"] = new JsonArray(new JsonObject
                    {
                        ["productId"] = DrillTenant.ProductDotsId, ["name"] = "Pizza", ["quantity"] = 1, ["price"] = 189.00m, ["modifiers"] = new JsonArray(),
                    }),
                    ["promotions"] = new JsonArray(),
                    ["deliveryPrice"] = 0.00m,
                    ["total"] = 189.00m,
                    ["currency"] = "UAH",
                    ["persons"] = 1,
                    ["comment"] = null,
                },
            };
            orders.Add(new DrillOrder(i, number, point, eventId, body.ToJsonString()));
        }

        return orders;
    }

    /// <summary>
    /// Sends every order <paramref name="copies"/> times (the copies at once, over the instances) at
    /// <paramref name="perSecond"/> orders a second with at most <paramref name="inFlight"/> orders in flight.
    /// <paramref name="onSent"/> sees the count of orders done.
    /// </summary>
    public async Task SendAsync(IReadOnlyList<DrillOrder> orders, int copies, double perSecond, int inFlight, CancellationToken cancellationToken, Action<int>? onSent = null)
    {
        using var slots = new SemaphoreSlim(inFlight, inFlight);
        var clock = Stopwatch.StartNew();
        var done = 0;
        var tasks = new List<Task>(orders.Count);
        foreach (var order in orders)
        {
            var due = TimeSpan.FromSeconds(order.Index / perSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, cancellationToken);
            }

            await slots.WaitAsync(cancellationToken);
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    var results = await Task.WhenAll(Enumerable.Range(0, copies).Select(copy => SendOneAsync(order, order.Index + copy, cancellationToken)));
                    if (results.Any(r => r))
                    {
                        Interlocked.Increment(ref _accepted);
                    }
                    else
                    {
                        Interlocked.Increment(ref _refused);
                    }

                    onSent?.Invoke(Interlocked.Increment(ref done));
                }
                finally
                {
                    slots.Release();
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(tasks);
    }

    private async Task<bool> SendOneAsync(DrillOrder order, int start, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(order.Body);
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var url = instanceUrls[(start + attempt) % instanceUrls.Count]();
            if (url is null)
            {
                await Task.Delay(100, cancellationToken);
                continue;
            }

            var at = DateTimeOffset.UtcNow;
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/webhooks/dots/{tenant.Key}") { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add(StandardWebhookSignature.IdHeader, order.EventId);
            request.Headers.Add(StandardWebhookSignature.TimestampHeader, at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(StandardWebhookSignature.SignatureHeader, StandardWebhookSignature.Sign(tenant.Secret, order.EventId, at, bytes));
            try
            {
                using var response = await Http.SendAsync(request, cancellationToken);
                if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
                {
                    return true;
                }

                if ((int)response.StatusCode < 500)
                {
                    throw new InvalidOperationException($"order {order.Number} refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // The instance died under the request, or is restarting: Dots sends again.
            }

            Interlocked.Increment(ref _retries);
            await Task.Delay(100 * Math.Min(attempt + 1, 10), cancellationToken);
        }

        return false;
    }
}
