using System.Globalization;
using System.Text;

namespace OrderHub.Api.Infrastructure;

/// <summary>
/// A value from a request made safe for a log line: control characters (newlines, escape sequences) written as
/// <c>\uXXXX</c> so no one can forge a line or colour a terminal, and capped so no one can flood the log.
/// </summary>
public static class LogValue
{
    public const int DefaultMaxLength = 64;

    public static string Safe(string? value, int maxLength = DefaultMaxLength)
    {
        if (value is null)
        {
            return "";
        }

        var clipped = value.Length > maxLength;
        var text = clipped ? value[..maxLength] : value;
        if (!clipped && !text.Any(char.IsControl))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            if (char.IsControl(ch))
            {
                builder.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(ch);
            }
        }

        return clipped ? builder.Append('…').ToString() : builder.ToString();
    }
}
