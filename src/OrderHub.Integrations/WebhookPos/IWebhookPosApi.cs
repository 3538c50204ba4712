using OrderHub.Integrations.Webhooks;
using Refit;

namespace OrderHub.Integrations.WebhookPos;

/// <summary>
/// A webhook POS (docs/pos-webhook.md): signed <c>pos-order v1</c> messages POSTed to the integration's URL.
/// Each integration has its own URL and secret, both request options: <see cref="WebhookSigningHandler"/> sends
/// the request to <paramref name="url"/> and signs the exact body bytes with <paramref name="secret"/>.
/// The body is the message as <see cref="WebhookPosClient"/> serialized it once (the same bytes it keeps for the
/// catch-up feed and the history's excerpt), sent as is. The raw response is returned: its status decides the outcome.
/// </summary>
public interface IWebhookPosApi
{
    [Post("/")]
    Task<HttpResponseMessage> SendOrderAsync(
        [Property(WebhookSigningHandler.UrlKey)] string url, [Property(WebhookSigningHandler.SecretKey)] string secret,
        [Property(WebhookSigningHandler.CircuitKey)] string circuit,
        [Header(StandardWebhookSignature.IdHeader)] string messageId, [Header(StandardWebhookSignature.TimestampHeader)] string timestamp,
        [Body] HttpContent body, CancellationToken cancellationToken);

    [Post("/")]
    Task<HttpResponseMessage> SendCancellationAsync(
        [Property(WebhookSigningHandler.UrlKey)] string url, [Property(WebhookSigningHandler.SecretKey)] string secret,
        [Property(WebhookSigningHandler.CircuitKey)] string circuit,
        [Header(StandardWebhookSignature.IdHeader)] string messageId, [Header(StandardWebhookSignature.TimestampHeader)] string timestamp,
        [Body] HttpContent body, CancellationToken cancellationToken);

    [Post("/")]
    Task<HttpResponseMessage> PingAsync(
        [Property(WebhookSigningHandler.UrlKey)] string url, [Property(WebhookSigningHandler.SecretKey)] string secret,
        [Property(WebhookSigningHandler.CircuitKey)] string circuit,
        [Header(StandardWebhookSignature.IdHeader)] string messageId, [Header(StandardWebhookSignature.TimestampHeader)] string timestamp,
        [Body] HttpContent body, CancellationToken cancellationToken);
}
