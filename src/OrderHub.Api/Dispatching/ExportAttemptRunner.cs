using Microsoft.Extensions.Options;
using OrderHub.Api.Shared;
using OrderHub.Domain.Export;
using OrderHub.Domain.History;
using OrderHub.Integrations.Pos;

namespace OrderHub.Api.Dispatching;

/// <summary>
/// Makes one attempt for one claimed entry: the POS call only. It reads nothing from the database (the claim
/// loaded what it needs) and writes nothing (<see cref="ExportOutcomeWriter"/> records the outcome).
/// </summary>
public sealed partial class ExportAttemptRunner(
    IEnumerable<IPosClient> clients,
    PosRequestBuilder requests,
    IOptions<DispatcherOptions> options,
    ILogger<ExportAttemptRunner> logger)
{
    /// <summary>The attempt's outcome, or null when the host stopped mid-attempt and nothing may be recorded.</summary>
    public async Task<ExportCompletion?> RunAsync(ExportWork work, CancellationToken abandon)
    {
        var (entry, point, integration) = (work.Entry, work.Point, work.Integration);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["OrderId"] = work.Order.Id, ["PickupPointId"] = point.Id });
        if (work.NothingToSend)
        {
            return new ExportCompletion(work, null);
        }

        var result = integration switch
        {
            null => Refused(FailureReason.NoPosIntegration, $"Pickup point '{point.Name}' has no POS integration any more.",
                $"Set up the POS integration of pickup point '{point.Name}', then export the order again.") with
            {
                MessageRef = MessageRef.Of("export.noPos", ("point", point.Name)),
                FixHintRef = MessageRef.Of("hint.setUpPos", ("point", point.Name)),
            },
            { Enabled: false } => Refused(FailureReason.PosIntegrationDisabled,
                $"The POS integration of pickup point '{point.Name}' is disabled{(integration.DisabledReason is { } why ? $": {why}" : "")}.",
                $"Check and enable the POS integration of pickup point '{point.Name}', then export the order again.") with
            {
                MessageRef = PosDisabledReasons.Why(integration.DisabledReason) is { } reason
                    ? MessageRef.Of("export.posDisabled", ("point", point.Name)).With("why", new MessageRef(reason.Key, reason.Args))
                    : MessageRef.Of("export.posDisabled", ("point", point.Name), ("why", "")),
                FixHintRef = MessageRef.Of("hint.enablePos", ("point", point.Name)),
            },
            _ => await AttemptAsync(work, integration, abandon),
        };
        if (result is null)
        {
            LogAbandoned(logger, entry.Id, work.Claim.Attempt);
            return null;
        }

        return new ExportCompletion(work, result);
    }

    private async Task<PosPushResult?> AttemptAsync(ExportWork work, Domain.Tenancy.PosIntegration integration, CancellationToken abandon)
    {
        var entry = work.Entry;
        var client = clients.FirstOrDefault(c => c.Kind == integration.Kind);
        if (client is null)
        {
            return Refused(FailureReason.NoPosIntegration, $"No client for POS kind {integration.Kind} in this build.", "Contact the OrderHub team.");
        }

        var target = requests.Target(integration);
        var request = PosRequestBuilder.Order(work.Order, work.Point, work.CreateEntry);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(abandon);
        timeout.CancelAfter(options.Value.AttemptTimeout);
        try
        {
            if (entry.Kind == ExportQueueKind.Cancel)
            {
                return await client.CancelOrderAsync(target, request, PosFeedRecorder.CancelReason(work.Order), timeout.Token);
            }

            // An earlier attempt of this generation may have reached the POS (an unclear answer, or a crash
            // after sending): Poster has no idempotency key, so ask it before sending again. Attempts that were
            // refused or never sent (circuit open, connection refused) do not count: no lookup for them.
            if (entry.MayHaveReachedPos)
            {
                // Entries attempted before FirstAttemptAt was recorded: from acceptance, as before.
                var since = entry.FirstAttemptAt ?? work.Order.AcceptedAt;
                var existing = await client.FindExistingAsync(target, request, since, timeout.Token);
                if (existing is not null)
                {
                    return existing;
                }
            }

            return await client.CreateOrderAsync(target, request, timeout.Token);
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            return new PosPushResult
            {
                Outcome = PosPushOutcome.Ambiguous,
                Message = $"The attempt took longer than {options.Value.AttemptTimeout.TotalSeconds:0} s and was abandoned; the POS may have the order.",
            };
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or InvalidOperationException or System.Text.Json.JsonException)
        {
            LogClientFault(logger, exception, entry.Id);
            return new PosPushResult
            {
                Outcome = PosPushOutcome.Ambiguous,
                Message = $"The POS client failed unexpectedly ({exception.GetType().Name}); the POS may have the order.",
            };
        }
    }

    private static PosPushResult Refused(FailureReason reason, string message, string hint) =>
        new() { Outcome = PosPushOutcome.Permanent, Reason = reason, Message = message, FixHint = hint };

    [LoggerMessage(Level = LogLevel.Information, Message = "Attempt {Attempt} of export entry {EntryId} abandoned: the host is stopping; the entry is re-driven after its lease")]
    private static partial void LogAbandoned(ILogger logger, Guid entryId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "The POS client threw for export entry {EntryId}; treated as an unclear attempt")]
    private static partial void LogClientFault(ILogger logger, Exception exception, Guid entryId);
}
