using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Inbox;

/// <summary>One inbox event: the <c>eventId</c> the Dots webhook answered with.</summary>
public sealed record GetInboxEventQuery(Guid Id) : IRequest<InboxEventDto>;

public sealed class GetInboxEventHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<GetInboxEventQuery, InboxEventDto>
{
    public async Task<InboxEventDto> Handle(GetInboxEventQuery request, CancellationToken cancellationToken)
    {
        var found = await db.InboxEvents.AsNoTracking().Where(e => e.Id == request.Id).Select(InboxEventDto.FromRow).FirstOrDefaultAsync(cancellationToken)
                    ?? throw ProblemException.NotFound("Inbox event", request.Id);
        await access.EnsureCanSeeAsync(found.CompanyId, "Inbox event", request.Id, cancellationToken);
        return found;
    }
}
