using System.Globalization;
using System.Text.Json;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Features.Fiscal.Receipts;
using OrderHub.Api.Features.Orders;
using OrderHub.Api.Features.Orders.ExportOrder;
using OrderHub.Api.Features.Orders.GetOrder;
using OrderHub.Api.Features.Tenancy.PickupPoints;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Security;
using OrderHub.Domain.History;
using OrderHub.Domain.Mappings;

namespace OrderHub.Api.ControlPanel.Orders;

/// <summary>One order's troubleshooting page: the timeline, the typed reason in plain words, a link to the fix, export buttons.</summary>
public sealed class DetailsModel(IMediator mediator, IAuthorizationService authorization, PanelText text) : PanelPageModel(mediator, authorization)
{
    public OrderDetailsDto Order { get; private set; } = null!;
    public PickupPointDto Point { get; private set; } = null!;

    /// <summary>The history row that explains the standing problem (the latest with that reason).</summary>
    public OrderActionDto? ProblemRow { get; private set; }

    /// <summary>Where to fix the problem: the missing mapping on the point's mappings screen, or the point's POS settings.</summary>
    public string? FixUrl { get; private set; }

    public bool CanExport => Order.ExportState is "AwaitingExport" or "NeedsMapping" or "Failed";

    /// <summary>The order's fiscal receipts (sale and returns), oldest first.</summary>
    public IReadOnlyList<ReceiptDto> Receipts { get; private set; } = [];

    /// <summary>A refund moves money: the API's RefundOrder endpoint needs ManageSettingsPolicy.</summary>
    public bool CanRefund { get; private set; }

    /// <summary>Cash and card orders are marked paid by an operator (online orders are paid on acceptance).</summary>
    public bool CanMarkPaid => !Order.Paid && Order.PaymentType.ToLowerInvariant() is "cash" or "card";

    /// <summary>The successful sale receipt a refund is linked to.</summary>
    public ReceiptDto? Sale => Receipts.FirstOrDefault(r => r.Kind == "Sale" && r.State == "Successful");

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => LoadAsync(async () =>
    {
        Order = await Mediator.Send(new GetOrderQuery(id), cancellationToken);
        Point = await Mediator.Send(new GetPickupPointQuery(Order.PickupPointId), cancellationToken);
        ProblemRow = Order.Problem is { } problem ? Order.History.LastOrDefault(a => a.Reason == problem) : null;
        FixUrl = Order.Problem is null ? null : FixLink(Order.Problem, ProblemRow, Order.PickupPointId);
        Receipts = await Mediator.Send(new GetOrderReceiptsQuery(id), cancellationToken);
        CanRefund = await AllowedAsync(AccessScope.ManageSettingsPolicy);
    });

    /// <summary>POST /api/orders/{id}/mark-paid: open to every role, in the acting user's name (their fiscal employee).</summary>
    public Task<IActionResult> OnPostMarkPaidAsync(Guid id, string? paymentType, string? buyerName, string? buyerTaxId, CancellationToken cancellationToken) =>
        ChangeAsync(null, async () =>
        {
            var result = await Mediator.Send(new MarkOrderPaidCommand
            {
                OrderId = id, UserName = User.Identity?.Name, Actor = User.Actor(),
                PaymentType = Blank(paymentType), BuyerName = Blank(buyerName), BuyerTaxId = Blank(buyerTaxId),
            }, cancellationToken);
            var notice = result.Receipt is { } receipt ? text.Format("receipts.paidQueued", text["receiptState." + receipt.State]) : text["receipts.paidNoReceipt"];
            return string.Join(" ", [notice, .. result.Warnings]);
        }, () => Redirect($"/panel/orders/{id}#receipts"));

    /// <summary>POST /api/receipts/{id}/retry: the same receipt id again, open to every role.</summary>
    public Task<IActionResult> OnPostRetryAsync(Guid id, Guid receiptId, CancellationToken cancellationToken) =>
        ChangeAsync(null, async () =>
        {
            var receipt = await Mediator.Send(new RetryReceiptCommand(receiptId, User.Identity?.Name, User.Actor()), cancellationToken);
            return text.Format("receipts.retried", text["receiptState." + receipt.State]);
        }, () => Redirect($"/panel/orders/{id}#receipts"));

    /// <summary>POST /api/receipts/{id}/mark-found (ManageSettingsPolicy): an Unclear receipt is in the cabinet, with this fiscal number.</summary>
    public Task<IActionResult> OnPostMarkFoundAsync(Guid id, Guid receiptId, string? fiscalCode, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            var receipt = await Mediator.Send(new MarkReceiptFoundCommand { ReceiptId = receiptId, FiscalCode = Blank(fiscalCode), Actor = User.Actor() }, cancellationToken);
            return text.Format("receipts.markedFound", receipt.FiscalCode ?? "");
        }, () => Redirect($"/panel/orders/{id}#receipts"));

    /// <summary>POST /api/receipts/{id}/send-again (ManageSettingsPolicy): an Unclear receipt is not in the cabinet.</summary>
    public Task<IActionResult> OnPostSendAgainAsync(Guid id, Guid receiptId, bool confirmed, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            if (!confirmed)
            {
                throw ProblemException.Invalid("confirmed", text["receipts.sendAgainConfirm"]);
            }

            var receipt = await Mediator.Send(new SendReceiptAgainCommand(receiptId, User.Actor()), cancellationToken);
            return text.Format("receipts.sentAgain", text["receiptState." + receipt.State]);
        }, () => Redirect($"/panel/orders/{id}#receipts"));

    /// <summary>
    /// POST /api/orders/{id}/refunds (ManageSettingsPolicy): everything left, or the goods whose quantity field
    /// (<c>qty-INDEX</c>) is filled in.
    /// </summary>
    public Task<IActionResult> OnPostRefundAsync(Guid id, string? reason, CancellationToken cancellationToken) =>
        ChangeAsync(AccessScope.ManageSettingsPolicy, async () =>
        {
            var lines = new List<RefundLine>();
            foreach (var (key, value) in Request.Form)
            {
                if (!key.StartsWith("qty-", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(value)
                    || !int.TryParse(key.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    continue;
                }

                var raw = value.ToString().Trim().Replace(',', '.');
                if (!decimal.TryParse(raw, NumberStyles.Number, CultureInfo.InvariantCulture, out var quantity))
                {
                    throw ProblemException.Invalid("lines", text.Format("receipts.badQuantity", raw));
                }

                lines.Add(new RefundLine(index, quantity));
            }

            var receipt = await Mediator.Send(new RefundOrderCommand
            {
                OrderId = id, UserName = User.Identity?.Name, Actor = User.Actor(),
                Lines = lines.Count == 0 ? null : lines.OrderBy(l => l.Index).ToList(), Reason = Blank(reason),
            }, cancellationToken);
            return text.Format("receipts.refunded", receipt.Total.ToString("0.00", CultureInfo.CurrentCulture));
        }, () => Redirect($"/panel/orders/{id}#receipts"));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public Task<IActionResult> OnPostExportAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(null, async () =>
        {
            var result = await Mediator.Send(new ExportOrderCommand(id, User.Actor()), cancellationToken);
            return text.Format("order.exported", text["state." + result.ExportState]);
        });

    public Task<IActionResult> OnPostReexportAsync(Guid id, string? reason, CancellationToken cancellationToken) =>
        ChangeAsync(null, async () =>
        {
            var result = await Mediator.Send(new ExportOrderCommand(id, User.Actor(), Force: true, Reason: reason), cancellationToken);
            return text.Format("order.exported", text["state." + result.ExportState]);
        });

    /// <summary>A failed or unclear receipt's error and hint in the panel's language (<see cref="ReceiptProblemText"/>).</summary>
    public (string? Error, string? Hint) ReceiptProblem(ReceiptDto receipt) =>
        ReceiptProblemText.Of(receipt.Id, receipt.Error, receipt.FixHint,
            Order.History.Select(a => new ReceiptProblemRow(a.Id, a.At, a.MessageKey, a.MessageArgs, a.FixHintKey, a.FixHintArgs)),
            Messages.MessageCatalog.CurrentLanguage);

    /// <summary>
    /// The screen that fixes a failed receipt, as the problem box's "fix it here" does for an export: the point's
    /// cashiers when the hint is about who issues it (a user not linked, no fiscal number, no cashier), else its fiscal connection.
    /// </summary>
    public string ReceiptFixUrl(ReceiptDto receipt)
    {
        var row = ReceiptProblemText.RowOf(receipt.Id, Order.History.Select(a => new ReceiptProblemRow(a.Id, a.At, a.MessageKey, a.MessageArgs, a.FixHintKey, a.FixHintArgs)));
        var tab = row?.FixHintKey is "hint.fiscal.linkYourUser" or "hint.fiscal.enterFiscalNumber" or "hint.fiscal.noCashier" ? "employees" : "fiscal";
        return Hierarchy.PointModel.TabUrl(Order.PickupPointId, tab);
    }

    /// <summary>The exact screen that fixes <paramref name="problem"/>.</summary>
    public static string? FixLink(string problem, OrderActionDto? row, Guid pointId)
    {
        if (!Enum.TryParse<FailureReason>(problem, out var reason))
        {
            return null;
        }

        switch (reason)
        {
            case FailureReason.MissingExternalId when row?.Details is { } details:
                using (var json = JsonDocument.Parse(details))
                {
                    var root = json.RootElement;
                    var kind = root.TryGetProperty("kind", out var k)
                        ? k.ValueKind == JsonValueKind.Number ? ((ExternalIdKind)k.GetInt32()).ToString() : k.GetString()
                        : null;
                    var dotsId = root.TryGetProperty("dotsId", out var d) ? d.GetString() : null;
                    return $"/panel/points/{pointId}/mappings" + QueryString.Create(new Dictionary<string, string?> { ["kind"] = kind, ["dotsId"] = dotsId })
                        .ToUriComponent() + "#fix";
                }
            case FailureReason.MissingExternalId or FailureReason.PosProductNotFound or FailureReason.PosModificationNotFound:
                return $"/panel/points/{pointId}/mappings";
            case FailureReason.NoPosIntegration or FailureReason.PosIntegrationDisabled or FailureReason.PosAuthRejected
                or FailureReason.PosSpotNotFound or FailureReason.PosGone or FailureReason.PosUnreachable or FailureReason.PosCurrencyMismatch:
                return $"/panel/points/{pointId}?tab=pos";
            case FailureReason.UnknownPickupPoint:
                return "/panel/unrouted";
            default:
                return null;
        }
    }

    /// <summary>The request and response excerpts and the other facts of an attempt's details.</summary>
    public static IReadOnlyList<(string Key, string Value)> DetailFacts(string? details)
    {
        if (details is null)
        {
            return [];
        }

        using var json = JsonDocument.Parse(details);
        if (json.RootElement.ValueKind != JsonValueKind.Object)
        {
            return [("details", details)];
        }

        // A retry row wraps the attempt's details ({ details, nextAttemptAt }): show them as one flat list. A fiscal
        // attempt's notes that carry keys (noteKeys) read in the panel's language instead of their stored English.
        var properties = json.RootElement.EnumerateObject()
            .SelectMany<JsonProperty, JsonProperty>(p => p.Name == "details" && p.Value.ValueKind == JsonValueKind.Object ? p.Value.EnumerateObject() : [p])
            .Where(p => p.Value.ValueKind is not JsonValueKind.Null)
            .ToList();
        var noteKeys = properties.FirstOrDefault(p => p.Name == "noteKeys");
        var notes = noteKeys.Value.ValueKind == JsonValueKind.Array ? Notes(noteKeys.Value) : null;
        return properties
            .Where(p => p.Name != "noteKeys" && !(notes is not null && p.Name == "notes"))
            .Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.String ? Readable(p.Value.GetString()!) : Readable(p.Value.GetRawText())))
            .Concat(notes is { Count: > 0 } ? [("notes", string.Join("\n", notes))] : [])
            .ToList();
    }

    private static List<string>? Notes(JsonElement keys)
    {
        var language = Messages.MessageCatalog.CurrentLanguage;
        var notes = new List<string>();
        foreach (var note in keys.EnumerateArray())
        {
            if (note.TryGetProperty("key", out var key) && key.GetString() is { } name && note.TryGetProperty("args", out var args))
            {
                notes.Add(Messages.MessageCatalog.Render(name, args.GetRawText(), name, language));
            }
        }

        return notes;
    }

    private static readonly JsonSerializerOptions PrettyJson = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// A request or response excerpt as a person reads it: JSON pretty-printed with real Cyrillic and quotes; a cut
    /// excerpt that no longer parses has its <c>\uXXXX</c> escapes decoded. Shown as text (HTML-encoded by Razor).
    /// </summary>
    public static string Readable(string value)
    {
        var trimmed = value.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                using var parsed = JsonDocument.Parse(value);
                return JsonSerializer.Serialize(parsed.RootElement, PrettyJson);
            }
            catch (JsonException)
            {
                // A cut excerpt: decode the escapes below.
            }
        }

        return System.Text.RegularExpressions.Regex.Replace(value, @"\\u([0-9a-fA-F]{4})",
            m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString());
    }
}
