using Microsoft.AspNetCore.Http.Features;
using OrderHub.Api.Infrastructure;

namespace OrderHub.Api.Shared;

/// <summary>The raw bytes of a webhook request: signatures are verified over them, never over a re-serialised body.</summary>
public static class WebhookBody
{
    /// <summary>Reads the body, refusing more than <paramref name="maxBytes"/> whatever the transport says (413).</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        if (request.ContentLength is { } length)
        {
            return await ReadExactlyAsync(request, (int)length, maxBytes, cancellationToken);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    /// <summary>
    /// The announced length in one array of exactly that size, read straight into it and handed on as is (the
    /// inbox stores it without another copy). Kestrel never yields more than the announced length, and fails the
    /// read when fewer bytes arrive.
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>> ReadExactlyAsync(HttpRequest request, int length, int maxBytes, CancellationToken cancellationToken)
    {
        var body = new byte[length];
        var filled = 0;
        try
        {
            int read;
            while (filled < length && (read = await request.Body.ReadAsync(body.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes);
        }

        return body.AsMemory(0, filled);
    }

    /// <summary>415 unless the request says JSON (a missing content type is accepted, as many senders omit it).</summary>
    public static void RequireJson(HttpRequest request)
    {
        if (request.ContentType is { } contentType && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the event as application/json.");
        }
    }

    private static ProblemException TooLarge(int maxBytes) => new(
        StatusCodes.Status413PayloadTooLarge, "Request body too large", $"Events are limited to {maxBytes / 1024} KB.");
}
