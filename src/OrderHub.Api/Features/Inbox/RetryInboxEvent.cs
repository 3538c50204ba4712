using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Inbound;

namespace OrderHub.Api.Features.Inbox;

/// <summary>Puts a parked event back in line (after the cause was fixed): processed again as it arrived.</summary>
public sealed record RetryInboxEventCommand(Guid Id) : IRequest<InboxEventDto>;

public sealed class RetryInboxEventHandler(OrderHubDbContext db, AccessScope access, TimeProvider time) : IRequestHandler<RetryInboxEventCommand, InboxEventDto>
{
    public async Task<InboxEventDto> Handle(RetryInboxEventCommand request, CancellationToken cancellationToken)
    {
        var row = await db.InboxEvents.FirstOrDefaultAsync(e => e.Id == request.Id, cancellationToken)
                  ?? throw ProblemException.NotFound("Inbox event", request.Id);
        await access.EnsureCanSeeAsync(row.CompanyId, "Inbox event", request.Id, cancellationToken);
        if (row.State != InboxEventState.Parked)
        {
            throw ProblemException.Conflict(Msg.Of("problem.notParked"), Msg.Of("problem.notParked.detail", ("state", row.State)));
        }

        row.State = InboxEventState.Received;
        row.Failures = 0;
        row.ParkedReason = null;
        row.NextAttemptAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return await db.InboxEvents.AsNoTracking().Where(e => e.Id == row.Id).Select(InboxEventDto.FromRow).FirstAsync(cancellationToken);
    }
}
