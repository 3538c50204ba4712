using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Inbound;

namespace OrderHub.Api.Features.Inbox;

/// <summary>Inbox events whose processing was given up (parked), oldest first, as the caller may see them.</summary>
public sealed record GetParkedInboxEventsQuery(Guid? CompanyId) : IRequest<IReadOnlyList<InboxEventDto>>;

public sealed class GetParkedInboxEventsHandler(OrderHubDbContext db, AccessScope access)
    : IRequestHandler<GetParkedInboxEventsQuery, IReadOnlyList<InboxEventDto>>
{
    public const int MaxEvents = 500;

    public async Task<IReadOnlyList<InboxEventDto>> Handle(GetParkedInboxEventsQuery request, CancellationToken cancellationToken)
    {
        var events = await access.FilterAsync(db.InboxEvents.AsNoTracking().Where(e => e.State == InboxEventState.Parked), e => e.CompanyId, cancellationToken);
        if (request.CompanyId is { } companyId)
        {
            events = events.Where(e => e.CompanyId == companyId);
        }

        return await events.OrderBy(e => e.ReceivedAt).ThenBy(e => e.Id).Take(MaxEvents).Select(InboxEventDto.FromRow).ToListAsync(cancellationToken);
    }
}
