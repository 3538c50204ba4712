using System.Security.Cryptography;
using System.Text;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Integrations.WebhookPos;

/// <summary>
/// The credential of a webhook POS integration's catch-up feed (docs/pos-webhook.md): derived from the
/// integration's own <c>whsec_</c> signing secret, so the receiver computes it itself and nothing new is stored or
/// shown. <c>ohfeed_{integrationId:N}_{base64url(HMAC-SHA256(secret key bytes, "pos-feed." + integrationId:N))}</c>,
/// sent as <c>Authorization: Bearer …</c>. Naming the integration lets a token of another integration be told
/// apart (403) from a wrong one (401); rotating the secret rotates the token.
/// </summary>
public static class PosFeedToken
{
    public const string Prefix = "ohfeed_";

    /// <summary>The feed token of integration <paramref name="integrationId"/> whose secret is <paramref name="secret"/>.</summary>
    public static string Derive(string secret, Guid integrationId) =>
        $"{Prefix}{integrationId:N}_{Base64Url(Mac(secret, integrationId))}";

    /// <summary>The integration a token names, or null when it is not a feed token at all.</summary>
    public static Guid? IntegrationOf(string? token)
    {
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length < Prefix.Length + 33 || token[Prefix.Length + 32] != '_')
        {
            return null;
        }

        return Guid.TryParseExact(token.AsSpan(Prefix.Length, 32), "N", out var id) ? id : null;
    }

    /// <summary>Whether <paramref name="token"/> is the feed token of <paramref name="integrationId"/> under <paramref name="secret"/>, in constant time.</summary>
    public static bool Verify(string secret, Guid integrationId, string token)
    {
        if (!StandardWebhookSignature.IsValidSecret(secret))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Derive(secret, integrationId));
        var given = Encoding.ASCII.GetBytes(token);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static byte[] Mac(string secret, Guid integrationId)
    {
        if (!secret.StartsWith(StandardWebhookSignature.SecretPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException("The secret must be a whsec_ secret.", nameof(secret));
        }

        var key = Convert.FromBase64String(secret[StandardWebhookSignature.SecretPrefix.Length..]);
        return HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"pos-feed.{integrationId:N}"));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
