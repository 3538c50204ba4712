using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Orders.GetOrder;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Orders.GetOrderByDotsId;

/// <summary>The order a Dots event is about (the <c>order</c> link of the webhook's answer); 404 until it is processed.</summary>
public sealed record GetOrderByDotsIdQuery(Guid CompanyId, string DotsOrderId) : IRequest<OrderDetailsDto>;

public sealed class GetOrderByDotsIdHandler(OrderHubDbContext db, AccessScope access, IMediator mediator) : IRequestHandler<GetOrderByDotsIdQuery, OrderDetailsDto>
{
    public async Task<OrderDetailsDto> Handle(GetOrderByDotsIdQuery request, CancellationToken cancellationToken)
    {
        await access.EnsureCanSeeAsync(request.CompanyId, "Company", request.CompanyId, cancellationToken);
        var id = await db.Orders.AsNoTracking().Where(o => o.CompanyId == request.CompanyId && o.DotsOrderId == request.DotsOrderId)
                     .Select(o => (Guid?)o.Id).FirstOrDefaultAsync(cancellationToken)
                 ?? throw new ProblemException(StatusCodes.Status404NotFound, "Order not found",
                     $"No order '{request.DotsOrderId}' of this company has been processed (yet); an event still in the inbox is listed at /api/inbox/{{eventId}}.");
        return await mediator.Send(new GetOrderQuery(id), cancellationToken);
    }
}
