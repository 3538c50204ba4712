using System.Text;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Orders.AcceptOrder;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Inbound;
using OrderHub.Integrations.Dots;

namespace OrderHub.Api.Features.Orders.ReplayUnrouted;

/// <summary>An event kept because its pickup point was not configured.</summary>
public sealed record UnroutedEventDto(
    Guid Id,
    Guid CompanyId,
    string WebhookId,
    string EventType,
    string? DotsOrderId,
    string? DotsAddressId,
    DateTimeOffset ReceivedAt,
    string? Message,
    string? FixHint);

public sealed record GetUnroutedQuery(Guid? CompanyId) : IRequest<IReadOnlyList<UnroutedEventDto>>;

public sealed class GetUnroutedHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<GetUnroutedQuery, IReadOnlyList<UnroutedEventDto>>
{
    public async Task<IReadOnlyList<UnroutedEventDto>> Handle(GetUnroutedQuery request, CancellationToken cancellationToken)
    {
        var events = await access.FilterAsync(db.InboundEvents.AsNoTracking().Where(e => e.State == InboundEventState.Unrouted), e => e.CompanyId, cancellationToken);
        if (request.CompanyId is { } companyId)
        {
            events = events.Where(e => e.CompanyId == companyId);
        }

        return await events
            .OrderBy(e => e.ReceivedAt)
            .Take(500)
            .Select(e => new UnroutedEventDto(
                e.Id, e.CompanyId, e.WebhookId, e.EventType, e.DotsOrderId, e.DotsAddressId, e.ReceivedAt,
                db.OrderActions.Where(a => a.InboundEventId == e.Id).OrderBy(a => a.Id).Select(a => a.Message).FirstOrDefault(),
                db.OrderActions.Where(a => a.InboundEventId == e.Id).OrderBy(a => a.Id).Select(a => a.FixHint).FirstOrDefault()))
            .ToListAsync(cancellationToken);
    }
}

/// <summary>Processes an unrouted event again, as if Dots had just sent it (its signature was checked on arrival).</summary>
public sealed record ReplayUnroutedCommand(Guid EventId, string Actor) : IRequest<InboundOutcome>;

public sealed class ReplayUnroutedHandler(OrderHubDbContext db, IMediator mediator, AccessScope access) : IRequestHandler<ReplayUnroutedCommand, InboundOutcome>
{
    public async Task<InboundOutcome> Handle(ReplayUnroutedCommand request, CancellationToken cancellationToken)
    {
        var inbound = await db.InboundEvents.AsNoTracking().FirstOrDefaultAsync(e => e.Id == request.EventId, cancellationToken)
                      ?? throw ProblemException.NotFound("Unrouted event", request.EventId);
        await access.EnsureCanSeeAsync(inbound.CompanyId, "Unrouted event", request.EventId, cancellationToken);
        if (inbound.RawPayloadPrunedAt is { } prunedAt)
        {
            throw ProblemException.PayloadPruned(prunedAt);
        }

        if (inbound.State != InboundEventState.Unrouted || inbound.RawPayload is null)
        {
            throw ProblemException.Conflict("Already handled", $"The event is {inbound.State}; only unrouted events can be replayed.");
        }

        var parsed = DotsEventParser.Parse(Encoding.UTF8.GetBytes(inbound.RawPayload));
        if (!parsed.IsValid || parsed.Event!.EventType != DotsEventTypes.OrderAccepted)
        {
            throw ProblemException.Conflict("Cannot be replayed", "The kept payload is not an accepted order of contract v1.");
        }

        var company = await db.Companies.AsNoTracking().FirstAsync(c => c.Id == inbound.CompanyId, cancellationToken);
        return await mediator.Send(
            new AcceptOrderCommand(company, inbound.WebhookId, parsed.Event, inbound.RawPayload, request.Actor), cancellationToken);
    }
}
