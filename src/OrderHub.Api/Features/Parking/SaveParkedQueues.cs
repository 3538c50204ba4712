using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Persistence.Configurations;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Parking;

namespace OrderHub.Api.Features.Parking;

public sealed record ParkedQueueInput
{
    /// <summary>1 to 64 of a-z, 0-9 and '-'; what orders refer to.</summary>
    public string? Key { get; init; }
    public string? Name { get; init; }
}

/// <summary>Replaces the queues at one scope (company defaults, or a point's own and renamed ones), in this order.</summary>
public sealed record SaveParkedQueuesCommand : IRequest<IReadOnlyList<ParkedQueueDto>>
{
    [JsonIgnore]
    public Guid Id { get; init; }

    [JsonIgnore]
    public bool IsPoint { get; init; }

    public IReadOnlyList<ParkedQueueInput>? Items { get; init; }
}

public sealed class SaveParkedQueuesValidator : AbstractValidator<SaveParkedQueuesCommand>
{
    public const int MaxItems = 50;

    public SaveParkedQueuesValidator()
    {
        RuleFor(c => c.Items).NotNull().Must(i => i is null || i.Count <= MaxItems).WithMessageKey("valid.queues", ("max", MaxItems));
        RuleFor(c => c.Items).Must(i => i is null || i.Select(x => x.Key).Distinct().Count() == i.Count).WithMessageKey("valid.keysUnique");
        RuleForEach(c => c.Items).ChildRules(item =>
        {
            item.RuleFor(x => x.Key).NotEmpty().MaximumLength(Limits.Key).Matches("^[a-z0-9-]+$").WithMessageKey("valid.slug");
            item.RuleFor(x => x.Name).DisplayName();
        });
    }
}

public sealed class SaveParkedQueuesHandler(OrderHubDbContext db, AccessScope access, TimeProvider time, IMediator mediator)
    : IRequestHandler<SaveParkedQueuesCommand, IReadOnlyList<ParkedQueueDto>>
{
    public async Task<IReadOnlyList<ParkedQueueDto>> Handle(SaveParkedQueuesCommand request, CancellationToken cancellationToken)
    {
        var (companyId, pointId) = await ParkingScope.ResolveAsync(db, access, request.Id, request.IsPoint, cancellationToken);
        var scopeId = pointId ?? companyId;
        var existing = await db.ParkedQueues.Where(q => q.ScopeId == scopeId).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var items = request.Items!;
        db.ParkedQueues.RemoveRange(existing.Where(e => items.All(i => i.Key != e.Key)));
        for (var position = 0; position < items.Count; position++)
        {
            var item = items[position];
            var row = existing.FirstOrDefault(e => e.Key == item.Key);
            if (row is null)
            {
                row = db.ParkedQueues.Add(new ParkedQueue { CompanyId = companyId, PickupPointId = pointId, ScopeId = scopeId, Key = item.Key! }).Entity;
            }

            if (row.Name != item.Name || row.Position != position || db.Entry(row).State == EntityState.Added)
            {
                row.Name = item.Name!;
                row.Position = position;
                row.UpdatedAt = now;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return await mediator.Send(new GetParkedQueuesQuery(request.Id, request.IsPoint), cancellationToken);
    }
}
