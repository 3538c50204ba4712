using AutoMapper;
using AutoMapper.QueryableExtensions;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.History;
using OrderHub.Domain.Orders;

namespace OrderHub.Api.Features.Orders.GetOrders;

/// <summary>Filters for the order list. Times are inclusive-exclusive on when OrderHub received the order.</summary>
public sealed record GetOrdersQuery : IRequest<Page<OrderSummaryDto>>
{
    [FromQuery(Name = "companyId")]
    public Guid? CompanyId { get; init; }
    [FromQuery(Name = "pickupPointId")]
    public Guid? PickupPointId { get; init; }

    /// <summary>An export state name, e.g. NeedsMapping.</summary>
    [FromQuery(Name = "state")]
    public string? State { get; init; }
    [FromQuery(Name = "from")]
    public DateTimeOffset? From { get; init; }
    [FromQuery(Name = "to")]
    public DateTimeOffset? To { get; init; }

    /// <summary>Only orders with a standing problem (missing ids, failed export, drift after export).</summary>
    [FromQuery(Name = "problemsOnly")]
    public bool? ProblemsOnly { get; init; }

    /// <summary>Only orders whose standing problem is this typed reason, e.g. MissingExternalId or PosAuthRejected.</summary>
    [FromQuery(Name = "problem")]
    public string? Problem { get; init; }
    /// <summary>
    /// Held pre-orders (issue 18): true for only the orders held in the queue until their due time, false for only
    /// those not held (a queued order that is not held is waiting for the POS).
    /// </summary>
    [FromQuery(Name = "held")]
    public bool? Held { get; init; }
    [FromQuery(Name = "page")]
    public int? Page { get; init; }
    [FromQuery(Name = "pageSize")]
    public int? PageSize { get; init; }
}

public sealed class GetOrdersValidator : AbstractValidator<GetOrdersQuery>
{
    public GetOrdersValidator()
    {
        RuleFor(q => q.State)
            .Must(s => s is null || Enum.TryParse<ExportState>(s, ignoreCase: true, out _))
            .WithMessageKey("valid.oneOf", ("values", string.Join(", ", Enum.GetNames<ExportState>())));
        RuleFor(q => q.Problem)
            .Must(p => p is null || Enum.TryParse<FailureReason>(p, ignoreCase: true, out _))
            .WithMessageKey("valid.oneOf", ("values", string.Join(", ", Enum.GetNames<FailureReason>())));
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1);
        RuleFor(q => q.PageSize).InclusiveBetween(1, 200);
        RuleFor(q => q.To).GreaterThan(q => q.From).When(q => q.From is not null && q.To is not null);
    }
}

public sealed class GetOrdersHandler(OrderHubDbContext db, IMapper mapper, AccessScope access, TimeProvider time) : IRequestHandler<GetOrdersQuery, Page<OrderSummaryDto>>
{
    public async Task<Page<OrderSummaryDto>> Handle(GetOrdersQuery request, CancellationToken cancellationToken)
    {
        var query = await access.FilterAsync(db.Orders.AsNoTracking(), o => o.CompanyId, cancellationToken);
        if (request.CompanyId is { } companyId)
        {
            query = query.Where(o => o.CompanyId == companyId);
        }

        if (request.PickupPointId is { } pointId)
        {
            query = query.Where(o => o.PickupPointId == pointId);
        }

        if (request.State is { } s)
        {
            var state = Enum.Parse<ExportState>(s, ignoreCase: true);
            query = query.Where(o => o.ExportState == state);
        }

        if (request.From is { } from)
        {
            var utc = from.ToUniversalTime();
            query = query.Where(o => o.ReceivedAt >= utc);
        }

        if (request.To is { } to)
        {
            var utc = to.ToUniversalTime();
            query = query.Where(o => o.ReceivedAt < utc);
        }

        if (request.ProblemsOnly == true)
        {
            query = query.Where(o => o.Problem != null);
        }

        if (request.Problem is { } p)
        {
            var problem = Enum.Parse<FailureReason>(p, ignoreCase: true);
            query = query.Where(o => o.Problem == problem);
        }

        if (request.Held is { } held)
        {
            var now = time.GetUtcNow();
            var heldOrders = HeldPreOrders.HeldEntries(db, now);
            query = held
                ? query.Where(o => heldOrders.Any(e => e.OrderId == o.Id))
                : query.Where(o => !heldOrders.Any(e => e.OrderId == o.Id));
        }

        var page = request.Page ?? 1;
        var size = request.PageSize ?? 50;
        // Counted in the page's own order, so the count reads the same index range as the page.
        var ordered = query.OrderByDescending(o => o.ReceivedAt).ThenByDescending(o => o.Id);
        var counted = await ordered.Take(PageLimits.MaxExactCount + 1).CountAsync(cancellationToken);
        var capped = counted > PageLimits.MaxExactCount;
        var items = await ordered
            .Skip((page - 1) * size).Take(size)
            .ProjectTo<OrderSummaryDto>(mapper.ConfigurationProvider)
            .ToListAsync(cancellationToken);
        // Held pre-orders (issue 18): only queued orders can be held.
        var queued = items.Where(i => i.ExportState == nameof(ExportState.Queued)).Select(i => i.Id).ToList();
        if (queued.Count > 0)
        {
            var heldUntil = await HeldPreOrders.HeldAsync(db, queued, time.GetUtcNow(), cancellationToken);
            items = items.Select(i => heldUntil.TryGetValue(i.Id, out var until) ? i with { HeldUntil = until } : i).ToList();
        }

        return new Page<OrderSummaryDto>(items, page, size, capped ? PageLimits.MaxExactCount : counted, capped);
    }
}
