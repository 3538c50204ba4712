using System.Net.Http.Headers;
using System.Text;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Benchmarks.Load;

/// <summary>
/// Signed <c>order.accepted</c> events made from the delivery sample, each with its own order id, event id
/// (= webhook-id) and order number, so every one is a new order to OrderHub.
/// </summary>
public sealed class DotsEventFactory(string signingSecret, string companyKey)
{
    private const string SampleEventId = "evt_01JD8ZK4Q3V7T2M5N6P8R9S0AB";
    private const string SampleOrderId = "5d0f6c1e-8a3b-4f7e-9c21-3b6a1d2e4f50";
    private const string SampleNumber = "DT-104233";

    private readonly string _template = LoadTemplate();

    public string Path => $"/webhooks/dots/{companyKey}";

    /// <summary>The event for order number <paramref name="number"/>, as bytes, with its event id.</summary>
    public (byte[] Body, string EventId) Build(string number)
    {
        var eventId = "evt_" + Guid.NewGuid().ToString("N");
        var body = _template
            .Replace(SampleEventId, eventId, StringComparison.Ordinal)
            .Replace(SampleOrderId, Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace(SampleNumber, number, StringComparison.Ordinal);
        return (Encoding.UTF8.GetBytes(body), eventId);
    }

    /// <summary>A signed POST of <paramref name="body"/> to <paramref name="path"/>, signed now.</summary>
    public HttpRequestMessage Request(string path, byte[] body, string eventId)
    {
        var now = DateTimeOffset.UtcNow;
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(StandardWebhookSignature.IdHeader, eventId);
        request.Headers.Add(StandardWebhookSignature.TimestampHeader, now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(StandardWebhookSignature.SignatureHeader, StandardWebhookSignature.Sign(signingSecret, eventId, now, body));
        return request;
    }

    private static string LoadTemplate()
    {
        var template = File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "dots", "order-accepted-delivery.json"));
        foreach (var sample in new[] { SampleEventId, SampleOrderId, SampleNumber })
        {
            if (template.Split(sample).Length != 2)
            {
                throw new InvalidOperationException($"The delivery sample should hold '{sample}' exactly once; the fixture changed.");
            }
        }

        return template;
    }
}
