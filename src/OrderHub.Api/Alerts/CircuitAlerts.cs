using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.Alerts;
using OrderHub.Domain.History;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Resilience;

namespace OrderHub.Api.Alerts;

/// <summary>
/// Records a POS circuit opening or closing as a company history row (no order) and alerts the chats of the points
/// behind that POS (one point's own integration, or every point on the company default) and the owners', in one
/// save. Runs off the request path (Polly calls the observer inside the POS call). Circuits live per instance, so
/// with several instances each one that sees the POS fail reports it.
/// </summary>
public sealed partial class CircuitAlertObserver(IServiceScopeFactory scopes, TimeProvider time, ILogger<CircuitAlertObserver> logger) : IPosCircuitObserver
{
    public const string CircuitOpenedAction = "pos.circuit_opened";
    public const string CircuitClosedAction = "pos.circuit_closed";

    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

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
            var circuit = await PointCircuitAsync(db, integrationId) ?? await CompanyDefaultCircuitAsync(db, integrationId);
            if (circuit is null)
            {
                return;
            }

            var now = time.GetUtcNow();
            db.OrderActions.Add(new OrderAction
            {
                CompanyId = circuit.CompanyId,
                At = now,
                Action = opened ? CircuitOpenedAction : CircuitClosedAction,
                Outcome = opened ? ActionOutcome.Failure : ActionOutcome.Success,
                Reason = opened ? FailureReason.PosUnreachable : null,
                Message = Messages.MessageCatalog.Render(CircuitMessage(opened, circuit), Messages.MessageCatalog.English),
                MessageKey = (opened ? "pos.circuitOpened" : "pos.circuitClosed"),
                MessageArgs = CircuitMessage(opened, circuit).ArgsJson(),
                Details = JsonSerializer.Serialize(new CircuitDetails(circuit.PickupPointId, integrationId, circuit.PickupPointId is null, circuit.PointIds), DetailsJson),
            });
            var chats = await AlertWriter.ChatsForAsync(db, circuit.CompanyId, circuit.PointIds, CancellationToken.None);
            await writer.AddAsync(db, circuit.CompanyId, circuit.PickupPointId, AlertKinds.PosCircuit, l => AlertTexts.Circuit(l, opened, circuit.PlaceIn(l), circuit.Kind.ToString()),
                CancellationToken.None, chats: chats);
            await db.SaveChangesAsync();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogRecordFailed(logger, exception, circuitKey);
        }
    }

    /// <summary>A pickup point's own integration: one point, its chats and the owners'.</summary>
    private static async Task<Circuit?> PointCircuitAsync(OrderHubDbContext db, Guid integrationId)
    {
        var found = await (
                from integration in db.PosIntegrations.AsNoTracking()
                join point in db.PickupPoints.AsNoTracking() on integration.PickupPointId equals point.Id
                where integration.Id == integrationId
                select new { point.Id, point.CompanyId, point.Name, integration.Kind })
            .FirstOrDefaultAsync();
        return found is null ? null : new Circuit(found.CompanyId, found.Id, found.Kind, [found.Name], [found.Id]);
    }

    /// <summary>
    /// A company's default integration: its circuit serves the points whose effective integration it is (those with
    /// none of their own; a point whose own integration inherits fields has a circuit of its own).
    /// </summary>
    private static async Task<Circuit?> CompanyDefaultCircuitAsync(OrderHubDbContext db, Guid integrationId)
    {
        var found = await db.CompanyPosIntegrations.AsNoTracking().Where(c => c.Id == integrationId)
            .Select(c => new { c.CompanyId, c.Kind }).FirstOrDefaultAsync();
        if (found is null)
        {
            return null;
        }

        var points = await db.PickupPoints.AsNoTracking().Where(p => p.CompanyId == found.CompanyId)
            .Select(p => new { p.Id, p.Name }).ToListAsync();
        var effective = await EffectivePosIntegrations.ForPointsAsync(db, points.Select(p => p.Id).ToList(), CancellationToken.None);
        var onDefault = points.Where(p => effective.TryGetValue(p.Id, out var e) && e.Integration.Id == integrationId)
            .OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        return new Circuit(found.CompanyId, null, found.Kind, onDefault.Select(p => p.Name).ToList(), onDefault.Select(p => p.Id).ToList());
    }

    /// <summary>The row's sentence as data: the POS kind and whose POS it is, rendered in the reader's language.</summary>
    private static Messages.Msg CircuitMessage(bool opened, Circuit circuit) =>
        Messages.Msg.Of(opened ? "pos.circuitOpened" : "pos.circuitClosed", ("kind", circuit.Kind))
            .With("subject", circuit.Names(Messages.Msg.Of(circuit.PickupPointId is null ? "term.circuit.companyDefault" : "term.circuit.point"), locative: false));

    /// <summary>
    /// Whose POS the circuit guards: one point's own, or the company default (<see cref="PickupPointId"/> null) of
    /// <see cref="PointNames"/> (named up to three, else counted).
    /// </summary>
    private sealed record Circuit(Guid CompanyId, Guid? PickupPointId, PosKind Kind, IReadOnlyList<string> PointNames, IReadOnlyList<Guid> PointIds)
    {
        /// <summary><paramref name="message"/> with its <c>{names}</c>: the names, or a counted word in the reader's language (in the alert, after "at").</summary>
        public Messages.Msg Names(Messages.Msg message, bool locative) => PointNames.Count switch
        {
            0 => message.With("names", Messages.Msg.Of(locative ? "term.circuit.noPointIn" : "term.circuit.noPoint")),
            <= 3 => message with { Args = new Dictionary<string, string>(message.Args, StringComparer.Ordinal) { ["names"] = string.Join(", ", PointNames) } },
            _ => message.With("names", Messages.Msg.Of(locative ? "plural.pickupPointsIn" : "plural.pickupPoints", ("count", PointNames.Count))),
        };

        /// <summary>In the alert, in the chat's language.</summary>
        public string PlaceIn(string language) => PickupPointId is null
            ? Messages.MessageCatalog.Render(Names(Messages.Msg.Of("tg.circuit.companyDefault"), locative: true), language)
            : PointNames[0];
    }

    private sealed record CircuitDetails(Guid? PickupPointId, Guid IntegrationId, bool CompanyDefault, IReadOnlyList<Guid> PickupPointIds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the state change of POS circuit {CircuitKey}")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string circuitKey);
}
