using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Mappings;

namespace OrderHub.Api.Features.Tenancy.ExternalIds;

/// <summary>One external id to remove.</summary>
public sealed record ExternalIdKey
{
    public string? Kind { get; init; }
    public string? DotsId { get; init; }
}

/// <summary>Removes external ids at one scope by (kind, Dots id); unknown items are skipped. All or nothing.</summary>
public sealed record DeleteExternalIdsCommand : IRequest<DeleteExternalIdsResult>
{
    [JsonIgnore]
    public Guid Id { get; init; }

    [JsonIgnore]
    public bool IsPoint { get; init; }

    public IReadOnlyList<ExternalIdKey>? Items { get; init; }
}

public sealed class DeleteExternalIdsValidator : AbstractValidator<DeleteExternalIdsCommand>
{
    public DeleteExternalIdsValidator()
    {
        RuleFor(c => c.Items).NotNull()
            .Must(i => i!.Count is > 0 and <= UpsertExternalIdsValidator.MaxItems).When(c => c.Items is not null)
            .WithMessageKey("valid.items", ("max", UpsertExternalIdsValidator.MaxItems));
        RuleForEach(c => c.Items).NotNull().ChildRules(item =>
        {
            item.RuleFor(i => i.Kind).NotEmpty()
                .Must(k => TenancyRules.TryParseName<ExternalIdKind>(k, out _)).WithMessageKey("valid.oneOf", ("values", TenancyRules.Names<ExternalIdKind>()));
            item.RuleFor(i => i.DotsId).DotsId();
        }).When(c => c.Items is { Count: <= UpsertExternalIdsValidator.MaxItems });
    }
}

public sealed class DeleteExternalIdsHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<DeleteExternalIdsCommand, DeleteExternalIdsResult>
{
    public async Task<DeleteExternalIdsResult> Handle(DeleteExternalIdsCommand request, CancellationToken cancellationToken)
    {
        var scope = await ExternalIdScope.FindAsync(db, access, request.Id, request.IsPoint, cancellationToken);
        var keys = request.Items!.Select(i => (Enum.Parse<ExternalIdKind>(i.Kind!, ignoreCase: true), i.DotsId!)).ToHashSet();
        var dotsIds = keys.Select(k => k.Item2).Distinct().ToList();
        var rows = await db.ExternalIds.Where(m => m.ScopeId == scope.ScopeId && dotsIds.Contains(m.DotsId)).ToListAsync(cancellationToken);
        var doomed = rows.Where(m => keys.Contains((m.Kind, m.DotsId))).ToList();
        db.ExternalIds.RemoveRange(doomed);
        await db.SaveChangesAsync(cancellationToken);
        return new DeleteExternalIdsResult(doomed.Count);
    }
}
