using System.Globalization;
using System.Text;

namespace OrderHub.Api.Alerts;

/// <summary>Telegram HTML: every interpolated value goes through <see cref="E(string?)"/>.</summary>
public static class Html
{
    /// <summary>Escapes &amp;, &lt;, &gt; and quotes (quotes matter inside an href).</summary>
    public static string E(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var builder = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    public static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Link(string href, string text) => $"<a href=\"{E(href)}\">{E(text)}</a>";

    /// <summary>Cuts a finished HTML text at a line end to Telegram's 4096 characters.</summary>
    public static string Fit(string html, int max = 4000)
    {
        if (html.Length <= max)
        {
            return html;
        }

        var cut = html.LastIndexOf('\n', max - 2);
        return html[..(cut > 0 ? cut : 0)] + "\n…";
    }
}
