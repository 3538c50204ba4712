using System.Globalization;
using System.Text.Json;

namespace OrderHub.Integrations.Poster;

/// <summary>One row of a Poster check's history (<c>transactions_history</c>): a register operation.</summary>
public sealed record PosterHistoryRow(string Type, long TimeMs, decimal? Value, decimal? Value2, decimal? Value3, string? ValueText, string? UserId, string? TabletId, long? SpotId)
{
    /// <summary>A history row from Poster's JSON (numbers as numbers or strings); null without <c>type_history</c>.</summary>
    public static PosterHistoryRow? From(JsonElement history, long? spotId)
    {
        if (history.ValueKind != JsonValueKind.Object || Text(history, "type_history") is not { Length: > 0 } type)
        {
            return null;
        }

        var spot = spotId ?? (Number(history, "spot_id") is { } s ? (long)s : null);
        return new PosterHistoryRow(type, (long)(Number(history, "time") ?? 0), Number(history, "value"), Number(history, "value2"), Number(history, "value3"),
            Text(history, "value_text"), Text(history, "user_id"), Text(history, "spot_tablet_id"), spot);
    }

    /// <summary>The row a <c>transaction</c> webhook carries in <c>data</c>; null when it carries none.</summary>
    public static PosterHistoryRow? FromWebhookData(string? data)
    {
        if (string.IsNullOrEmpty(data))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(data);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var history = root.TryGetProperty("transactions_history", out var h) ? h : root;
            if (history.ValueKind == JsonValueKind.Array)
            {
                history = history.EnumerateArray().FirstOrDefault();
            }

            return From(history, Number(root, "spot_id") is { } spot ? (long)spot : null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Poster sends numbers as strings or numbers; both read as text.</summary>
    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>A number Poster sent as a number or a string.</summary>
    public static decimal? Number(JsonElement element, string name) =>
        Text(element, name) is { } text && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? number : null;
}

/// <summary>A check read back from Poster: its spot and its history.</summary>
public sealed record PosterTransactionHistory(Pos.PosPushResult Result, long? SpotId, IReadOnlyList<PosterHistoryRow> Rows);
