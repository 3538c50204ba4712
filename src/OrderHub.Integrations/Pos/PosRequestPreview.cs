using System.Text;
using System.Text.Json;
using OrderHub.Domain.History;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Poster;
using OrderHub.Integrations.WebhookPos;

namespace OrderHub.Integrations.Pos;

/// <summary>What a POS client would send for an order, built by the client's own builder, masked like its excerpts.</summary>
/// <param name="Excerpt">The request as it would go out (tokens and personal data masked); null when it cannot be built.</param>
/// <param name="Failure">Why the client would refuse to send it (a non-numeric Poster id...), or null.</param>
public sealed record PosRequestPreviewResult(string? Excerpt, PosRequestBuildFailure? Failure);

public sealed record PosRequestBuildFailure(FailureReason Reason, string Message, string FixHint, MessageRef? MessageRef, MessageRef? FixHintRef);

/// <summary>
/// Shadow mode (issue 18): the exact request <see cref="PosterClient"/> or <see cref="WebhookPosClient"/> would send
/// for an order, without sending it. Uses the same builders and the same masking as the clients' excerpts.
/// </summary>
public static class PosRequestPreview
{
    public static PosRequestPreviewResult Build(PosTarget target, PosOrder order)
    {
        switch (target.Kind)
        {
            case PosKind.Poster:
            {
                var body = PosterRequestBuilder.Build(target, order, out var failure);
                if (failure is not null)
                {
                    return new(null, new(failure.Reason, failure.Message, failure.FixHint, failure.MessageRef, failure.FixHintRef));
                }

                return new("POST incomingOrders.createIncomingOrder?token=*** "
                    + PosHttp.MaskJson(JsonSerializer.Serialize(body, PosterJson.Options), PosterJson.PersonalKeys), null);
            }

            case PosKind.Webhook:
                return new(PosHttp.MaskJson(Encoding.UTF8.GetString(PosOrderMessageBuilder.Serialize(PosOrderMessageBuilder.Build(order))),
                    PosOrderMessageBuilder.PersonalKeys), null);

            default:
                throw new ArgumentOutOfRangeException(nameof(target), target.Kind, "No request builder for this POS kind.");
        }
    }
}
