using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrderHub.Api.Features.Inbox;
using OrderHub.Api.Features.Orders;
using OrderHub.Api.Features.Webhooks.ReceiveDotsEvent;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>
/// Plays Dots: signs events per Standard Webhooks and posts them to OrderHub's webhook endpoint. <c>Post…</c>
/// returns the webhook's answer as it comes (the event stored, not yet processed); <c>Send…</c> also waits until
/// the inbox has processed the event, so a test can look at the order next (read the outcome with
/// <see cref="HttpAssertions.ShouldBeProcessedAsync"/>).
/// </summary>
public sealed class DotsSender(HttpClient client, string companyKey, string secret, TimeProvider clock)
{
    private static readonly ConditionalWeakTable<HttpResponseMessage, DotsEventReceipt> Processed = [];

    public string CompanyKey => companyKey;

    public Task<HttpResponseMessage> SendAsync(JsonObject body, string? webhookId = null) =>
        SendRawAsync(body.ToJsonString(), webhookId ?? body["eventId"]!.GetValue<string>());

    public Task<HttpResponseMessage> SendFixtureAsync(string fixture) =>
        SendRawAsync(Fixtures.Read(fixture), Fixtures.Json(fixture)["eventId"]!.GetValue<string>());

    public async Task<HttpResponseMessage> SendRawAsync(string body, string webhookId, DateTimeOffset? timestamp = null, string? signingSecret = null)
    {
        var response = await PostRawAsync(body, webhookId, timestamp, signingSecret);
        if (response.IsSuccessStatusCode)
        {
            Processed.AddOrUpdate(response, await WaitUntilProcessedAsync(response));
        }

        return response;
    }

    public Task<HttpResponseMessage> PostAsync(JsonObject body, string? webhookId = null) =>
        PostRawAsync(body.ToJsonString(), webhookId ?? body["eventId"]!.GetValue<string>());

    public Task<HttpResponseMessage> PostFixtureAsync(string fixture) =>
        PostRawAsync(Fixtures.Read(fixture), Fixtures.Json(fixture)["eventId"]!.GetValue<string>());

    public Task<HttpResponseMessage> PostRawAsync(string body, string webhookId, DateTimeOffset? timestamp = null, string? signingSecret = null)
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

    /// <summary>The inbox event of a webhook answer, as the API shows it now.</summary>
    public async Task<InboxEventDto> InboxEventAsync(HttpResponseMessage response)
    {
        // As text: the buffered body can be read again, by the test after this.
        var answer = JsonSerializer.Deserialize<DotsEventAccepted>(await response.Content.ReadAsStringAsync(), HttpAssertions.Json)
                     ?? throw new InvalidOperationException("The webhook answered without a body.");
        return await GetApiAsync<InboxEventDto>($"/api/inbox/{answer.EventId}");
    }

    /// <summary>Waits (up to 30 s) until the event of a webhook answer has left the Received state; its outcome.</summary>
    public async Task<DotsEventReceipt> WaitUntilProcessedAsync(HttpResponseMessage response)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var inbox = await InboxEventAsync(response);
            if (inbox.State != "Received")
            {
                string? exportState = null;
                if (inbox.OrderId is { } orderId)
                {
                    exportState = (await GetApiAsync<JsonObject>($"/api/orders/{orderId}"))["exportState"]?.GetValue<string>();
                }

                return new DotsEventReceipt(inbox.Outcome ?? inbox.State.ToLowerInvariant(), inbox.InboundEventId ?? Guid.Empty, inbox.OrderId, exportState);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Inbox event {inbox.Id} was not processed within 30 s (attempts {inbox.Attempts}, last error {inbox.LastError}).");
            }

            await Task.Delay(20);
        }
    }

    internal static DotsEventReceipt? ProcessedOf(HttpResponseMessage response) => Processed.TryGetValue(response, out var receipt) ? receipt : null;

    private async Task<T> GetApiAsync<T>(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", OrderHubFactory.ApiKey);
        using var response = await client.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<T>(HttpAssertions.Json))!;
    }
}
