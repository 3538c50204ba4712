using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrderHub.Integrations.Webhooks;

/// <summary>Why a Standard Webhooks signature was refused.</summary>
public enum SignatureFailure
{
    None,
    MissingHeaders,
    BadTimestamp,
    TimestampOutOfTolerance,
    NoMatchingSignature,
}

/// <summary>
/// Standard Webhooks v1: HMAC-SHA256 over <c>{id}.{timestamp}.{raw body}</c>, base64, sent as <c>v1,&lt;sig&gt;</c>.
/// The secret is <c>whsec_</c> + base64 of the key bytes.
/// </summary>
public static class StandardWebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string SecretPrefix = "whsec_";

    /// <summary>How far a timestamp may be from now, either way.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>A new secret: <c>whsec_</c> + base64 of 32 random bytes.</summary>
    public static string GenerateSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Whether <paramref name="secret"/> is <c>whsec_</c> + base64 of 24 to 64 bytes.</summary>
    public static bool IsValidSecret(string? secret) => TryDecodeSecret(secret, out _);

    /// <summary>The <c>webhook-signature</c> header value for one message.</summary>
    public static string Sign(string secret, string messageId, DateTimeOffset timestamp, ReadOnlySpan<byte> body)
    {
        if (!TryDecodeSecret(secret, out var key))
        {
            throw new ArgumentException("The secret must be whsec_ followed by base64 of 24 to 64 bytes.", nameof(secret));
        }

        return "v1," + Convert.ToBase64String(Compute(key, messageId, timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), body));
    }

    /// <summary>
    /// Verifies the headers against the raw body with any of <paramref name="secrets"/> (rotation keeps two
    /// alive), in constant time per candidate.
    /// </summary>
    public static SignatureFailure Verify(
        IEnumerable<string> secrets,
        string? messageId,
        string? timestampHeader,
        string? signatureHeader,
        ReadOnlySpan<byte> body,
        DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(messageId) || string.IsNullOrEmpty(timestampHeader) || string.IsNullOrEmpty(signatureHeader))
        {
            return SignatureFailure.MissingHeaders;
        }

        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return SignatureFailure.BadTimestamp;
        }

        var timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((now - timestamp).Duration() > Tolerance)
        {
            return SignatureFailure.TimestampOutOfTolerance;
        }

        Span<byte> candidate = stackalloc byte[64];
        foreach (var secret in secrets)
        {
            if (!TryDecodeSecret(secret, out var key))
            {
                continue;
            }

            var expected = Compute(key, messageId, timestampHeader, body);
            foreach (var part in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!part.StartsWith("v1,", StringComparison.Ordinal)
                    || !Convert.TryFromBase64String(part[3..], candidate, out var written))
                {
                    continue;
                }

                if (CryptographicOperations.FixedTimeEquals(expected, candidate[..written]))
                {
                    return SignatureFailure.None;
                }
            }
        }

        return SignatureFailure.NoMatchingSignature;
    }

    private static byte[] Compute(byte[] key, string messageId, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    private static bool TryDecodeSecret(string? secret, out byte[] key)
    {
        key = [];
        if (secret is null || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
        }
        catch (FormatException)
        {
            return false;
        }

        return key.Length is >= 24 and <= 64;
    }
}
