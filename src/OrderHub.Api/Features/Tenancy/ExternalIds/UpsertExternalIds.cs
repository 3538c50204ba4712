using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Persistence.Configurations;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Mappings;

namespace OrderHub.Api.Features.Tenancy.ExternalIds;

/// <summary>One external id to store.</summary>
public sealed record ExternalIdInput
{
    /// <summary>Product, Variant, Modifier or Promotion.</summary>
    public string? Kind { get; init; }
    public string? DotsId { get; init; }
    public string? ExternalId { get; init; }
    public string? Name { get; init; }
}

/// <summary>
/// Stores up to <see cref="UpsertExternalIdsValidator.MaxItems"/> external ids at one scope, all or nothing:
/// an existing (kind, Dots id) gets the new external id and name (and counts as confirmed now), a new one is added.
/// </summary>
public sealed record UpsertExternalIdsCommand : IRequest<UpsertExternalIdsResult>
{
    /// <summary>From the route: a company id, or a pickup point id when <see cref="IsPoint"/>.</summary>
    [JsonIgnore]
    public Guid Id { get; init; }

    [JsonIgnore]
    public bool IsPoint { get; init; }

    public IReadOnlyList<ExternalIdInput>? Items { get; init; }
}

public sealed class UpsertExternalIdsValidator : AbstractValidator<UpsertExternalIdsCommand>
{
    public const int MaxItems = 5000;

    public UpsertExternalIdsValidator()
    {
        RuleFor(c => c.Items).NotNull()
            .Must(i => i!.Count is > 0 and <= MaxItems).When(c => c.Items is not null)
            .WithMessageKey("valid.items", ("max", MaxItems));
        RuleForEach(c => c.Items).NotNull().SetValidator(new ExternalIdInputValidator()).When(c => c.Items is { Count: <= MaxItems });
        RuleFor(c => c.Items).Custom(NoDuplicates).When(c => c.Items is { Count: <= MaxItems });
    }

    /// <summary>The same (kind, Dots id) twice in one batch is ambiguous: refuse the later copy by its index.</summary>
    private static void NoDuplicates(IReadOnlyList<ExternalIdInput>? items, ValidationContext<UpsertExternalIdsCommand> context)
    {
        var seen = new Dictionary<(ExternalIdKind, string), int>();
        for (var i = 0; i < items!.Count; i++)
        {
            if (items[i] is { DotsId: { Length: > 0 } dotsId } item && TenancyRules.TryParseName<ExternalIdKind>(item.Kind, out var kind)
                && !seen.TryAdd((kind, dotsId), i))
            {
                context.AddFailure($"Items[{i}].DotsId", $"Repeats items[{seen[(kind, dotsId)]}] ({kind} '{dotsId}').");
            }
        }
    }
}

public sealed class ExternalIdInputValidator : AbstractValidator<ExternalIdInput>
{
    public ExternalIdInputValidator()
    {
        RuleFor(i => i.Kind).NotEmpty()
            .Must(k => TenancyRules.TryParseName<ExternalIdKind>(k, out _)).WithMessageKey("valid.oneOf", ("values", TenancyRules.Names<ExternalIdKind>()));
        RuleFor(i => i.DotsId).DotsId();
        RuleFor(i => i.ExternalId).NotEmpty().MaximumLength(Limits.ExternalId);
        RuleFor(i => i.Name).MaximumLength(Limits.Name);
    }
}

public sealed class UpsertExternalIdsHandler(OrderHubDbContext db, TimeProvider time, AccessScope access) : IRequestHandler<UpsertExternalIdsCommand, UpsertExternalIdsResult>
{
    public async Task<UpsertExternalIdsResult> Handle(UpsertExternalIdsCommand request, CancellationToken cancellationToken)
    {
        var scope = await ExternalIdScope.FindAsync(db, access, request.Id, request.IsPoint, cancellationToken);
        var items = request.Items!.Select(i => (Kind: Enum.Parse<ExternalIdKind>(i.Kind!, ignoreCase: true), i.DotsId, i.ExternalId, i.Name)).ToList();
        var dotsIds = items.Select(i => i.DotsId!).Distinct().ToList();
        var existing = (await db.ExternalIds.Where(m => m.ScopeId == scope.ScopeId && dotsIds.Contains(m.DotsId)).ToListAsync(cancellationToken))
            .ToDictionary(m => (m.Kind, m.DotsId));

        var now = time.GetUtcNow();
        int created = 0, updated = 0;
        foreach (var item in items)
        {
            if (existing.TryGetValue((item.Kind, item.DotsId!), out var row))
            {
                // Sending an item again confirms it: UpdatedAt moves even when nothing changed, so the drift
                // report stops flagging a POS or Dots change made before the confirmation.
                row.ExternalId = item.ExternalId!;
                row.Name = item.Name;
                row.UpdatedAt = now;

                updated++;
                continue;
            }

            db.ExternalIds.Add(new ExternalIdMapping
            {
                CompanyId = scope.CompanyId,
                PickupPointId = scope.PickupPointId,
                ScopeId = scope.ScopeId,
                Kind = item.Kind,
                DotsId = item.DotsId!,
                ExternalId = item.ExternalId!,
                Name = item.Name,
                UpdatedAt = now,
            });
            created++;
        }

        // One SaveChanges is one transaction: the batch is stored whole or not at all.
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw ProblemException.Conflict(Msg.Of("problem.externalIdsConcurrent"), Msg.Of("problem.externalIdsConcurrent.detail"));
        }

        return new UpsertExternalIdsResult(created, updated);
    }
}
