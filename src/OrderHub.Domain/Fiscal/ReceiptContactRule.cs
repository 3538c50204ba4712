using System.Text.RegularExpressions;

namespace OrderHub.Domain.Fiscal;

public enum ReceiptContactKind
{
    None,
    Email,
    Phone,
}

/// <summary>Where the receipt copy goes and which rule picked it.</summary>
/// <param name="Note">Why a contact the general rule would pick was passed over, or null.</param>
public sealed record ReceiptContact(ReceiptContactKind Kind, string? Value, string Source, string? Note = null)
{
    public static readonly ReceiptContact None = new(ReceiptContactKind.None, null, "none");
}

/// <summary>
/// The copy-to-customer rule: the delivery address's receipt contact if set (and valid); else the customer's
/// e-mail; else the first mobile phone of the address; else none.
/// </summary>
public static partial class ReceiptContactRule
{
    // Ukrainian mobile operator codes (after +380): a landline (e.g. 44 Kyiv) cannot receive an SMS.
    private static readonly string[] MobileCodes = ["39", "50", "63", "66", "67", "68", "73", "89", "91", "92", "93", "94", "95", "96", "97", "98", "99"];

    /// <summary>
    /// The rule, for a provider that sends copies to a phone only (Cashalot's <c>SendCheckToConsumer</c>): the same
    /// order without the e-mails; the source says when an e-mail was passed over, and why.
    /// </summary>
    public static ReceiptContact ResolvePhone(string? addressReceiptContact, string? customerEmail, IEnumerable<string> addressPhones)
    {
        var skipped = addressReceiptContact is { Length: > 0 } own && IsEmail(own) ? "the address's receipt e-mail"
            : customerEmail is { Length: > 0 } email && IsEmail(email) ? "the customer's e-mail"
            : null;
        var why = skipped is null ? null : $"{skipped} not used: the provider sends copies to a phone only";
        if (addressReceiptContact is { Length: > 0 } contact && NormalizeMobile(contact) is { } phone)
        {
            return new ReceiptContact(ReceiptContactKind.Phone, phone, "address receipt contact", why);
        }

        foreach (var candidate in addressPhones)
        {
            if (NormalizeMobile(candidate) is { } mobile)
            {
                return new ReceiptContact(ReceiptContactKind.Phone, mobile, "address mobile phone", why);
            }
        }

        return ReceiptContact.None with { Note = why };
    }

    public static ReceiptContact Resolve(string? addressReceiptContact, string? customerEmail, IEnumerable<string> addressPhones)
    {
        if (addressReceiptContact is { Length: > 0 } own)
        {
            if (IsEmail(own))
            {
                return new ReceiptContact(ReceiptContactKind.Email, own.Trim(), "address receipt contact");
            }

            if (NormalizeMobile(own) is { } phone)
            {
                return new ReceiptContact(ReceiptContactKind.Phone, phone, "address receipt contact");
            }
        }

        if (customerEmail is { Length: > 0 } email && IsEmail(email))
        {
            return new ReceiptContact(ReceiptContactKind.Email, email.Trim(), "customer e-mail");
        }

        foreach (var candidate in addressPhones)
        {
            if (NormalizeMobile(candidate) is { } mobile)
            {
                return new ReceiptContact(ReceiptContactKind.Phone, mobile, "address mobile phone");
            }
        }

        return ReceiptContact.None;
    }

    public static bool IsEmail(string value) => Email().IsMatch(value.Trim());

    /// <summary>A Ukrainian mobile number as 380XXXXXXXXX, or null.</summary>
    public static string? NormalizeMobile(string value)
    {
        var digits = new string(value.Where(char.IsDigit).ToArray());
        if (digits.Length == 10 && digits[0] == '0')
        {
            digits = "38" + digits;
        }

        return digits.Length == 12 && digits.StartsWith("380", StringComparison.Ordinal) && MobileCodes.Contains(digits[3..5])
               && value.Trim().All(c => char.IsDigit(c) || c is '+' or ' ' or '-' or '(' or ')')
            ? digits
            : null;
    }

    /// <summary>Shows enough of a contact for support, hides the rest: a***@example.com, 38067***67.</summary>
    public static string Mask(string? contact) => contact switch
    {
        null or "" => "",
        _ when contact.Contains('@', StringComparison.Ordinal) => contact[..1] + "***" + contact[contact.IndexOf('@', StringComparison.Ordinal)..],
        { Length: > 7 } => contact[..5] + "***" + contact[^2..],
        _ => "***",
    };

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Email();
}

/// <summary>
/// The register's fiscal number (ФН ПРРО) against the most common mistake: a personal tax number (РНОКПП),
/// 10 digits whose last is the check digit of the first nine.
/// </summary>
public static class FiscalNumberRule
{
    private static readonly int[] Weights = [-1, 5, 7, 9, 4, 6, 10, 5, 7];

    public static bool LooksLikePersonalTaxNumber(string? value)
    {
        if (value is not { Length: 10 } || !value.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += Weights[i] * (value[i] - '0');
        }

        var check = ((sum % 11) + 11) % 11 % 10;
        return check == value[9] - '0';
    }

    public const string PersonalTaxNumberWarning =
        "This looks like a personal tax number (РНОКПП), not the register's fiscal number (ФН ПРРО): copy the ФН ПРРО from the provider's cabinet (the register's card).";
}
