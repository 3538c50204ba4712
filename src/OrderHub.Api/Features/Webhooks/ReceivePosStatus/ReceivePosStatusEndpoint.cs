using MediatR;
using OrderHub.Api.Shared;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Api.Features.Webhooks.ReceivePosStatus;

/// <summary><c>POST /webhooks/pos/{integrationId}</c>: a webhook POS reports accepted, rejected or closed.</summary>
public static class ReceivePosStatusEndpoint
{
    public const int MaxBodyBytes = 16 * 1024;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/webhooks/pos/{integrationId:guid}", HandleAsync)
            .WithName("ReceivePosStatus")
            .WithTags("Webhooks")
            .WithSummary("Receive an order's status from a webhook POS (accepted, rejected, closed), signed with the integration's secret")
            .AllowAnonymous()
            .Accepts<PosStatusReport>("application/json")
            .Produces<PosStatusReceipt>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    private static async Task<IResult> HandleAsync(Guid integrationId, HttpRequest request, IMediator mediator, CancellationToken cancellationToken)
    {
        var body = await WebhookBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        WebhookBody.RequireJson(request);
        var receipt = await mediator.Send(new ReceivePosStatusCommand(
            integrationId,
            request.Headers[StandardWebhookSignature.IdHeader].ToString(),
            request.Headers[StandardWebhookSignature.TimestampHeader].ToString(),
            request.Headers[StandardWebhookSignature.SignatureHeader].ToString(),
            body), cancellationToken);
        return TypedResults.Ok(receipt);
    }
}
