using OrderHub.Domain.Alerts;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.History;
using OrderHub.Domain.Inbound;
using static OrderHub.Api.Alerts.Html;

namespace OrderHub.Api.Alerts;

/// <summary>The words of every alert. Values from orders, points and outside systems are always escaped.</summary>
public static class AlertTexts
{
    public static AlertContent ForOrder(AlertKinds kind, OrderInfo order, string point, IReadOnlyList<OrderAction> rows, string? link, FiscalReceipt? receipt = null)
    {
        var first = rows[0];
        var number = E(order.Number);
        var at = E(point);
        var open = link is null ? "" : "\n" + Link(link, "Open the order");
        switch (kind)
        {
            case AlertKinds.ExportFailed:
                var reason = first.Reason?.ToString() ?? "PosRejected";
                return new AlertContent(
                    $"🔴 <b>Order #{number} did not reach the POS</b> at <b>{at}</b>\n" +
                    $"Reason: <b>{E(reason)}</b> — {E(first.Message)}\n" +
                    (first.FixHint is null ? "" : $"Fix: {E(first.FixHint)}") + open)
                {
                    GroupKey = $"{kind}:{order.PickupPointId:N}",
                    GroupHeading = $"🔴 <b>{{count}} orders failed at {at}</b>",
                    Line = $"• #{number}: {E(reason)}" + (link is null ? "" : " " + Link(link, "open")),
                };

            case AlertKinds.NeedsMapping:
                var items = rows.Select(r => "• " + E(r.Message)).ToList();
                return new AlertContent(
                    $"🟠 <b>Order #{number} needs mapping</b> at <b>{at}</b>: {rows.Count} item(s) without an external ID\n" +
                    string.Join("\n", items) +
                    (first.FixHint is null ? "" : $"\nFix: {E(first.FixHint)}") + open)
                {
                    GroupKey = $"{kind}:{order.PickupPointId:N}",
                    GroupHeading = $"🟠 <b>{{count}} orders need mapping at {at}</b>",
                    Line = $"• #{number}: {rows.Count} item(s) missing",
                };

            case AlertKinds.ChangedAfterExport:
                return new AlertContent(
                    $"🟡 <b>Order #{number} changed in Dots after it reached the POS</b> at <b>{at}</b>\n" +
                    $"{E(first.Message)}\n" +
                    (first.FixHint is null ? "" : $"Action at the register: {E(first.FixHint)}") + open)
                {
                    GroupKey = $"{kind}:{order.PickupPointId:N}",
                    GroupHeading = $"🟡 <b>{{count}} orders changed after export at {at}</b>: the register must act",
                    Line = $"• #{number}: now {E(order.DotsStatus)}",
                };

            case AlertKinds.FiscalReceiptFailed:
                var why = first.Reason?.ToString() ?? "FiscalRejected";
                var unclear = receipt?.State == FiscalReceiptState.Unclear;
                return new AlertContent(
                    (unclear
                        ? $"🧾 <b>Fiscal receipt unclear</b> for order #{number} at <b>{at}</b>: it may have been fiscalized, so it is not sent again by itself\n"
                        : $"🧾 <b>Fiscal receipt failed</b> for order #{number} at <b>{at}</b>\n") +
                    (receipt is null ? "" : $"Receipt: {ReceiptName(receipt)} <code>{receipt.Id}</code> ({E(receipt.Provider.ToString())}, {Money(receipt.Total)})\n") +
                    $"Reason: <b>{E(why)}</b> — {E(receipt?.Error ?? first.Message)}" +
                    (first.FixHint is null ? "" : $"\nFix: {E(first.FixHint)}") + open)
                {
                    GroupKey = $"{kind}:{order.PickupPointId:N}",
                    GroupHeading = $"🧾 <b>{{count}} fiscal receipts failed at {at}</b>",
                    Line = $"• #{number}: {E(why)} — {E(receipt?.Error ?? first.Message)}" + (link is null ? "" : " " + Link(link, "open")),
                };

            case AlertKinds.RefundIssued:
                // No GroupKey: one alert per return receipt, each with its fiscal number and cashier. The day
                // report's "Refunds" line is where they add up.
                var amount = receipt is null ? "" : $": <b>{Money(receipt.Total)}</b>";
                return new AlertContent(
                    $"↩️ <b>Refund issued</b> for order #{number} at <b>{at}</b>{amount}\n" +
                    (receipt is null
                        ? E(first.Message)
                        : $"Return receipt <code>{receipt.Id}</code> ({E(receipt.Provider.ToString())}), fiscal number <code>{E(receipt.FiscalCode)}</code>" +
                          (receipt.CashierName is null ? "" : $", cashier {E(receipt.CashierName)}")) + open);
            default:
                return new AlertContent($"<b>{E(kind.ToString())}</b>: order #{number} at <b>{at}</b>\n{E(first.Message)}" + open);
        }
    }

    public static AlertContent Unrouted(string company, InboundEvent? inbound, OrderAction row) =>
        new($"❓ <b>An order for an unknown pickup point</b> ({E(company)})\n{E(row.Message)}" +
            (inbound?.DotsAddressId is { } address ? $"\ncompanyAddressId: <code>{E(address)}</code>" : "") +
            (row.FixHint is null ? "" : $"\nFix: {E(row.FixHint)}"))
        {
            GroupKey = "UnroutedEvent",
            GroupHeading = $"❓ <b>{{count}} orders for unknown pickup points</b> ({E(company)})",
            Line = "• " + E(row.Message),
        };

    public static AlertContent WaitingTooLong(string point, string number, TimeSpan waited, Guid pickupPointId, string? link) =>
        new($"⏳ <b>Order #{E(number)} has waited {Minutes(waited)} for export</b> at <b>{E(point)}</b>\n" +
            "Nobody exported it yet: export it, or switch on auto-sync for the point." +
            (link is null ? "" : "\n" + Link(link, "Open the order")))
        {
            GroupKey = $"{AlertKinds.WaitingTooLong}:{pickupPointId:N}",
            GroupHeading = $"⏳ <b>{{count}} orders waiting for export at {E(point)}</b>",
            Line = $"• #{E(number)}: {Minutes(waited)}",
        };

    public static AlertContent UnacceptedAtPos(string point, string number, TimeSpan waited, Guid pickupPointId, string? link) =>
        new($"⏳ <b>Order #{E(number)} has not been accepted at the POS for {Minutes(waited)}</b> at <b>{E(point)}</b>\n" +
            "The register received it but no cashier accepted it: check the register at the point." +
            (link is null ? "" : "\n" + Link(link, "Open the order")))
        {
            GroupKey = $"{AlertKinds.WaitingTooLong}:pos:{pickupPointId:N}",
            GroupHeading = $"⏳ <b>{{count}} orders not accepted at the POS at {E(point)}</b>",
            Line = $"• #{E(number)}: {Minutes(waited)}",
        };

    public static AlertContent Circuit(bool opened, string point, string target) => opened
        ? new AlertContent($"🚨 <b>The POS at {E(point)} stopped answering</b> ({E(target)})\nOrders wait in the queue and are sent once it answers again.")
        : new AlertContent($"✅ <b>The POS at {E(point)} answers again</b> ({E(target)})\nQueued orders are being sent.");

    private static string ReceiptName(FiscalReceipt receipt) => receipt.Kind == FiscalReceiptKind.Return ? "return" : "sale";

    private static string Minutes(TimeSpan span) => span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min" : $"{(int)span.TotalMinutes} min";
}
