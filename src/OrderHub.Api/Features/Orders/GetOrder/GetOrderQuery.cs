using AutoMapper;
using AutoMapper.QueryableExtensions;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;

namespace OrderHub.Api.Features.Orders.GetOrder;

public sealed record GetOrderQuery(Guid Id) : IRequest<OrderDetailsDto>;

public sealed class GetOrderHandler(OrderHubDbContext db, IMapper mapper) : IRequestHandler<GetOrderQuery, OrderDetailsDto>
{
    public async Task<OrderDetailsDto> Handle(GetOrderQuery request, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking()
                        .Include(o => o.Lines).ThenInclude(l => l.Modifiers)
                        .Include(o => o.Promotions)
                        .AsSplitQuery()
                        .FirstOrDefaultAsync(o => o.Id == request.Id, cancellationToken)
                    ?? throw ProblemException.NotFound("Order", request.Id);
        var history = await db.OrderActions.AsNoTracking()
            .Where(a => a.OrderId == request.Id)
            .OrderBy(a => a.Id)
            .ProjectTo<OrderActionDto>(mapper.ConfigurationProvider)
            .ToListAsync(cancellationToken);

        order.Lines.Sort((a, b) => a.Position.CompareTo(b.Position));
        order.Lines.ForEach(l => l.Modifiers.Sort((a, b) => a.Position.CompareTo(b.Position)));
        order.Promotions.Sort((a, b) => a.Position.CompareTo(b.Position));
        return mapper.Map<OrderDetailsDto>(order) with { History = history };
    }
}

/// <summary>The accepting event exactly as it arrived.</summary>
public sealed record GetOrderPayloadQuery(Guid Id) : IRequest<string>;

public sealed class GetOrderPayloadHandler(OrderHubDbContext db) : IRequestHandler<GetOrderPayloadQuery, string>
{
    public async Task<string> Handle(GetOrderPayloadQuery request, CancellationToken cancellationToken)
    {
        var found = await db.Orders.AsNoTracking().Where(o => o.Id == request.Id)
                        .Select(o => new { o.RawPayload, o.RawPayloadPrunedAt }).FirstOrDefaultAsync(cancellationToken)
                    ?? throw ProblemException.NotFound("Order", request.Id);
        return found.RawPayloadPrunedAt is { } prunedAt ? throw ProblemException.PayloadPruned(prunedAt) : found.RawPayload;
    }
}
