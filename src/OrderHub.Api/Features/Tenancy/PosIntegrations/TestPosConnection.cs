using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Dispatching;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.History;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Pos;

namespace OrderHub.Api.Features.Tenancy.PosIntegrations;

/// <summary>The result of "test connection", also kept on the integration as its last check.</summary>
public sealed record PosConnectionCheckDto
{
    public bool Ok { get; init; }

    /// <summary>What happened, in plain words.</summary>
    public string Message { get; init; } = "";

    /// <summary>When it failed: <c>PosAuthRejected</c> (bad token or signature refused), <c>PosSpotNotFound</c>, <c>PosUnreachable</c>, …</summary>
    public string? Reason { get; init; }

    /// <summary>What to change, when it failed.</summary>
    public string? FixHint { get; init; }
    public DateTimeOffset CheckedAt { get; init; }
}

/// <summary>
/// Checks the point's POS with its stored credentials: Poster — the token works and the spot exists
/// (<c>access.getSpots</c>); webhook POS — a signed <c>ping</c> (Standard Webhooks, like orders) is answered 2xx.
/// Stores the result as the integration's last check. Runs even when the integration is disabled.
/// </summary>
public sealed record TestPosConnectionCommand(Guid PickupPointId) : IRequest<PosConnectionCheckDto>;

public sealed partial class TestPosConnectionHandler(
    OrderHubDbContext db,
    AccessScope access,
    PosClients clients,
    PosRequestBuilder targets,
    TimeProvider time,
    ILogger<TestPosConnectionHandler> logger) : IRequestHandler<TestPosConnectionCommand, PosConnectionCheckDto>
{
    public async Task<PosConnectionCheckDto> Handle(TestPosConnectionCommand request, CancellationToken cancellationToken)
    {
        await access.EnsurePickupPointAsync(request.PickupPointId, cancellationToken);
        // The effective integration (the point's own merged with the company default) is what exports use, so it is
        // what is tested; the result is kept on the point's own row when it has one.
        var effective = await EffectivePosIntegrations.ForPointAsync(db, request.PickupPointId, cancellationToken)
                        ?? throw await PosIntegrationProblems.NotFoundAsync(db, request.PickupPointId, cancellationToken);
        var integration = effective.HasOwn
            ? await db.PosIntegrations.FirstAsync(i => i.PickupPointId == request.PickupPointId, cancellationToken)
            : effective.Integration;

        var check = await clients.For(effective.Integration.Kind).TestConnectionAsync(targets.Target(effective.Integration), cancellationToken);
        FailureReason? reason = check.Ok ? null : check.Reason ?? FailureReason.PosUnreachable;
        var hint = check.Ok ? null : check.FixHint ?? UnreachableHint(effective.Integration);
        var now = time.GetUtcNow();
        integration.LastCheckAt = now;
        integration.LastCheckOk = check.Ok;
        integration.LastCheckMessage = Cut(check.Message);
        integration.LastCheckReason = reason?.ToString();
        integration.LastCheckFixHint = hint is null ? null : Cut(hint);
        await db.SaveChangesAsync(cancellationToken);
        Log.Checked(logger, integration.Id, integration.Kind, check.Ok, reason);

        // The row keeps the English; the answer reads in the reader's language where the sentence is known as data.
        var language = MessageCatalog.CurrentLanguage;
        return new PosConnectionCheckDto
        {
            Ok = check.Ok,
            Message = Msg.From(check.MessageRef) is { } message ? Cut(MessageCatalog.Render(message, language)) : integration.LastCheckMessage,
            Reason = integration.LastCheckReason,
            FixHint = check.Ok ? null
                : Msg.From(check.FixHintRef) is { } fix ? Cut(MessageCatalog.Render(fix, language))
                : check.FixHint is null ? Cut(MessageCatalog.Render(UnreachableHintMessage(effective.Integration), language))
                : integration.LastCheckFixHint,
            CheckedAt = now,
        };
    }

    private static string UnreachableHint(PosIntegration integration) => MessageCatalog.Render(UnreachableHintMessage(integration), MessageCatalog.English);

    private static Msg UnreachableHintMessage(PosIntegration integration) => integration.Kind == PosKind.Poster
        ? Msg.Of("hint.test.posterUnreachable")
        : Msg.Of("hint.test.webhookUnreachable", ("url", integration.WebhookUrl));

    private static string Cut(string text) => text.Length <= Persistence.Configurations.Limits.Text ? text : text[..(Persistence.Configurations.Limits.Text - 1)] + "…";

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Connection test of POS integration {IntegrationId} ({Kind}): ok {Ok}, reason {Reason}")]
        public static partial void Checked(ILogger logger, Guid integrationId, PosKind kind, bool ok, FailureReason? reason);
    }
}
