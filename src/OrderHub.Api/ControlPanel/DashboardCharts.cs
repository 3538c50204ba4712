using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;
using OrderHub.Api.Features.Dashboard;
using OrderHub.Domain.Orders;

namespace OrderHub.Api.ControlPanel;

/// <summary>
/// The dashboard's charts as inline SVG written on the server: no script, no front-end build, scaled to the card's
/// width by the viewBox. Every bar and point is a link to the order list filtered to what it counts, and carries a
/// &lt;title&gt; (its tooltip and its accessible name).
/// </summary>
public sealed class DashboardCharts(PanelText text, PanelTime time)
{
    /// <summary>The states stacked from the bottom, and their colours.</summary>
    public static readonly (ExportState State, string Colour)[] Stack =
    [
        (ExportState.Exported, "#12b76a"),
        (ExportState.Queued, "#1f6feb"),
        (ExportState.Received, "#84adff"),
        (ExportState.AwaitingExport, "#f79009"),
        (ExportState.NeedsMapping, "#d444f1"),
        (ExportState.Failed, "#d92d20"),
        (ExportState.Cancelled, "#98a2b3"),
        (ExportState.Shadowed, "#7a5af8"), // shadow mode (issue 18)
    ];

    private const int Width = 480;
    private const int Height = 200;
    private const int Left = 34;
    private const int Bottom = 22;
    private const int Top = 8;

    /// <summary>The order list for the orders received in [from, to), optionally in one state and at one point.</summary>
    public string OrdersLink(DateTimeOffset? from, DateTimeOffset? to, string? state = null, Guid? point = null, bool? held = null)
    {
        var query = new List<string>();
        if (held is { } h)
        {
            query.Add("held=" + (h ? "true" : "false"));
        }

        if (point is { } p)
        {
            query.Add("point=" + p);
        }

        if (state is not null)
        {
            query.Add("state=" + state);
        }

        if (from is { } f)
        {
            query.Add("from=" + Uri.EscapeDataString(time.Local(f).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)));
        }

        if (to is { } t)
        {
            query.Add("to=" + Uri.EscapeDataString(time.Local(t).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture)));
        }

        return "/panel/orders" + (query.Count == 0 ? "" : "?" + string.Join("&", query));
    }

    /// <summary>Orders per hour, stacked by the state they stand in now.</summary>
    public IHtmlContent OrdersPerHour(DashboardDto dashboard)
    {
        var hours = dashboard.Hours;
        var max = Math.Max(1, hours.Max(h => h.Total));
        var scaleMax = NiceCeiling(max);
        var plotWidth = Width - Left - 4;
        var plotHeight = Height - Top - Bottom;
        var slot = (double)plotWidth / hours.Count;
        var barWidth = Math.Max(1, slot * 0.8);
        var svg = Start("chart-orders", text["dashboard.ordersChart"]);
        Axis(svg, scaleMax, plotHeight, v => v.ToString(CultureInfo.InvariantCulture));
        for (var i = 0; i < hours.Count; i++)
        {
            var hour = hours[i];
            var x = Left + i * slot + (slot - barWidth) / 2;
            double y = Top + plotHeight;
            foreach (var (state, colour) in Stack)
            {
                var count = hour.ByState.GetValueOrDefault(state);
                if (count == 0)
                {
                    continue;
                }

                var h = plotHeight * count / (double)scaleMax;
                y -= h;
                var label = $"{time.Text(hour.From)}–{time.Local(hour.From.AddHours(1)):HH:mm} · {text["state." + state]}: {count}";
                svg.Append(CultureInfo.InvariantCulture,
                    $"<a href=\"{Attr(OrdersLink(hour.From, hour.From.AddHours(1), state.ToString()))}\" data-testid=\"bar\" data-state=\"{state}\" data-count=\"{count}\" data-hour=\"{hour.From.UtcDateTime:yyyy-MM-ddTHH}\">"
                    + $"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(barWidth)}\" height=\"{N(Math.Max(h, 0.5))}\" fill=\"{colour}\"><title>{Html(label)}</title></rect></a>");
            }
        }

        HourLabels(svg, dashboard, slot, plotHeight);
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    /// <summary>The 202 → POS latency per hour: p50 and p95 of the orders received in that hour and exported.</summary>
    public IHtmlContent Latency(DashboardDto dashboard)
    {
        var hours = dashboard.Hours;
        var max = hours.Max(h => h.LatencyP95Seconds) ?? 0;
        var scaleMax = NiceCeiling(Math.Max(1, max));
        var plotWidth = Width - Left - 4;
        var plotHeight = Height - Top - Bottom;
        var slot = (double)plotWidth / hours.Count;
        var svg = Start("chart-latency", text["dashboard.latencyChart"]);
        Axis(svg, scaleMax, plotHeight, v => Seconds(v));
        // p95 first as a hollow diamond on a dashed line, p50 over it as a filled dot: in an hour with one order both
        // are the same value and sit on the same spot, and both stay visible (the dot inside the diamond).
        foreach (var (series, colour, pick) in new (string, string, Func<HourBucketDto, double?>)[]
                 {
                     ("p95", "#f79009", h => h.LatencyP95Seconds),
                     ("p50", "#1f6feb", h => h.LatencyP50Seconds),
                 })
        {
            var points = new List<(double X, double Y, HourBucketDto Hour, double Value)>();
            for (var i = 0; i < hours.Count; i++)
            {
                if (pick(hours[i]) is { } value)
                {
                    points.Add((Left + (i + 0.5) * slot, Top + plotHeight - plotHeight * value / scaleMax, hours[i], value));
                }
            }

            if (points.Count > 1)
            {
                svg.Append(CultureInfo.InvariantCulture,
                    $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{(series == "p95" ? " stroke-dasharray=\"5 3\"" : "")} points=\"{string.Join(" ", points.Select(p => N(p.X) + "," + N(p.Y)))}\" />");
            }

            foreach (var p in points)
            {
                var label = $"{time.Text(p.Hour.From)}–{time.Local(p.Hour.From.AddHours(1)):HH:mm} · {series}: {Seconds(p.Value)}";
                var marker = series == "p95"
                    ? $"<path d=\"M{N(p.X)},{N(p.Y - 6.5)} L{N(p.X + 6.5)},{N(p.Y)} L{N(p.X)},{N(p.Y + 6.5)} L{N(p.X - 6.5)},{N(p.Y)} Z\" fill=\"#ffffff\" stroke=\"{colour}\" stroke-width=\"2\"><title>{Html(label)}</title></path>"
                    : $"<circle cx=\"{N(p.X)}\" cy=\"{N(p.Y)}\" r=\"3\" fill=\"{colour}\"><title>{Html(label)}</title></circle>";
                svg.Append(CultureInfo.InvariantCulture,
                    $"<a href=\"{Attr(OrdersLink(p.Hour.From, p.Hour.From.AddHours(1), nameof(ExportState.Exported)))}\" data-testid=\"point\" data-series=\"{series}\">{marker}</a>");
            }
        }

        HourLabels(svg, dashboard, slot, plotHeight);
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    /// <summary>A small horizontal bar for a list row (the failures by reason), as wide as its share of the largest.</summary>
    public static IHtmlContent Bar(int value, int max, string colour = "#d92d20")
    {
        var width = max == 0 ? 0 : 100.0 * value / max;
        return new HtmlString(
            $"<svg class=\"hbar\" viewBox=\"0 0 100 8\" preserveAspectRatio=\"none\" aria-hidden=\"true\"><rect x=\"0\" y=\"0\" width=\"{N(Math.Max(width, 1))}\" height=\"8\" rx=\"2\" fill=\"{colour}\" /></svg>");
    }

    public string Seconds(double seconds) =>
        seconds < 1 ? string.Format(CultureInfo.InvariantCulture, "{0:0} {1}", seconds * 1000, text["dashboard.ms"])
        : seconds < 120 ? string.Format(CultureInfo.InvariantCulture, "{0:0.#} {1}", seconds, text["dashboard.s"])
        : string.Format(CultureInfo.InvariantCulture, "{0:0.#} {1}", seconds / 60, text["dashboard.min"]);

    private static StringBuilder Start(string testId, string title) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<svg class=\"chart\" data-testid=\"{testId}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Attr(title)}\" xmlns=\"http://www.w3.org/2000/svg\">");

    private static void Axis(StringBuilder svg, double scaleMax, int plotHeight, Func<double, string> label)
    {
        foreach (var fraction in new[] { 0.0, 0.5, 1.0 })
        {
            var y = Top + plotHeight - plotHeight * fraction;
            svg.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{Left}\" x2=\"{Width - 4}\" y1=\"{N(y)}\" y2=\"{N(y)}\" stroke=\"#d9dde5\" stroke-width=\"1\" />"
                + $"<text x=\"{Left - 4}\" y=\"{N(y + 4)}\" text-anchor=\"end\" font-size=\"11\" fill=\"#5b6475\">{Html(label(scaleMax * fraction))}</text>");
        }
    }

    /// <summary>Hour labels under the bars: every 6 hours for a day, each midnight for a week.</summary>
    private void HourLabels(StringBuilder svg, DashboardDto dashboard, double slot, int plotHeight)
    {
        var week = dashboard.Range == DashboardRange.Week;
        for (var i = 0; i < dashboard.Hours.Count; i++)
        {
            var local = time.Local(dashboard.Hours[i].From);
            if (week ? local.Hour != 0 : local.Hour % 6 != 0)
            {
                continue;
            }

            var x = Left + i * slot;
            if (x > Width - 34)
            {
                continue; // no room for the label at the right edge
            }

            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{N(x)}\" y=\"{Top + plotHeight + 15}\" font-size=\"11\" fill=\"#5b6475\">{(week ? local.ToString("dd.MM", CultureInfo.InvariantCulture) : local.ToString("HH:mm", CultureInfo.InvariantCulture))}</text>");
        }
    }

    private static double NiceCeiling(double value)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Html(string value) => WebUtility.HtmlEncode(value);

    private static string Attr(string value) => WebUtility.HtmlEncode(value);
}
