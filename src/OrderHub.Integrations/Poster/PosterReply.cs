using System.Globalization;
using System.Text.Json;

namespace OrderHub.Integrations.Poster;

/// <summary>One Poster answer, read leniently: numbers may be strings, errors come in two shapes.</summary>
internal abstract record PosterReply
{
    public sealed record Success(JsonElement Response) : PosterReply;

    /// <summary><c>{"error":{"code":11,"message":"..."}}</c> or <c>{"error":37,"message":"..."}</c>.</summary>
    public sealed record Failure(int? Code, string? Message) : PosterReply;

    /// <summary>Not JSON, or JSON with neither <c>response</c> nor <c>error</c>.</summary>
    public sealed record Unreadable(string Why) : PosterReply;

    public static PosterReply Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new Unreadable("empty body");
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return new Unreadable("not JSON");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return new Unreadable("not a JSON object");
        }

        if (root.TryGetProperty("error", out var error) && error.ValueKind is not JsonValueKind.Null)
        {
            if (error.ValueKind == JsonValueKind.Object)
            {
                return new Failure(
                    error.TryGetProperty("code", out var code) ? ReadInt(code) : null,
                    error.TryGetProperty("message", out var nestedMessage) ? ReadString(nestedMessage) : null);
            }

            return new Failure(ReadInt(error), root.TryGetProperty("message", out var message) ? ReadString(message) : ReadString(error));
        }

        if (root.TryGetProperty("response", out var response))
        {
            return new Success(response);
        }

        return new Unreadable("neither response nor error");
    }

    public static string? ReadString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    public static long? ReadLong(JsonElement value)
    {
        var text = ReadString(value);
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
        {
            return whole;
        }

        // "1.00000" and the like.
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number == decimal.Truncate(number)
            && number is >= long.MinValue and <= long.MaxValue
            ? (long)number
            : null;
    }

    public static int? ReadInt(JsonElement value) => ReadLong(value) is { } v && v is >= int.MinValue and <= int.MaxValue ? (int)v : null;

    public static long? ReadLong(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? ReadLong(value) : null;

    public static string? ReadString(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? ReadString(value) : null;
}
