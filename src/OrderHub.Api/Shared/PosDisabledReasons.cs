using System.Globalization;
using System.Text.RegularExpressions;
using OrderHub.Api.Messages;

namespace OrderHub.Api.Shared;

/// <summary>
/// Why a POS integration is disabled, as data. The row keeps today's English (<c>PosIntegration.DisabledReason</c>);
/// the sentences OrderHub writes there are known, so each reads back as its catalog key in the reader's language.
/// A reason someone typed stays as it came.
/// </summary>
public static partial class PosDisabledReasons
{
    /// <summary>The English stored when the POS answers 410 Gone at <paramref name="at"/>.</summary>
    public static string Gone(DateTimeOffset at) => MessageCatalog.Render(GoneMessage(at), MessageCatalog.English);

    /// <summary>The English stored when the company's default integration is switched off.</summary>
    public static string CompanyDefaultDisabled => MessageCatalog.Render(Msg.Of("pos.disabled.companyDefault"), MessageCatalog.English);

    /// <summary>The stored reason as a message: a known sentence as its key, anything else as the text itself.</summary>
    public static Msg? Parse(string? stored)
    {
        if (stored is null)
        {
            return null;
        }

        if (GonePattern().Match(stored) is { Success: true } gone
            && DateTimeOffset.TryParseExact(gone.Groups["at"].Value, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return GoneMessage(at);
        }

        return stored == CompanyDefaultDisabled ? Msg.Of("pos.disabled.companyDefault") : Msg.Of("text", ("text", stored));
    }

    public static string? Render(string? stored, string language) => Parse(stored) is { } message ? MessageCatalog.Render(message, language) : null;

    /// <summary>The <c>why</c> part of "the POS integration … is disabled{why}": empty, or ": " and the reason.</summary>
    public static Msg? Why(string? stored) => Parse(stored) is { } reason ? Msg.Of("pos.disabled.why").With("reason", reason) : null;

    private static Msg GoneMessage(DateTimeOffset at) => Msg.Of("pos.disabled.gone", ("at", at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)));

    [GeneratedRegex("^The POS answered 410 Gone on (?<at>[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}) UTC: it no longer takes orders at this address\\.$")]
    private static partial Regex GonePattern();
}
