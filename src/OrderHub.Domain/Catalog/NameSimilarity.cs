using System.Globalization;
using System.Text;

namespace OrderHub.Domain.Catalog;

/// <summary>
/// How alike two item names are, from 0 (nothing in common) to 1 (the same after normalising). Names are
/// normalised first: lower case, Ukrainian (and Russian) Cyrillic transliterated to Latin, accents dropped,
/// punctuation to spaces, a decimal comma to a point ("0,5 л" = "0.5 l"). The transliteration is made for
/// matching, not the official one: г→g and и→i, so "Маргарита" meets "Margarita" and the Russian and
/// Ukrainian spellings of a dish ("Тирамісу", "Тірамісу") meet. The score is the trigram Dice coefficient
/// (typos, word endings), raised towards the token Dice coefficient (whole words in any order) when that is higher.
/// </summary>
public static class NameSimilarity
{
    private static readonly Dictionary<char, string> Latin = new()
    {
        ['а'] = "a", ['б'] = "b", ['в'] = "v", ['г'] = "g", ['ґ'] = "g", ['д'] = "d", ['е'] = "e", ['є'] = "ie",
        ['ж'] = "zh", ['з'] = "z", ['и'] = "i", ['і'] = "i", ['ї'] = "i", ['й'] = "i", ['к'] = "k", ['л'] = "l",
        ['м'] = "m", ['н'] = "n", ['о'] = "o", ['п'] = "p", ['р'] = "r", ['с'] = "s", ['т'] = "t", ['у'] = "u",
        ['ф'] = "f", ['х'] = "kh", ['ц'] = "ts", ['ч'] = "ch", ['ш'] = "sh", ['щ'] = "shch", ['ь'] = "", ['ю'] = "iu",
        ['я'] = "ia", ['\''] = "", ['’'] = "", ['ʼ'] = "",
        // Russian letters that Ukrainian lacks, seen in older menus.
        ['ы'] = "y", ['э'] = "e", ['ё'] = "e", ['ъ'] = "",
    };

    /// <summary>The name in the comparable form: lower-case Latin letters and digits separated by single spaces.</summary>
    public static string Normalize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "";
        }

        var text = name.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var result = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                // й and ї decompose to и/і plus a mark: keep the letter the table expects.
                if (result.Length > 0 && c == '\u0306' && i > 0 && text[i - 1] == 'и')
                {
                    result.Length -= 1;
                    result.Append('i');
                }

                continue;
            }

            if (Latin.TryGetValue(c, out var latin))
            {
                result.Append(latin);
            }
            else if (char.IsAsciiLetterOrDigit(c))
            {
                result.Append(c);
            }
            else if (c is ',' or '.' && i > 0 && i + 1 < text.Length && char.IsAsciiDigit(text[i - 1]) && char.IsAsciiDigit(text[i + 1]))
            {
                result.Append('.');
            }
            else if (char.IsLetterOrDigit(c))
            {
                result.Append(c);
            }
            else
            {
                result.Append(' ');
            }
        }

        return string.Join(' ', result.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>0..1; 1 when both names normalise to the same text, 0 when either is empty.</summary>
    public static double Score(string? a, string? b) => Score(Prepare(a), Prepare(b));

    /// <summary>A name normalised once, for comparing it with many others.</summary>
    public sealed record Prepared(string Text, HashSet<string> Tokens, HashSet<string> Trigrams);

    public static Prepared Prepare(string? name)
    {
        var text = Normalize(name);
        return new Prepared(text, text.Length == 0 ? [] : text.Split(' ').ToHashSet(StringComparer.Ordinal), text.Length == 0 ? [] : Trigrams(text));
    }

    public static double Score(Prepared a, Prepared b)
    {
        if (a.Text.Length == 0 || b.Text.Length == 0)
        {
            return 0;
        }

        if (a.Text == b.Text)
        {
            return 1;
        }

        var trigrams = Dice(a.Trigrams, b.Trigrams);
        var tokens = Dice(a.Tokens, b.Tokens);
        return Math.Round(Math.Max(trigrams, (tokens + trigrams) / 2), 4);
    }

    private static HashSet<string> Trigrams(string text)
    {
        var padded = "  " + text + " ";
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 3 <= padded.Length; i++)
        {
            set.Add(padded.Substring(i, 3));
        }

        return set;
    }

    private static double Dice(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        var common = a.Count(b.Contains);
        return 2.0 * common / (a.Count + b.Count);
    }
}
