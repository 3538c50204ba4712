using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Catalog.PosCatalog;
using OrderHub.Api.Features.Tenancy.ExternalIds;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Persistence.Configurations;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Mappings;

namespace OrderHub.Api.Features.Catalog.Coverage;

public sealed record GetCoverageQuery(Guid PickupPointId) : IRequest<CoverageDto>;

public sealed class GetCoverageHandler(OrderHubDbContext db, AccessScope access, CoverageCalculator calculator) : IRequestHandler<GetCoverageQuery, CoverageDto>
{
    public async Task<CoverageDto> Handle(GetCoverageQuery request, CancellationToken cancellationToken) =>
        await calculator.CalculateAsync(await CatalogAccess.PointAsync(db, access, request.PickupPointId, cancellationToken), cancellationToken);
}

/// <summary>One suggestion to accept: the Dots item and the POS catalog item it is.</summary>
public sealed record AcceptedSuggestion
{
    /// <summary>Product, Variant, Modifier or Promotion.</summary>
    public string? Kind { get; init; }
    public string? DotsId { get; init; }

    /// <summary>An item of the point's current POS catalog, of the same kind.</summary>
    public string? ExternalId { get; init; }
}

/// <summary>
/// Stores accepted suggestions as external ids, all or nothing, through the same bulk upsert as
/// <c>PUT …/external-ids</c> (same validation). Answers what was stored and the coverage after it.
/// </summary>
public sealed record AcceptSuggestionsCommand : IRequest<AcceptSuggestionsResult>
{
    [JsonIgnore]
    public Guid PickupPointId { get; init; }

    /// <summary>
    /// <c>company</c> (company defaults) or <c>pickupPoint</c> (the point's overrides). Default: the coverage's
    /// <c>acceptTarget</c> — company when the point uses company defaults only, else the point.
    /// </summary>
    public string? Target { get; init; }

    public IReadOnlyList<AcceptedSuggestion>? Items { get; init; }
}

public sealed record AcceptSuggestionsResult(string Target, int Created, int Updated, CoverageDto Coverage);

public sealed class AcceptSuggestionsValidator : AbstractValidator<AcceptSuggestionsCommand>
{
    public AcceptSuggestionsValidator()
    {
        RuleFor(c => c.Target).Must(t => t is "company" or "pickupPoint").When(c => c.Target is not null)
            .WithMessageKey("valid.target");
        RuleFor(c => c.Items).NotNull()
            .Must(i => i!.Count is > 0 and <= UpsertExternalIdsValidator.MaxItems).When(c => c.Items is not null)
            .WithMessageKey("valid.items", ("max", UpsertExternalIdsValidator.MaxItems));
        RuleForEach(c => c.Items).NotNull().ChildRules(item =>
        {
            item.RuleFor(i => i.Kind).NotEmpty()
                .Must(k => TenancyRules.TryParseName<ExternalIdKind>(k, out _)).WithMessageKey("valid.oneOf", ("values", TenancyRules.Names<ExternalIdKind>()));
            item.RuleFor(i => i.DotsId).DotsId();
            item.RuleFor(i => i.ExternalId).NotEmpty().MaximumLength(Limits.ExternalId);
        }).When(c => c.Items is { Count: <= UpsertExternalIdsValidator.MaxItems });
    }
}

public sealed class AcceptSuggestionsHandler(OrderHubDbContext db, AccessScope access, IMediator mediator, CoverageCalculator calculator)
    : IRequestHandler<AcceptSuggestionsCommand, AcceptSuggestionsResult>
{
    public async Task<AcceptSuggestionsResult> Handle(AcceptSuggestionsCommand request, CancellationToken cancellationToken)
    {
        var point = await CatalogAccess.PointAsync(db, access, request.PickupPointId, cancellationToken);
        var target = request.Target ?? (point.UseCompanyDefaults ? "company" : "pickupPoint");
        if (target == "pickupPoint" && point.UseCompanyDefaults)
        {
            throw ProblemException.Invalid("target", Msg.Of("refusal.pointUsesCompanyIds"));
        }

        var catalog = (await db.PosCatalogItems.AsNoTracking().Where(i => i.PickupPointId == point.Id && i.RemovedAt == null).ToListAsync(cancellationToken))
            .ToDictionary(i => (i.Kind, i.ExternalId));
        var dotsNames = (await db.DotsMenuItems.AsNoTracking().Where(i => i.CompanyId == point.CompanyId).ToListAsync(cancellationToken))
            .ToDictionary(i => (i.Kind, i.DotsId), i => i.Name);

        var items = new List<ExternalIdInput>();
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < request.Items!.Count; i++)
        {
            var item = request.Items[i];
            var kind = Enum.Parse<ExternalIdKind>(item.Kind!, ignoreCase: true);
            if (!catalog.TryGetValue((kind, item.ExternalId!), out var posItem))
            {
                errors[$"items[{i}].externalId"] = [$"{kind} '{item.ExternalId}' is not in this pickup point's POS catalog; import it (POST …/pos-catalog/refresh or PUT …/pos-catalog) or pick another item."];
                continue;
            }

            items.Add(new ExternalIdInput { Kind = kind.ToString(), DotsId = item.DotsId, ExternalId = item.ExternalId, Name = dotsNames.GetValueOrDefault((kind, item.DotsId!)) ?? posItem.Name });
        }

        if (errors.Count > 0)
        {
            throw new ProblemException(StatusCodes.Status400BadRequest, "One or more validation errors occurred.",
                "Some accepted items are not in the POS catalog; nothing was stored.", new Dictionary<string, object?> { ["errors"] = errors });
        }

        // The one write path for external ids: its validation, conflict handling and single transaction.
        var stored = await mediator.Send(new UpsertExternalIdsCommand
        {
            Id = target == "company" ? point.CompanyId : point.Id,
            IsPoint = target == "pickupPoint",
            Items = items,
        }, cancellationToken);

        return new AcceptSuggestionsResult(target, stored.Created, stored.Updated, await calculator.CalculateAsync(point, cancellationToken));
    }
}
