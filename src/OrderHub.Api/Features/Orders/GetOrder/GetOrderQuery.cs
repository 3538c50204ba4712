using AutoMapper;
using AutoMapper.QueryableExtensions;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;

namespace OrderHub.Api.Features.Orders.GetOrder;

public sealed record GetOrderQuery(Guid Id) : IRequest<OrderDetailsDto>;

public sealed class GetOrderHandler(OrderHubDbContext db, IMapper mapper, AccessScope access, TimeProvider time) : IRequestHandler<GetOrderQuery, OrderDetailsDto>
{
    public async Task<OrderDetailsDto> Handle(GetOrderQuery request, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking()
                        .Include(o => o.Lines).ThenInclude(l => l.Modifiers)
                        .Include(o => o.Promotions)
                        .AsSplitQuery()
                        .FirstOrDefaultAsync(o => o.Id == request.Id, cancellationToken)
                    ?? throw ProblemException.NotFound("Order", request.Id);
        await access.EnsureCanSeeAsync(order.CompanyId, "Order", request.Id, cancellationToken);
        var history = await db.OrderActions.AsNoTracking()
            .Where(a => a.OrderId == request.Id)
            .OrderBy(a => a.Id)
            .ProjectTo<OrderActionDto>(mapper.ConfigurationProvider)
            .ToListAsync(cancellationToken);

        order.Lines.Sort((a, b) => a.Position.CompareTo(b.Position));
        order.Lines.ForEach(l => l.Modifiers.Sort((a, b) => a.Position.CompareTo(b.Position)));
        order.Promotions.Sort((a, b) => a.Position.CompareTo(b.Position));
        // Held pre-orders (issue 18).
        var held = await HeldPreOrders.HeldAsync(db, [order.Id], time.GetUtcNow(), cancellationToken);
        return mapper.Map<OrderDetailsDto>(order) with { History = history, HeldUntil = held.TryGetValue(order.Id, out var until) ? until : null };
    }
}

/// <summary>The accepting event exactly as it arrived.</summary>
public sealed record GetOrderPayloadQuery(Guid Id) : IRequest<string>;

public sealed class GetOrderPayloadHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<GetOrderPayloadQuery, string>
{
    public async Task<string> Handle(GetOrderPayloadQuery request, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == request.Id)
                        .Select(o => new { o.CompanyId, o.RawPayload, o.RawPayloadPrunedAt }).FirstOrDefaultAsync(cancellationToken)
                    ?? throw ProblemException.NotFound("Order", request.Id);
        await access.EnsureCanSeeAsync(order.CompanyId, "Order", request.Id, cancellationToken);
        return order.RawPayloadPrunedAt is { } prunedAt ? throw ProblemException.PayloadPruned(prunedAt) : order.RawPayload;
    }
}
