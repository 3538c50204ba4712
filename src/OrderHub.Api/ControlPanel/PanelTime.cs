using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Options;

namespace OrderHub.Api.ControlPanel;

/// <summary>
/// Times as the panel shows them: in <see cref="PanelOptions.TimeZone"/>, as a <c>&lt;time&gt;</c> element that
/// carries the exact instant (and UTC in its tooltip), so support can match a line to logs and API answers.
/// </summary>
public sealed class PanelTime
{
    public PanelTime(IOptions<PanelOptions> options)
    {
        // Only the default can be unknown here (the options check refuses any other): no tzdata on this machine.
        var known = TimeZoneInfo.TryFindSystemTimeZoneById(options.Value.TimeZone, out var zone);
        Zone = known ? zone! : TimeZoneInfo.Utc;
        ZoneId = known ? options.Value.TimeZone : "UTC";
    }

    public string ZoneId { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>The wall-clock time in the panel's zone.</summary>
    public DateTime Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone).DateTime;

    public const string Minutes = "yyyy-MM-dd HH:mm";
    public const string Seconds = "yyyy-MM-dd HH:mm:ss";

    public string Text(DateTimeOffset at, string format = Minutes) => Local(at).ToString(format, CultureInfo.InvariantCulture);

    public IHtmlContent Tag(DateTimeOffset at, string format = Minutes)
    {
        var utc = at.ToUniversalTime();
        return new HtmlString(
            $"<time datetime=\"{utc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}\" " +
            $"title=\"{utc.ToString(Seconds, CultureInfo.InvariantCulture)} UTC\">{WebUtility.HtmlEncode(Text(at, format))}</time>");
    }

    /// <summary>
    /// A wall-clock time typed in the panel (a <c>datetime-local</c> input) as an instant. A time the clocks skip
    /// when they go forward is read at the offset before the jump (03:30 becomes 04:30), and a time they repeat
    /// when they go back as its first occurrence.
    /// </summary>
    public DateTimeOffset FromLocal(DateTime local)
    {
        var wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var offset = Zone.IsInvalidTime(wall) ? Zone.BaseUtcOffset
            : Zone.IsAmbiguousTime(wall) ? Zone.GetAmbiguousTimeOffsets(wall).Max()
            : Zone.GetUtcOffset(wall);
        return new DateTimeOffset(wall, offset);
    }

    /// <summary>Whether <paramref name="id"/> names a time zone known on this machine (checked at start).</summary>
    public static bool IsKnown(string? id) => id is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}
