using Microsoft.AspNetCore.Http.Features;

namespace OrderHub.Api.Infrastructure;

/// <summary>
/// One request-body limit for every endpoint, answered as a 413 ProblemDetails. Kestrel enforces the same limit
/// on the socket, but its refusal would surface as an empty response (minimal APIs swallow the read error) and
/// other servers (a test host, IIS) do not enforce Kestrel's setting at all. Webhooks set smaller limits.
/// </summary>
public static class RequestBodyLimit
{
    public const long MaxBytes = 1024 * 1024;

    public static IApplicationBuilder UseOrderHubRequestBodyLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength > MaxBytes)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                // Before localization runs: the language comes from Accept-Language itself.
                var language = Messages.ApiLanguage.OfRefusal(context);
                var (title, detail) = ProblemDetailsExceptionHandler.HostRefusal(StatusCodes.Status413PayloadTooLarge)!.Value;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status413PayloadTooLarge,
                        Title = Messages.MessageCatalog.Render(title, language),
                        Detail = Messages.MessageCatalog.Render(detail, language),
                    },
                });
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxBytes;
            }
            else if (context.Request.ContentLength is null && context.Request.Body.CanRead)
            {
                // No server-side limit to lean on (a chunked body on a host without one): count it ourselves.
                context.Request.Body = new LimitedStream(context.Request.Body, MaxBytes);
            }

            await next(context);
        });

    /// <summary>Throws a 413 <see cref="BadHttpRequestException"/> once more than the limit has been read.</summary>
    private sealed class LimitedStream(Stream inner, long max) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > max
                ? throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge)
                : read;
        }
    }
}
