using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrderHub.Domain.History;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Outbound;
using OrderHub.Integrations.Pos;
using OrderHub.Integrations.Resilience;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Integrations.WebhookPos;

/// <summary>
/// Any POS that accepts the signed <c>pos-order v1</c> webhook (docs/pos-webhook.md). The receiver
/// deduplicates by <c>webhook-id</c> (= <see cref="PosOrder.MessageId"/>, stable across retries), so after an
/// ambiguous attempt a resend is safe and <see cref="FindExistingAsync"/> has nothing to look up.
/// </summary>
public sealed partial class WebhookPosClient(IWebhookPosApi api, TimeProvider timeProvider, ILogger<WebhookPosClient> logger) : IPosClient
{
    public PosKind Kind => PosKind.Webhook;

    public async Task<PosPushResult> CreateOrderAsync(PosTarget target, PosOrder order, CancellationToken cancellationToken)
    {
        var result = CheckTarget(target)
            ?? await SendAsync(target, order.MessageId, PosOrderMessageBuilder.Build(order), api.SendOrderAsync, "order", cancellationToken).ConfigureAwait(false);
        Log.Call(logger, "pos-order", target.IntegrationId, result.Outcome, result.HttpStatus, (long)result.Duration.TotalMilliseconds);
        return result;
    }

    /// <summary>Always null: the receiver deduplicates by <c>webhook-id</c>, so sending again is the lookup.</summary>
    public Task<PosPushResult?> FindExistingAsync(PosTarget target, PosOrder order, DateTimeOffset attemptedSince, CancellationToken cancellationToken) =>
        Task.FromResult<PosPushResult?>(null);

    public async Task<PosPushResult> CancelOrderAsync(PosTarget target, PosOrder order, string? reason, CancellationToken cancellationToken)
    {
        var message = PosOrderMessageBuilder.BuildCancelled(order, reason);
        var result = CheckTarget(target)
            ?? await SendAsync(target, order.MessageId + ".cancel", message, api.SendCancellationAsync, "cancellation", cancellationToken).ConfigureAwait(false);
        Log.Call(logger, "pos-order.cancelled", target.IntegrationId, result.Outcome, result.HttpStatus, (long)result.Duration.TotalMilliseconds);
        return result;
    }

    public Task<PosPushResult> GetOrderStatusAsync(PosTarget target, string posOrderId, CancellationToken cancellationToken) =>
        Task.FromResult(new PosPushResult
        {
            Outcome = PosPushOutcome.Permanent,
            PosOrderId = posOrderId,
            Message = "A webhook POS has no status read-back in pos-order v1; it reports status changes itself.",
        });

    public async Task<PosConnectionCheck> TestConnectionAsync(PosTarget target, CancellationToken cancellationToken)
    {
        var result = CheckTarget(target)
            ?? await SendAsync(target, "ping_" + Guid.NewGuid().ToString("N"),
                new PosPingMessage(PosOrderMessage.PingType, 1, timeProvider.GetUtcNow()), api.PingAsync, "ping", cancellationToken).ConfigureAwait(false);
        return result.Outcome == PosPushOutcome.Delivered
            ? new PosConnectionCheck(true, $"The webhook POS answered the signed ping with HTTP {result.HttpStatus}.")
            {
                MessageRef = MessageRef.Of("webhook.pingOk", ("status", result.HttpStatus)),
            }
            : new PosConnectionCheck(false, result.Message, result.Reason, result.FixHint) { MessageRef = result.MessageRef, FixHintRef = result.FixHintRef };
    }

    /// <summary>One signed message through <see cref="IWebhookPosApi"/>; <see cref="WebhookSigningHandler"/> signs the very bytes serialized here.</summary>
    private async Task<PosPushResult> SendAsync<TMessage>(
        PosTarget target, string messageId, TMessage message,
        Func<string, string, string, string, string, HttpContent, CancellationToken, Task<HttpResponseMessage>> send,
        string what, CancellationToken cancellationToken)
    {
        var timestamp = timeProvider.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Serialized once: these bytes go out as the body, and are the excerpt's and the catch-up feed's.
        var bytes = PosOrderMessageBuilder.Serialize(message);
        var body = Encoding.UTF8.GetString(bytes);
        var excerpt = PosHttp.MaskJson(body, PosOrderMessageBuilder.PersonalKeys);

        var started = Stopwatch.GetTimestamp();
        try
        {
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json", "utf-8");
            using var response = await send(target.WebhookUrl!, target.Secret, PosResilience.WebhookCircuit(target.IntegrationId), messageId, timestamp, content, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return Interpret(response, text, what) with
            {
                HttpStatus = (int)response.StatusCode,
                RequestExcerpt = excerpt,
                SentBody = body,
                ResponseExcerpt = PosHttp.ForeignExcerpt(text, PosOrderMessageBuilder.PersonalKeys),
                Duration = Stopwatch.GetElapsedTime(started),
            };
        }
        catch (Exception ex) when (OutboundAddressPolicy.RefusalIn(ex) is { } refused)
        {
            // Nothing was sent, and sending again will not help: the URL must change (or its network be allowed).
            return new PosPushResult
            {
                Outcome = PosPushOutcome.Permanent,
                Reason = FailureReason.PosUnreachable,
                Message = "Webhook POS: address not allowed: " + refused.Reason,
                MessageRef = MessageRef.Of("webhook.addressNotAllowed").With("reason", refused.ReasonRef),
                FixHint = OutboundAddressPolicy.NotAllowedHint,
                FixHintRef = MessageRef.Of("hint.outbound.notAllowed"),
                RequestExcerpt = excerpt,
                SentBody = body,
                Duration = Stopwatch.GetElapsedTime(started),
            };
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && PosHttp.Describe(ex) is { } failure)
        {
            return new PosPushResult
            {
                // Ambiguous is safe to resend here: the receiver deduplicates by webhook-id.
                Outcome = failure.Failure == TransportFailure.NotSent ? PosPushOutcome.Retryable : PosPushOutcome.Ambiguous,
                Message = "Webhook POS: " + failure.Message,
                MessageRef = failure.Ref("Webhook POS"),
                RetryAfter = failure.RetryAfter,
                RequestExcerpt = excerpt,
                SentBody = body,
                Duration = Stopwatch.GetElapsedTime(started),
            };
        }
    }

    private PosPushResult Interpret(HttpResponseMessage response, string body, string what)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            var posOrderId = ReadPosOrderId(body);
            return new PosPushResult
            {
                Outcome = PosPushOutcome.Delivered,
                PosOrderId = posOrderId,
                Message = $"The webhook POS acknowledged the {what} (HTTP {status})" + (posOrderId is null ? "." : $" as POS order {posOrderId}."),
            };
        }

        // "what" is "order" or "cancellation": a catalog term, so the sentence reads in the reader's language.
        var whatTerm = "@term.webhook." + what;
        MessageRef Ref(string key) => MessageRef.Of("webhook." + key, ("status", status), ("what", whatTerm));
        return response.StatusCode switch
        {
            HttpStatusCode.Gone => Permanent(FailureReason.PosGone, $"The webhook POS answered 410 Gone to the {what}: it disabled this integration.",
                "Ask the POS owner whether the endpoint moved; update the webhook URL or disable the integration.", Ref("gone"), "gone"),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => Permanent(FailureReason.PosAuthRejected,
                $"The webhook POS refused the signature or access (HTTP {status}).",
                "Make sure the POS and the integration share the same whsec_ secret, and that the POS clock is right (±5 minutes).", Ref("auth"), "auth"),
            _ when PosHttp.IsTransientStatus(response.StatusCode) => new PosPushResult
            {
                Outcome = PosPushOutcome.Retryable,
                Message = $"The webhook POS is busy or failing (HTTP {status}); safe to send again.",
                MessageRef = Ref("busy"),
                RetryAfter = PosHttp.RetryAfter(response.Headers, timeProvider.GetUtcNow()),
            },
            _ when status is >= 300 and < 400 => new PosPushResult
            {
                // Standard Webhooks: redirects are failures and are not followed.
                Outcome = PosPushOutcome.Retryable,
                Message = $"The webhook POS answered a redirect (HTTP {status}" + (response.Headers.Location is { } to ? $" to {to}" : "") + "); redirects are not followed.",
                MessageRef = response.Headers.Location is { } where
                    ? MessageRef.Of("webhook.redirect", ("status", status), ("to", "@webhook.redirectTo"), ("location", where))
                    : MessageRef.Of("webhook.redirect", ("status", status), ("to", "")),
                FixHint = "Set the webhook URL to the final address the POS gives.",
                FixHintRef = MessageRef.Of("hint.webhook.redirect"),
            },
            _ when status is >= 400 and < 500 => Permanent(FailureReason.PosRejected, $"The webhook POS rejected the {what} (HTTP {status}).",
                "Read the POS's answer in the response excerpt; fix the cause with the POS owner, then export again.", Ref("rejected"), "rejected"),
            _ => new PosPushResult
            {
                Outcome = PosPushOutcome.Retryable,
                Reason = FailureReason.PosUnexpectedResponse,
                Message = $"The webhook POS answered an unexpected HTTP {status}.",
                MessageRef = Ref("unexpected"),
            },
        };
    }

    private static PosPushResult Permanent(FailureReason reason, string message, string hint, MessageRef messageRef, string hintKey) => new()
    {
        Outcome = PosPushOutcome.Permanent,
        Reason = reason,
        Message = message,
        FixHint = hint,
        MessageRef = messageRef,
        FixHintRef = MessageRef.Of("hint.webhook." + hintKey),
    };

    /// <summary>Optional <c>{"posOrderId": "..."}</c>; a string or a number, anything else is ignored.</summary>
    private static string? ReadPosOrderId(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("posOrderId", out var id)
                ? id.ValueKind switch
                {
                    JsonValueKind.String => id.GetString(),
                    JsonValueKind.Number => id.GetRawText(),
                    _ => null,
                }
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static PosPushResult? CheckTarget(PosTarget target)
    {
        if (target.Kind != PosKind.Webhook)
        {
            throw new ArgumentException($"A {target.Kind} target was given to the webhook POS client.", nameof(target));
        }

        if (!Uri.TryCreate(target.WebhookUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return Permanent(FailureReason.PosRequestInvalid, "The POS integration has no valid webhook URL. Nothing was sent.",
                "Set an absolute http(s) webhook URL in the pickup point's POS integration.", MessageRef.Of("webhook.noUrl"), "noUrl");
        }

        if (!StandardWebhookSignature.IsValidSecret(target.Secret))
        {
            return Permanent(FailureReason.PosAuthRejected, "The POS integration's signing secret is not a valid whsec_ secret. Nothing was sent.",
                "Generate a new whsec_ secret for the integration and give it to the POS owner.", MessageRef.Of("webhook.badSecret"), "badSecret");
        }

        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4201, Level = LogLevel.Information,
            Message = "Webhook POS {Message} for integration {IntegrationId}: {Outcome} (HTTP {HttpStatus}) in {ElapsedMs} ms")]
        public static partial void Call(ILogger logger, string message, Guid integrationId, PosPushOutcome outcome, int? httpStatus, long elapsedMs);
    }
}
