using System.Globalization;
using OrderHub.Integrations.Resilience;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Integrations.WebhookPos;

/// <summary>
/// Sends a webhook POS request to its integration's URL (<see cref="UrlKey"/>) and signs it per Standard Webhooks
/// (<c>webhook-signature</c> over <c>{webhook-id}.{webhook-timestamp}.{body}</c>) with the secret in
/// <see cref="SecretKey"/>. The body is read once and sent as those same bytes, with a Content-Length, so the
/// signature covers exactly what goes out. The secret leaves the request's options before it is sent on.
/// </summary>
public sealed class WebhookSigningHandler : DelegatingHandler
{
    public const string UrlKey = "OrderHub.WebhookUrl";
    public const string SecretKey = "OrderHub.WebhookSecret";

    /// <summary>The name of <see cref="PosResilience.CircuitKey"/>, for Refit's <c>[Property]</c>.</summary>
    public const string CircuitKey = PosResilience.CircuitKeyName;

    /// <summary>The placeholder base address of the webhook POS client: every request names its own URL.</summary>
    public static readonly Uri Placeholder = new("http://webhook-pos.invalid/");

    private static readonly HttpRequestOptionsKey<string> Url = new(UrlKey);
    private static readonly HttpRequestOptionsKey<string> Secret = new(SecretKey);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(Url, out var url) || !request.Options.TryGetValue(Secret, out var secret))
        {
            throw new InvalidOperationException("A webhook POS request without its URL or secret.");
        }

        ((IDictionary<string, object?>)request.Options).Remove(SecretKey);
        var id = request.Headers.GetValues(StandardWebhookSignature.IdHeader).Single();
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(long.Parse(
            request.Headers.GetValues(StandardWebhookSignature.TimestampHeader).Single(), NumberStyles.None, CultureInfo.InvariantCulture));

        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var content = new ByteArrayContent(body);
        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers.Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            request.Content.Dispose();
        }

        request.Content = content;
        request.RequestUri = new Uri(url, UriKind.Absolute);
        request.Headers.Remove(StandardWebhookSignature.SignatureHeader);
        request.Headers.Add(StandardWebhookSignature.SignatureHeader, StandardWebhookSignature.Sign(secret, id, timestamp, body));
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
