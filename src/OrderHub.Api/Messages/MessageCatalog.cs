using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrderHub.Api.Messages;

/// <summary>
/// Every message key OrderHub stores (history rows, hints) with its Ukrainian and English text; placeholders are the
/// argument names in braces (<c>{target}</c>). English is the API's default and the text stored beside the key,
/// so rows written before a key existed, or read by an older build, still read as today's English.
/// </summary>
public static partial class MessageCatalog
{
    public const string English = "en";
    public const string Ukrainian = "uk";

    internal static readonly JsonSerializerOptions ArgsJsonOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly IReadOnlyDictionary<string, (string Uk, string En)> Texts = new Dictionary<string, (string Uk, string En)>(StringComparer.Ordinal)
    {
        // Terms: words passed as arguments of other messages.
        ["term.noPos"] = ("без POS", "no POS"),

        // Cancellations after export (Dispatching/CancellationRouting).
        ["cancel.queued"] = ("Скасування в Dots{because} поставлено в чергу для POS.", "The cancellation in Dots{because} is queued for the POS."),
        ["cancel.posterCannot"] = ("Скасовано в Dots{because} після того, як замовлення дійшло до Poster, а Poster не має виклику скасування: потрібна дія на касі.",
            "Cancelled in Dots{because} after it reached Poster, which has no cancel call: the order needs action at the register."),
        ["cancel.posCannot"] = ("Скасовано в Dots{because} після того, як замовлення дійшло до POS, якому зараз не можна про це сказати: потрібна дія на касі.",
            "Cancelled in Dots{because} after it reached the POS, which cannot be told now: the order needs action at the register."),
        ["hint.cancelAtRegister"] = ("Зателефонуйте на точку видачі, щоб касир скасував (відхилив або видалив) замовлення на касі.",
            "Phone the pickup point and have the cashier cancel (reject or delete) the order at the register."),

        // Export outcomes (Dispatching/ExportOutcomeWriter).
        ["export.delivered"] = ("Передано в POS ({target}){posId} зі спроби {attempt}.", "Delivered to the POS ({target}){posId} on attempt {attempt}."),
        ["export.foundExisting"] = ("Знайдено в POS ({target}) після неясної спроби{posId}: повторно не надсилалося.",
            "Found at the POS ({target}) after an unclear attempt{posId}: not sent again."),
        ["export.cancelDelivered"] = ("POS ({target}) повідомлено, що замовлення скасовано в Dots{because}.",
            "The POS ({target}) was told that the order was cancelled in Dots{because}."),
        ["export.posId"] = (" як замовлення POS {posOrderId}", " as POS order {posOrderId}"),
        ["export.retrying"] = ("Спроба {attempt} не вдалася: {detail} Наступна спроба о {next} UTC.",
            "Attempt {attempt} failed: {detail} Next attempt at {next} UTC."),
        ["export.gaveUp"] = ("Спроба {attempt} не вдалася: {detail} Більше не пробуємо: POS ({target}) не приймає замовлення з {since} UTC.",
            "Attempt {attempt} failed: {detail} Gave up: the POS ({target}) has not taken it since {since} UTC."),
        ["hint.posUnreachable"] = ("Перевірте, що POS точки «{point}» увімкнений і доступний, потім експортуйте замовлення знову; OrderHub спершу шукає його в POS, тож двічі воно не потрапить.",
            "Check that the POS of pickup point '{point}' is online and reachable, then export the order again; OrderHub looks it up first, so it will not arrive twice."),
    };

    /// <summary>The reader's language for the current request: the panel's choice or the API's Accept-Language (English by default).</summary>
    public static string CurrentLanguage => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == Ukrainian ? Ukrainian : English;

    public static string Render(Msg message, string language) => Render(message.Key, message.Args, language) ?? message.Key;

    /// <summary>A stored row's text in <paramref name="language"/>: its key and arguments when the key is known, else the stored English.</summary>
    public static string Render(string? key, string? argsJson, string fallback, string language)
    {
        if (key is null)
        {
            return fallback;
        }

        Dictionary<string, string>? args;
        try
        {
            args = argsJson is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(argsJson, ArgsJsonOptions);
        }
        catch (JsonException)
        {
            return fallback;
        }

        return Render(key, args ?? [], language) ?? fallback;
    }

    private static string? Render(string key, IReadOnlyDictionary<string, string> args, string language)
    {
        if (!Texts.TryGetValue(key, out var text))
        {
            return null;
        }

        var template = language == Ukrainian ? text.Uk : text.En;
        return Placeholder().Replace(template, m =>
        {
            if (!args.TryGetValue(m.Groups[1].Value, out var value))
            {
                return m.Value;
            }

            return value.StartsWith(Msg.TermPrefix, StringComparison.Ordinal) && Texts.ContainsKey(value[Msg.TermPrefix.Length..])
                ? Render(value[Msg.TermPrefix.Length..], args, language) ?? value
                : value;
        });
    }

    /// <summary>The placeholders of a template, e.g. <c>target</c> and <c>posId</c>.</summary>
    public static IReadOnlyList<string> Placeholders(string template) => Placeholder().Matches(template).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9]*)\}")]
    private static partial Regex Placeholder();
}
