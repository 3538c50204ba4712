using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OrderHub.Integrations.Pos;

/// <summary>What a failed POS call's exception means for re-sending.</summary>
internal enum TransportFailure
{
    /// <summary>The request surely did not reach the POS (refused, DNS, TLS, open circuit).</summary>
    NotSent,

    /// <summary>The request may have reached the POS (timeout, connection lost while waiting for the answer).</summary>
    MaybeSent,
}

/// <summary>HTTP helpers shared by the POS clients: failure classification, excerpts, money, Retry-After.</summary>
internal static partial class PosHttp
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\[Dots #[^\]]{1,64}\]$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex MarkerPattern();

    public const int ExcerptLimit = 4096;

    /// <summary>
    /// Classifies an exception from SendAsync. Caller cancellation is not handled here (rethrow it).
    /// Connection refused, name resolution and TLS failures happen before a byte of the request is sent.
    /// </summary>
    /// <remarks>
    /// The message comes in English and as data: a key of the host's catalog (<c>transport.timeout</c>) with the
    /// exception's own words (<see cref="TransportDescription.Error"/>), which the caller may mask.
    /// </remarks>
    public static TransportDescription? Describe(Exception exception) => exception switch
    {
        // Refit wraps what the handlers threw; the failure itself decides.
        Refit.ApiRequestException { InnerException: { } inner } => Describe(inner),
        BrokenCircuitException broken => new(TransportFailure.NotSent,
            "Not sent: too many recent failures at this POS, so calls are paused (circuit open) until it recovers.",
            broken.RetryAfter, "transport.circuitOpen", null),
        TimeoutRejectedException => new(TransportFailure.MaybeSent, "No answer from the POS in time; it may have received the order.", null, "transport.timeout", null),
        TaskCanceledException { InnerException: TimeoutException } => new(TransportFailure.MaybeSent, "No answer from the POS in time; it may have received the order.", null, "transport.timeout", null),
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError } http
            => new(TransportFailure.NotSent, $"Could not connect to the POS: {http.Message}", null, "transport.connect", http.Message),
        HttpRequestException http => new(TransportFailure.MaybeSent, $"The connection to the POS broke before it answered: {http.Message}", null, "transport.broken", http.Message),
        _ => null,
    };

    /// <summary>How much of a foreign answer the history keeps: enough to read an error, not a page of someone's server.</summary>
    public const int ForeignExcerptLimit = 512;

    /// <summary>
    /// A short, sanitized excerpt of an answer from a tenant-set URL: personal values masked when it is JSON,
    /// control characters (but line breaks) dropped, at most <see cref="ForeignExcerptLimit"/> characters.
    /// </summary>
    public static string? ForeignExcerpt(string? text, IReadOnlySet<string> personalKeys)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var masked = MaskJson(text, personalKeys);
        var clean = new string(masked.Where(ch => !char.IsControl(ch) || ch is '\n' or '\t').ToArray());
        return clean.Length <= ForeignExcerptLimit ? clean : clean[..ForeignExcerptLimit] + "…";
    }

    public static string? Excerpt(string? text) =>
        text is null ? null : text.Length <= ExcerptLimit ? text : text[..ExcerptLimit] + "…";

    /// <summary>The JSON with the values of <paramref name="personalKeys"/> replaced, for the action history.</summary>
    public static string MaskJson(string json, IReadOnlySet<string> personalKeys)
    {
        try
        {
            var node = JsonNode.Parse(json);
            Mask(node, null, personalKeys);
            return Excerpt(node?.ToJsonString() ?? json)!;
        }
        catch (System.Text.Json.JsonException)
        {
            return Excerpt(json)!;
        }
    }

    // A key matches by its name ("phone") or by its parent and name ("customer.name").
    private static void Mask(JsonNode? node, string? parent, IReadOnlySet<string> keys)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (value is JsonValue && (keys.Contains(name) || (parent is not null && keys.Contains(parent + "." + name))))
                    {
                        // OrderHub's own marker in a Poster comment ("… [Dots #1234]") is not personal and finds the order.
                        obj[name] = value.GetValueKind() == System.Text.Json.JsonValueKind.String
                                    && MarkerPattern().Match(value.GetValue<string>()) is { Success: true } marker
                            ? "*** " + marker.Value
                            : "***";
                    }
                    else
                    {
                        Mask(value, name, keys);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Mask(item, parent, keys);
                }

                break;
        }
    }

    /// <summary>Currency units to minor units (kopecks for UAH), rounded half away from zero.</summary>
    public static long ToMinor(decimal amount, string currency) =>
        (long)decimal.Round(amount * MinorFactor(currency), 0, MidpointRounding.AwayFromZero);

    public static decimal MinorFactor(string currency) => currency.ToUpperInvariant() switch
    {
        "JPY" or "KRW" or "VND" or "CLP" or "ISK" => 1m,
        "BHD" or "KWD" or "OMR" or "JOD" or "TND" or "IQD" or "LYD" => 1000m,
        _ => 100m,
    };

    /// <summary>Retry-After as seconds or an HTTP date; never negative.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        var value = headers.RetryAfter;
        if (value?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (value?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    public static bool IsTransientStatus(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
}

/// <summary>A transport failure in words (English) and as data (<see cref="Key"/> with the exception's own <see cref="Error"/>).</summary>
internal sealed record TransportDescription(TransportFailure Failure, string Message, TimeSpan? RetryAfter, string Key, string? Error)
{
    /// <summary>The failure as "{system}: {transport}" data; <paramref name="mask"/> cleans the exception's words (tokens in URLs).</summary>
    public MessageRef Ref(string system, Func<string, string>? mask = null) =>
        MessageRef.Of("transport.via", ("system", system), ("transport", "@" + Key), ("error", Error is null ? null : mask is null ? Error : mask(Error)));
}
