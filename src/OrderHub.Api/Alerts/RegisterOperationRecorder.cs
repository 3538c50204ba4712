using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
using OrderHub.Domain.Alerts;
using OrderHub.Domain.Mappings;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Poster;
using static OrderHub.Api.Alerts.Html;

namespace OrderHub.Api.Alerts;

/// <summary>
/// Poster's <c>transaction</c> webhooks: each register operation is stored (for the day's report and for judging
/// the next ones), and a risky one — a check deleted, an item removed or its count lowered after the kitchen
/// ticket or after the pre-check, a discount set, a check closed — alerts the point's chats in the same save.
/// Money in Poster's transaction history is in kopecks.
/// </summary>
public sealed class RegisterOperationRecorder(OrderHubDbContext db, AlertWriter writer, TimeProvider time)
{
    /// <summary>The row a webhook's <c>data</c> carries, or null.</summary>
    public static PosterHistoryRow? Parse(string? data) => PosterHistoryRow.FromWebhookData(data);

    /// <summary>
    /// Stores the check's operations not stored yet (in order, each judged against the ones before it) with their
    /// alerts, in one save. "alerted" (some chat gets an alert), "recorded" (stored; risky or not, no chat wants an
    /// alert of it), "duplicate" (nothing new) or "unknown_spot" (no Poster point matches).
    /// </summary>
    public async Task<string> RecordAsync(PosterWebhook hook, IReadOnlyList<PosterHistoryRow> rows, long? spotId, CancellationToken cancellationToken)
    {
        var onAccount = await EffectivePosIntegrations.OnPosterAccountAsync(db, hook.Account, cancellationToken);
        var pointIds = onAccount.Keys.ToList();
        var candidates = (await db.PickupPoints.AsNoTracking().Where(p => pointIds.Contains(p.Id)).ToListAsync(cancellationToken))
            .Select(p => new { Point = p, onAccount[p.Id].Integration.PosterSpotId }).ToList();
        // The spot, when Poster names it; else the account's only point.
        var target = spotId is { } spot
            ? candidates.FirstOrDefault(c => c.PosterSpotId == spot)?.Point
            : candidates.Count == 1 ? candidates[0].Point : null;
        if (target is null)
        {
            return "unknown_spot";
        }

        var earlier = await db.RegisterOperations.AsNoTracking()
            .Where(r => r.PosterAccount == hook.Account && r.TransactionId == hook.ObjectId)
            .OrderBy(r => r.HappenedAt).ThenBy(r => r.ReceivedAt)
            .ToListAsync(cancellationToken);
        var known = earlier.Select(r => r.DedupKey).ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var alerted = false;
        var added = 0;
        foreach (var row in rows.OrderBy(r => r.TimeMs))
        {
            var dedupKey = DedupKey(hook, row);
            if (!known.Add(dedupKey) || await db.RegisterOperations.AnyAsync(r => r.CompanyId == target.CompanyId && r.DedupKey == dedupKey, cancellationToken))
            {
                continue;
            }

            var (risk, amount, what) = Judge(row, earlier);
            var operation = new RegisterOperation
            {
                CompanyId = target.CompanyId,
                PickupPointId = target.Id,
                PosterAccount = hook.Account,
                TransactionId = hook.ObjectId,
                TypeHistory = row.Type,
                Risk = risk?.ToString(),
                HappenedAt = row.TimeMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(row.TimeMs) : now,
                UserId = row.UserId,
                RegisterId = row.TabletId,
                Value = row.Value,
                Value2 = row.Value2,
                Value3 = row.Value3,
                ValueText = row.ValueText is { Length: > 1024 } t ? t[..1024] : row.ValueText,
                Amount = amount,
                DedupKey = dedupKey,
                ReceivedAt = now,
            };
            db.RegisterOperations.Add(operation);
            earlier.Add(operation);
            added++;

            if (risk is { } kind)
            {
                var product = row.Type is "deleteitem" or "changeitemcount" && row.Value is { } productId
                    ? await ProductNameAsync(target.CompanyId, productId, cancellationToken)
                    : null;
                var chats = await writer.AddAsync(db, target.CompanyId, target.Id, kind, l => Describe(l, kind, target, hook.ObjectId, row, amount, what, product), cancellationToken, wants: chat => PassesThresholds(chat, kind, amount, row));
                alerted |= chats > 0;
            }
        }

        if (added == 0)
        {
            return "duplicate";
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return "duplicate";
        }

        return alerted ? "alerted" : "recorded";
    }

    private static string DedupKey(PosterWebhook hook, PosterHistoryRow row)
    {
        var key = $"tx:{hook.Account}:{hook.ObjectId}:{row.Type}:{row.TimeMs}:{row.Value}:{row.Value2}:{row.Value3}";
        return key.Length > 256 ? key[..256] : key;
    }

    /// <summary>What the operation means given the check's earlier operations: its risk, the money involved and a description.</summary>
    public static (AlertKinds? Risk, decimal? Amount, Msg What) Judge(PosterHistoryRow row, IReadOnlyList<RegisterOperation> earlier)
    {
        var printed = earlier.Any(e => e.TypeHistory == "print");
        switch (row.Type)
        {
            case "delete":
                var checkSum = earlier.Where(e => e.TypeHistory == "additem").Sum(e => PriceOf(e.ValueText) ?? 0);
                return (AlertKinds.CheckDeleted, checkSum > 0 ? checkSum : null, Msg.Of("tg.reg.what.checkDeleted"));

            case "deleteitem" or "changeitemcount":
                var productId = row.Value;
                var previous = CountBefore(productId, earlier);
                var now = row.Type == "deleteitem" ? 0 : row.Value2 ?? 0;
                if (now >= previous)
                {
                    return (null, null, Msg.Of("tg.reg.what.raised"));
                }

                var sentToKitchen = earlier.Any(e => e.TypeHistory == "sendtokitchen" && e.Value == productId);
                var price = earlier.LastOrDefault(e => e.TypeHistory == "additem" && e.Value == productId) is { } added ? PriceOf(added.ValueText) : null;
                var removed = previous - now;
                var amount = price is null ? (decimal?)null : price * removed;
                var what = now == 0
                    ? Msg.Of("tg.reg.what.removed", ("count", removed.ToString("0.###", CultureInfo.InvariantCulture)))
                    : Msg.Of("tg.reg.what.lowered", ("before", previous.ToString("0.###", CultureInfo.InvariantCulture)), ("after", now.ToString("0.###", CultureInfo.InvariantCulture)));
                return printed ? (AlertKinds.RemovedAfterPrecheck, amount, what)
                    : sentToKitchen ? (AlertKinds.ItemRemovedAfterKitchen, amount, what)
                    : (null, amount, what);

            case "setclient" when row.Value2 is > 0:
                return (AlertKinds.DiscountSet, null, Msg.Of("tg.reg.what.discount", ("percent", row.Value2.Value.ToString("0.##", CultureInfo.InvariantCulture))));

            case "close":
                return (AlertKinds.CheckClosed, row.Value2 is { } total ? total / 100m : null, Msg.Of("tg.reg.what.checkClosed"));

            default:
                return (null, null, Msg.Of("tg.reg.what.other", ("type", row.Type)));
        }
    }

    private static decimal CountBefore(decimal? productId, IReadOnlyList<RegisterOperation> earlier)
    {
        var count = 0m;
        foreach (var e in earlier.Where(e => e.Value == productId))
        {
            count = e.TypeHistory switch
            {
                "additem" => count + 1,
                "changeitemcount" => e.Value2 ?? count,
                "deleteitem" => 0,
                _ => count,
            };
        }

        return count;
    }

    /// <summary>The price in <c>value_text</c> <c>{"price": kopecks}</c>, in currency units.</summary>
    private static decimal? PriceOf(string? valueText)
    {
        if (string.IsNullOrEmpty(valueText))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(valueText);
            return document.RootElement.ValueKind == JsonValueKind.Object && Number(document.RootElement, "price") is { } kopecks ? kopecks / 100m : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool PassesThresholds(TelegramChat chat, AlertKinds kind, decimal? amount, PosterHistoryRow row) => kind switch
    {
        AlertKinds.DiscountSet => chat.MinDiscountPercent is not { } minPercent || (row.Value2 ?? 0) >= minPercent,
        _ => chat.MinRegisterAmount is not { } minAmount || (amount ?? 0) >= minAmount,
    };

    private async Task<string?> ProductNameAsync(Guid companyId, decimal productId, CancellationToken cancellationToken)
    {
        var id = productId.ToString("0", CultureInfo.InvariantCulture);
        return await db.ExternalIds.AsNoTracking()
            .Where(m => m.CompanyId == companyId && m.Kind == ExternalIdKind.Product && m.ExternalId == id && m.Name != null)
            .Select(m => m.Name)
            .FirstOrDefaultAsync(cancellationToken);
    }

    private static AlertContent Describe(string l, AlertKinds kind, PickupPoint target, string check, PosterHistoryRow row, decimal? amount, Msg what, string? product)
    {
        var point = E(target.Name);
        var title = E(MessageCatalog.Texts.ContainsKey("tg.reg." + kind) ? AlertTexts.T(l, "tg.reg." + kind) : kind.ToString());
        var said = E(MessageCatalog.Render(what, l));
        var item = row.Value is { } id && row.Type is "deleteitem" or "changeitemcount"
            ? "\n" + AlertTexts.T(l, "tg.reg.item", ("product", E(product ?? AlertTexts.T(l, "tg.reg.product"))), ("id", id.ToString("0", CultureInfo.InvariantCulture)), ("what", said))
            : "\n" + said;
        var money = amount is { } a ? "\n" + AlertTexts.T(l, "tg.reg.amount", ("amount", Money(a))) : "";
        // The point's own clock: the people reading it work there.
        var at = row.TimeMs > 0
            ? TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(row.TimeMs), ReportBuilder.Zone(target)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
            : "";
        return new AlertContent(
            AlertTexts.T(l, "tg.reg.heading", ("title", title), ("point", point)) + "\n" +
            AlertTexts.T(l, "tg.reg.where", ("check", E(check)), ("register", E(row.TabletId ?? "?")), ("user", E(row.UserId ?? "?")), ("at", E(at))) + item + money)
        {
            GroupKey = $"{kind}:{target.Name}",
            GroupHeading = AlertTexts.T(l, "tg.reg.group", ("title", title), ("point", point)),
            Line = AlertTexts.T(l, "tg.reg.line", ("check", E(check)), ("user", E(row.UserId ?? "?")), ("what", product is null ? said : E(product))) + (amount is { } m ? $" — {Money(m)}" : ""),
        };
    }

    private static decimal? Number(JsonElement element, string name) => PosterHistoryRow.Number(element, name);
}
