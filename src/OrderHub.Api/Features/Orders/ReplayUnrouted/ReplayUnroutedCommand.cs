using System.Text;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Orders.AcceptOrder;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Inbound;
using OrderHub.Integrations.Dots;

namespace OrderHub.Api.Features.Orders.ReplayUnrouted;

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
            throw ProblemException.Conflict(Msg.Of("problem.alreadyHandled"), Msg.Of("problem.alreadyHandled.detail", ("state", inbound.State)));
        }

        var parsed = DotsEventParser.Parse(Encoding.UTF8.GetBytes(inbound.RawPayload));
        if (!parsed.IsValid || parsed.Event!.EventType != DotsEventTypes.OrderAccepted)
        {
            throw ProblemException.Conflict(Msg.Of("problem.cannotReplay"), Msg.Of("problem.cannotReplay.detail"));
        }

        var company = await db.Companies.AsNoTracking().FirstAsync(c => c.Id == inbound.CompanyId, cancellationToken);
        return await mediator.Send(
            new AcceptOrderCommand(company, inbound.WebhookId, parsed.Event, inbound.RawPayload, request.Actor), cancellationToken);
    }
}
