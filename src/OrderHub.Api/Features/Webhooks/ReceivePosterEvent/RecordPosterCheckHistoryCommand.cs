using MediatR;
using OrderHub.Api.Alerts;
using OrderHub.Api.Dispatching;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Integrations.Pos;
using OrderHub.Integrations.Poster;

namespace OrderHub.Api.Features.Webhooks.ReceivePosterEvent;

/// <summary>
/// A verified Poster hook about a check (<c>transaction</c>): its register operations are stored, and alerted
/// when risky. A hook without the row in its data makes OrderHub read the check's history back from Poster.
/// </summary>
public sealed record RecordPosterCheckHistoryCommand(PosterWebhook Hook) : IRequest<PosterEventReceipt>;

public sealed class RecordPosterCheckHistoryHandler(
    OrderHubDbContext db,
    RegisterOperationRecorder registerOperations,
    PosterClient poster,
    PosRequestBuilder requests) : IRequestHandler<RecordPosterCheckHistoryCommand, PosterEventReceipt>
{
    public async Task<PosterEventReceipt> Handle(RecordPosterCheckHistoryCommand request, CancellationToken cancellationToken)
    {
        var hook = request.Hook;
        if (RegisterOperationRecorder.Parse(hook.Data) is { } row)
        {
            return new PosterEventReceipt(await registerOperations.RecordAsync(hook, [row], row.SpotId, cancellationToken), []);
        }

        var integration = (await EffectivePosIntegrations.OnPosterAccountAsync(db, hook.Account, cancellationToken)).Values
            .Select(e => e.Integration).Where(i => i.SecretProtected != null)
            .OrderBy(i => i.CreatedAt)
            .FirstOrDefault();
        if (integration is null)
        {
            return new PosterEventReceipt("unknown_spot", []);
        }

        var check = await poster.GetTransactionHistoryAsync(requests.Target(integration), hook.ObjectId, cancellationToken);
        if (check.Result.Outcome != PosPushOutcome.Delivered)
        {
            // Poster retries the hook; the history is read again then.
            throw new ProblemException(StatusCodes.Status503ServiceUnavailable, "Poster could not be read back",
                $"Reading check {hook.ObjectId} from Poster failed: {check.Result.Message}");
        }

        return new PosterEventReceipt(await registerOperations.RecordAsync(hook, check.Rows, check.SpotId, cancellationToken), []);
    }
}
