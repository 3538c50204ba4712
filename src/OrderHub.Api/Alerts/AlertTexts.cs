using OrderHub.Api.Messages;
using OrderHub.Domain.Alerts;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.History;
using OrderHub.Domain.Inbound;
using static OrderHub.Api.Alerts.Html;

namespace OrderHub.Api.Alerts;

/// <summary>
/// The words of every alert, in the chat's language (<see cref="TelegramChat.Language"/>): catalog keys
/// (<c>tg.*</c>) whose templates carry the Telegram HTML, and history rows rendered from their own keys. Values from
/// orders, points and outside systems are always escaped before they go into a template.
/// </summary>
public static class AlertTexts
{
    /// <summary>A <c>tg.*</c> template in <paramref name="language"/>; every argument must already be escaped HTML.</summary>
    public static string T(string language, string key, params (string Name, object? Value)[] args) => MessageCatalog.Render(Msg.Of(key, args), language);

    /// <summary>A history row's message in <paramref name="language"/> (its stored English when it has no key).</summary>
    public static string MessageOf(OrderAction row, string language) => MessageCatalog.Render(row.MessageKey, row.MessageArgs, row.Message, language);

    /// <summary>A history row's fix hint in <paramref name="language"/>, or null.</summary>
    public static string? HintOf(OrderAction row, string language) =>
        row.FixHint is null && row.FixHintKey is null ? null : MessageCatalog.Render(row.FixHintKey, row.FixHintArgs, row.FixHint ?? "", language);

    /// <summary>A failure reason in plain words (<c>tg.reason.*</c>, as the panel words them), else its name.</summary>
    public static string ReasonOf(string reason, string language) =>
        MessageCatalog.Texts.ContainsKey("tg.reason." + reason) ? T(language, "tg.reason." + reason) : reason;

    public static AlertContent ForOrder(string l, AlertKinds kind, OrderInfo order, string point, IReadOnlyList<OrderAction> rows, string? link, FiscalReceipt? receipt = null)
    {
        var first = rows[0];
        var number = E(order.Number);
        var at = E(point);
        var open = link is null ? "" : "\n" + Link(link, T(l, "tg.open"));
        var openShort = link is null ? "" : " " + Link(link, T(l, "tg.openShort"));
        var message = E(MessageOf(first, l));
        var hint = HintOf(first, l) is { } h ? E(h) : null;
        switch (kind)
        {
            case AlertKinds.ExportFailed:
                var reason = E(ReasonOf(first.Reason?.ToString() ?? "PosRejected", l));
                return new AlertContent(
                    T(l, "tg.exportFailed", ("number", number), ("point", at)) + "\n" +
                    T(l, "tg.reason", ("reason", reason), ("message", message)) + "\n" +
                    (hint is null ? "" : T(l, "tg.fix", ("hint", hint))) + open)
                {
                    GroupKey = $"{kind}:{order.PickupPointId:N}",
                    GroupHeading = T(l, "tg.exportFailed.group", ("point", at)),
                    Line = $"• #{number}: {reason}" + openShort,
                };

            case AlertKinds.NeedsMapping:
                var items = rows.Select(r => "• " + E(MessageOf(r, l))).ToList();
                return new AlertContent(
                    T(l, "tg.needsMapping", ("number", number), ("point", at), ("items", rows.Count)) + "\n" +
                    string.Join("\n", items) +
                    (hint is null ? "" : "\n" + T(l, "tg.fix", ("hint", hint))) + open)
                {
                    GroupKey = $"{kind}:{order.PickupPointId:N}",
                    GroupHeading = T(l, "tg.needsMapping.group", ("point", at)),
                    Line = T(l, "tg.needsMapping.line", ("number", number), ("items", rows.Count)),
                };

            case AlertKinds.ChangedAfterExport:
                return new AlertContent(
                    T(l, "tg.changed", ("number", number), ("point", at)) + "\n" +
                    message + "\n" +
                    (hint is null ? "" : T(l, "tg.changed.action", ("hint", hint))) + open)
                {
                    GroupKey = $"{kind}:{order.PickupPointId:N}",
                    GroupHeading = T(l, "tg.changed.group", ("point", at)),
                    Line = T(l, "tg.changed.line", ("number", number), ("status", E(order.DotsStatus))),
                };

            case AlertKinds.FiscalReceiptFailed:
                var why = E(ReasonOf(first.Reason?.ToString() ?? "FiscalRejected", l));
                var unclear = receipt?.State == FiscalReceiptState.Unclear;
                // The row's own words (its key) rather than the receipt's stored English error.
                var error = first.MessageKey is null && receipt?.Error is { } stored ? E(stored) : message;
                return new AlertContent(
                    T(l, unclear ? "tg.fiscalUnclear" : "tg.fiscalFailed", ("number", number), ("point", at)) + "\n" +
                    (receipt is null ? "" : T(l, "tg.receipt", ("kind", T(l, ReceiptName(receipt))), ("id", receipt.Id), ("provider", E(receipt.Provider.ToString())), ("total", Money(receipt.Total))) + "\n") +
                    T(l, "tg.reason", ("reason", why), ("message", error)) +
                    (hint is null ? "" : "\n" + T(l, "tg.fix", ("hint", hint))) + open)
                {
                    GroupKey = $"{kind}:{order.PickupPointId:N}",
                    GroupHeading = T(l, "tg.fiscalFailed.group", ("point", at)),
                    Line = $"• #{number}: {why} — {error}" + openShort,
                };

            case AlertKinds.RefundIssued:
                // No GroupKey: one alert per return receipt, each with its fiscal number and cashier. The day
                // report's "Refunds" line is where they add up.
                var amount = receipt is null ? "" : $": <b>{Money(receipt.Total)}</b>";
                return new AlertContent(
                    T(l, "tg.refund", ("number", number), ("point", at), ("amount", amount)) + "\n" +
                    (receipt is null
                        ? message
                        : T(l, "tg.refund.receipt", ("id", receipt.Id), ("provider", E(receipt.Provider.ToString())), ("fiscalCode", E(receipt.FiscalCode))) +
                          (receipt.CashierName is null ? "" : T(l, "tg.refund.cashier", ("cashier", E(receipt.CashierName))))) + open);
            default:
                return new AlertContent(T(l, "tg.other", ("kind", E(kind.ToString())), ("number", number), ("point", at)) + "\n" + message + open);
        }
    }

    public static AlertContent Unrouted(string l, string company, InboundEvent? inbound, OrderAction row) =>
        new(T(l, "tg.unrouted", ("company", E(company))) + "\n" + E(MessageOf(row, l)) +
            (inbound?.DotsAddressId is { } address ? $"\ncompanyAddressId: <code>{E(address)}</code>" : "") +
            (HintOf(row, l) is { } hint ? "\n" + T(l, "tg.fix", ("hint", E(hint))) : ""))
        {
            GroupKey = "UnroutedEvent",
            GroupHeading = T(l, "tg.unrouted.group", ("company", E(company))),
            Line = "• " + E(MessageOf(row, l)),
        };

    public static AlertContent WaitingTooLong(string l, string point, string number, TimeSpan waited, Guid pickupPointId, string? link) =>
        new(T(l, "tg.waiting", ("number", E(number)), ("waited", Minutes(l, waited)), ("point", E(point))) + "\n" +
            T(l, "tg.waiting.detail") +
            (link is null ? "" : "\n" + Link(link, T(l, "tg.open"))))
        {
            GroupKey = $"{AlertKinds.WaitingTooLong}:{pickupPointId:N}",
            GroupHeading = T(l, "tg.waiting.group", ("point", E(point))),
            Line = $"• #{E(number)}: {Minutes(l, waited)}",
        };

    public static AlertContent UnacceptedAtPos(string l, string point, string number, TimeSpan waited, Guid pickupPointId, string? link) =>
        new(T(l, "tg.unaccepted", ("number", E(number)), ("waited", Minutes(l, waited)), ("point", E(point))) + "\n" +
            T(l, "tg.unaccepted.detail") +
            (link is null ? "" : "\n" + Link(link, T(l, "tg.open"))))
        {
            GroupKey = $"{AlertKinds.WaitingTooLong}:pos:{pickupPointId:N}",
            GroupHeading = T(l, "tg.unaccepted.group", ("point", E(point))),
            Line = $"• #{E(number)}: {Minutes(l, waited)}",
        };

    public static AlertContent Circuit(string l, bool opened, string point, string target) => opened
        ? new AlertContent(T(l, "tg.circuitOpened", ("point", E(point)), ("target", E(target))))
        : new AlertContent(T(l, "tg.circuitClosed", ("point", E(point)), ("target", E(target))));

    private static string ReceiptName(FiscalReceipt receipt) => receipt.Kind == FiscalReceiptKind.Return ? "tg.receipt.return" : "tg.receipt.sale";

    private static string Minutes(string l, TimeSpan span) => span.TotalHours >= 1
        ? T(l, "tg.hoursMinutes", ("hours", (int)span.TotalHours), ("minutes", span.Minutes))
        : T(l, "tg.minutes", ("minutes", (int)span.TotalMinutes));
}
