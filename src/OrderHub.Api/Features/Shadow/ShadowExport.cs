using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Dispatching;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.Export;
using OrderHub.Domain.History;
using OrderHub.Domain.Mappings;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Pos;

namespace OrderHub.Api.Features.Shadow;

/// <summary>
/// Shadow mode (issue 18): for a resolved order of a point whose POS integration is in <see cref="PosMode.Shadow"/>,
/// builds the exact request the export would send (the same <see cref="PosRequestBuilder"/> and POS client
/// builder), checks it against the point's imported POS catalog (ids exist, prices as the POS has them), and
/// records it in the history as "would have sent" with the problems found. Nothing is sent and nothing is queued.
/// Adds to the caller's unit of work.
/// </summary>
public sealed class ShadowExport(OrderHubDbContext db)
{
    public const string Action = "export.shadow";

    public async Task RecordAsync(Order order, PickupPoint point, PosIntegration integration, DateTimeOffset now, string actor, CancellationToken cancellationToken)
    {
        // An entry that is never saved: it gives the request the message id and number the real first export would have.
        var entry = new ExportQueueEntry { OrderId = order.Id, PickupPointId = point.Id };
        var request = PosRequestBuilder.Order(order, point, entry);
        var target = new PosTarget
        {
            IntegrationId = integration.Id,
            PickupPointId = point.Id,
            Kind = integration.Kind,
            PosterAccount = integration.PosterAccount,
            PosterSpotId = integration.PosterSpotId,
            WebhookUrl = integration.WebhookUrl,
            Secret = "", // never needed to build a request, so never decrypted here
        };
        var preview = PosRequestPreview.Build(target, request);

        var catalog = await db.PosCatalogItems.AsNoTracking()
            .Where(i => i.PickupPointId == point.Id && i.RemovedAt == null)
            .Select(i => new { i.Kind, i.ExternalId, i.Name, i.Price })
            .ToListAsync(cancellationToken);
        var byKind = catalog.GroupBy(i => i.Kind)
            .ToDictionary(g => g.Key, g => g.GroupBy(i => i.ExternalId, StringComparer.Ordinal).ToDictionary(x => x.Key, x => x.First().Price, StringComparer.Ordinal));

        var problems = new List<ShadowProblem>();
        if (preview.Failure is { } failure)
        {
            var inner = Msg.From(failure.MessageRef);
            problems.Add(Problem(ShadowProblemKind.RequestInvalid, null, null, null, null,
                inner is null ? Msg.Of("shadow.problem.requestInvalidText", ("detail", failure.Message)) : Msg.Of("shadow.problem.requestInvalid").With("problem", inner)));
        }

        if (catalog.Count == 0)
        {
            problems.Add(Problem(ShadowProblemKind.NoPosCatalog, null, null, null, null, Msg.Of("shadow.problem.NoPosCatalog", ("point", point.Name))));
        }
        else
        {
            Check(request, byKind, problems);
        }

        order.MarkShadowed();
        order.Problem = problems.Select(p => ShadowProblemTexts.Reason(p.Kind)).FirstOrDefault(r => r is not null);
        order.UpdatedAt = now;

        var clean = problems.Count == 0;
        db.Record(order, now, Action, clean ? ActionOutcome.Success : ActionOutcome.Warning,
            clean
                ? Msg.Of("shadow.recordedClean", ("point", point.Name), ("kind", integration.Kind))
                : Msg.Of("shadow.recordedProblems", ("point", point.Name), ("kind", integration.Kind), ("count", problems.Count)),
            actor,
            problems.Select(p => ShadowProblemTexts.Reason(p.Kind)).FirstOrDefault(r => r is not null),
            clean ? null : Msg.Of("hint.shadow.problems", ("point", point.Name), ("id", point.Id)),
            new ShadowDetails(true, clean, integration.Kind.ToString(), preview.Excerpt, problems.Select(ShadowProblemDetails.From).ToList()));
    }

    private static void Check(PosOrder request, Dictionary<ExternalIdKind, Dictionary<string, decimal?>> catalog, List<ShadowProblem> problems)
    {
        Dictionary<string, decimal?> Of(ExternalIdKind kind) => catalog.GetValueOrDefault(kind) ?? new Dictionary<string, decimal?>(StringComparer.Ordinal);
        var (products, variants, modifiers, promotions) =
            (Of(ExternalIdKind.Product), Of(ExternalIdKind.Variant), Of(ExternalIdKind.Modifier), Of(ExternalIdKind.Promotion));

        foreach (var line in request.Lines)
        {
            decimal? posPrice = null;
            var priced = false;
            if (!products.TryGetValue(line.ExternalProductId, out var productPrice))
            {
                problems.Add(Unknown(ShadowProblemKind.UnknownProduct, line.ExternalProductId, line.Name));
            }
            else
            {
                posPrice = productPrice;
                priced = true;
            }

            if (line.ExternalVariantId is { Length: > 0 } variantId)
            {
                if (!variants.TryGetValue(variantId, out var variantPrice))
                {
                    problems.Add(Unknown(ShadowProblemKind.UnknownVariant, variantId, line.Name));
                    priced = false;
                }
                else
                {
                    // A variant carries its own price at the POS (Poster prices each modificator).
                    posPrice = variantPrice ?? posPrice;
                }
            }

            if (priced && posPrice is { } price && price != line.Price)
            {
                problems.Add(PriceDifference(line.ExternalVariantId ?? line.ExternalProductId, line.Name, line.Price, price));
            }

            foreach (var modifier in line.Modifiers)
            {
                if (!modifiers.TryGetValue(modifier.ExternalId, out var modifierPrice))
                {
                    problems.Add(Unknown(ShadowProblemKind.UnknownModifier, modifier.ExternalId, modifier.Name));
                }
                else if (modifierPrice is { } mp && mp != modifier.Price)
                {
                    problems.Add(PriceDifference(modifier.ExternalId, modifier.Name, modifier.Price, mp));
                }
            }
        }

        foreach (var promotion in request.Promotions)
        {
            if (!promotions.ContainsKey(promotion.ExternalId))
            {
                problems.Add(Unknown(ShadowProblemKind.UnknownPromotion, promotion.ExternalId, promotion.Name));
            }
        }
    }

    private static ShadowProblem Unknown(ShadowProblemKind kind, string posId, string name) =>
        Problem(kind, posId, name, null, null, Msg.Of("shadow.problem." + kind, ("name", name), ("id", posId)));

    private static ShadowProblem PriceDifference(string posId, string name, decimal orderPrice, decimal posPrice) =>
        Problem(ShadowProblemKind.PriceDifference, posId, name, orderPrice, posPrice,
            Msg.Of("shadow.problem.PriceDifference", ("name", name), ("id", posId),
                ("orderPrice", orderPrice.ToString("0.00", CultureInfo.InvariantCulture)), ("posPrice", posPrice.ToString("0.00", CultureInfo.InvariantCulture))));

    private static ShadowProblem Problem(ShadowProblemKind kind, string? posId, string? name, decimal? orderPrice, decimal? posPrice, Msg message) =>
        new(kind, posId, name, orderPrice, posPrice, message.Key, message.Args);
}

/// <summary>The details of an <c>export.shadow</c> history row (JSON, camelCase).</summary>
/// <param name="WouldHaveSent">Always true: marks the row as a request that was built and not sent.</param>
/// <param name="Request">The request excerpt, masked like the export's excerpts; null when it could not be built.</param>
public sealed record ShadowDetails(bool WouldHaveSent, bool Clean, string PosKind, string? Request, IReadOnlyList<ShadowProblemDetails> Problems);

/// <summary>One problem in <see cref="ShadowDetails"/>: typed, its message as data and in English.</summary>
public sealed record ShadowProblemDetails(
    ShadowProblemKind Kind, string? PosId, string? Name, decimal? OrderPrice, decimal? PosPrice,
    string MessageKey, IReadOnlyDictionary<string, string> MessageArgs, string Message)
{
    public static ShadowProblemDetails From(ShadowProblem p) =>
        new(p.Kind, p.PosId, p.Name, p.OrderPrice, p.PosPrice, p.MessageKey, p.MessageArgs, MessageCatalog.Render(p.Message, MessageCatalog.English));
}
