using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Alerts;
using OrderHub.Domain.History;
using OrderHub.Integrations.Resilience;

namespace OrderHub.Api.Alerts;

/// <summary>
/// Records a POS circuit opening or closing as a company history row (no order) and alerts the point's chats, in
/// one save. Runs off the request path (Polly calls the observer inside the POS call). Circuits live per instance,
/// so with several instances each one that sees the POS fail reports it.
/// </summary>
public sealed partial class CircuitAlertObserver(IServiceScopeFactory scopes, TimeProvider time, ILogger<CircuitAlertObserver> logger) : IPosCircuitObserver
{
    public const string CircuitOpenedAction = "pos.circuit_opened";
    public const string CircuitClosedAction = "pos.circuit_closed";

    private readonly object _gate = new();
    private Task _last = Task.CompletedTask;

    public void CircuitOpened(string circuitKey) => Enqueue(circuitKey, opened: true);

    public void CircuitClosed(string circuitKey) => Enqueue(circuitKey, opened: false);

    /// <summary>Waits for the state changes heard so far to be written (tests, shutdown).</summary>
    public Task Settled
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    private void Enqueue(string circuitKey, bool opened)
    {
        lock (_gate)
        {
            // Chained, so "opened" is always written before the "closed" that follows it.
            _last = _last.ContinueWith(_ => RecordAsync(circuitKey, opened), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    private async Task RecordAsync(string circuitKey, bool opened)
    {
        try
        {
            var separator = circuitKey.IndexOf(':', StringComparison.Ordinal);
            if (separator < 0 || !Guid.TryParseExact(circuitKey[(separator + 1)..], "N", out var integrationId))
            {
                return;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OrderHubDbContext>();
            var writer = scope.ServiceProvider.GetRequiredService<AlertWriter>();
            var found = await (
                    from integration in db.PosIntegrations.AsNoTracking()
                    join point in db.PickupPoints.AsNoTracking() on integration.PickupPointId equals point.Id
                    where integration.Id == integrationId
                    select new { point.Id, point.CompanyId, point.Name, integration.Kind })
                .FirstOrDefaultAsync();
            if (found is null)
            {
                return;
            }

            var now = time.GetUtcNow();
            db.OrderActions.Add(new OrderAction
            {
                CompanyId = found.CompanyId,
                At = now,
                Action = opened ? CircuitOpenedAction : CircuitClosedAction,
                Outcome = opened ? ActionOutcome.Failure : ActionOutcome.Success,
                Reason = opened ? FailureReason.PosUnreachable : null,
                Message = opened
                    ? $"The POS ({found.Kind}) of pickup point '{found.Name}' stopped answering: its circuit opened."
                    : $"The POS ({found.Kind}) of pickup point '{found.Name}' answers again: its circuit closed.",
                Details = $"{{\"pickupPointId\":\"{found.Id}\",\"integrationId\":\"{integrationId}\"}}",
            });
            await writer.AddAsync(db, found.CompanyId, found.Id, AlertKinds.PosCircuit, AlertTexts.Circuit(opened, found.Name, found.Kind.ToString()), CancellationToken.None);
            await db.SaveChangesAsync();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogRecordFailed(logger, exception, circuitKey);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the state change of POS circuit {CircuitKey}")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string circuitKey);
}
