using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;

namespace OrderHub.Api.Features.Fiscal.Receipts;

/// <summary>The history row that recorded a receipt's failure: its message and hint as data.</summary>
public sealed record ReceiptProblemRow(long Id, DateTimeOffset At, string? MessageKey, string? MessageArgs, string? FixHintKey, string? FixHintArgs);

/// <summary>
/// A failed or unclear receipt's error and hint in the reader's language. The receipt keeps its English; the
/// history row that recorded it has them as data (its <c>detail</c> or <c>failure</c> argument and its hint).
/// </summary>
public static class ReceiptProblemText
{
    private static readonly string[] Keys = ["fiscal.notIssued", "fiscal.unclear", "fiscal.receiptFailed"];

    /// <summary>The rows of <paramref name="orderIds"/> that may name a receipt's failure.</summary>
    public static async Task<List<(Guid OrderId, ReceiptProblemRow Row)>> RowsAsync(OrderHubDbContext db, IReadOnlyCollection<Guid> orderIds, CancellationToken cancellationToken) =>
        (await db.OrderActions.AsNoTracking()
            .Where(a => a.OrderId != null && orderIds.Contains(a.OrderId.Value) && a.MessageKey != null && Keys.Contains(a.MessageKey))
            .Select(a => new { OrderId = a.OrderId!.Value, Row = new ReceiptProblemRow(a.Id, a.At, a.MessageKey, a.MessageArgs, a.FixHintKey, a.FixHintArgs) })
            .ToListAsync(cancellationToken))
        .Select(x => (x.OrderId, x.Row)).ToList();

    /// <summary>The history row that recorded the receipt's latest failure, or null.</summary>
    public static ReceiptProblemRow? RowOf(Guid receiptId, IEnumerable<ReceiptProblemRow> rows) => rows
        .Where(a => a.MessageKey is { } key && Keys.Contains(key)
                    && a.MessageArgs is { } args && args.Contains(receiptId.ToString(), StringComparison.OrdinalIgnoreCase))
        .OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
        .FirstOrDefault();

    public static (string? Error, string? Hint) Of(Guid receiptId, string? error, string? hint, IEnumerable<ReceiptProblemRow> rows, string language)
    {
        if (error is null && hint is null)
        {
            return (null, null);
        }

        var row = RowOf(receiptId, rows);
        if (row is null)
        {
            return (error, hint);
        }

        var rendered = error is null ? null : MessageCatalog.RenderArgument(row.MessageKey, row.MessageArgs, row.MessageKey == "fiscal.receiptFailed" ? "failure" : "detail", language);
        var hintText = hint is null ? null : MessageCatalog.Render(row.FixHintKey, row.FixHintArgs, hint, language);
        return (rendered ?? error, hintText);
    }

    /// <summary>The receipts as the API returns them, their error and hint in <paramref name="language"/>.</summary>
    public static async Task<List<ReceiptDto>> InLanguageAsync(OrderHubDbContext db, IReadOnlyList<ReceiptDto> receipts, string language, CancellationToken cancellationToken)
    {
        var failed = receipts.Where(r => r.Error is not null || r.FixHint is not null).ToList();
        if (failed.Count == 0)
        {
            return [.. receipts];
        }

        var rows = await RowsAsync(db, failed.Select(r => r.OrderId).Distinct().ToList(), cancellationToken);
        return receipts.Select(r =>
        {
            if (r.Error is null && r.FixHint is null)
            {
                return r;
            }

            var (error, hint) = Of(r.Id, r.Error, r.FixHint, rows.Where(x => x.OrderId == r.OrderId).Select(x => x.Row), language);
            return r with { Error = error, FixHint = hint };
        }).ToList();
    }
}
