using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>Plays Dots: signs events per Standard Webhooks and posts them to OrderHub's webhook endpoint.</summary>
public sealed class DotsSender(HttpClient client, string companyKey, string secret, TimeProvider clock)
{
    public string CompanyKey => companyKey;

    public Task<HttpResponseMessage> SendAsync(JsonObject body, string? webhookId = null) =>
        SendRawAsync(body.ToJsonString(), webhookId ?? body["eventId"]!.GetValue<string>());

    public Task<HttpResponseMessage> SendFixtureAsync(string fixture) =>
        SendRawAsync(Fixtures.Read(fixture), Fixtures.Json(fixture)["eventId"]!.GetValue<string>());

    public Task<HttpResponseMessage> SendRawAsync(string body, string webhookId, DateTimeOffset? timestamp = null, string? signingSecret = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var at = timestamp ?? clock.GetUtcNow();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/dots/{companyKey}")
        {
            Content = new ByteArrayContent(bytes),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(StandardWebhookSignature.IdHeader, webhookId);
        request.Headers.Add(StandardWebhookSignature.TimestampHeader, at.ToUnixTimeSeconds().ToString());
        request.Headers.Add(StandardWebhookSignature.SignatureHeader, StandardWebhookSignature.Sign(signingSecret ?? secret, webhookId, at, bytes));
        return client.SendAsync(request);
    }
}
