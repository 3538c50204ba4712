using System.Text.RegularExpressions;
using FluentValidation;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence.Configurations;
using OrderHub.Integrations.Outbound;

namespace OrderHub.Api.Shared;

/// <summary>Input rules shared by the configuration API's validators.</summary>
public static partial class TenancyRules
{
    /// <summary>A company's webhook key and a Poster account name: lowercase letters, digits and dashes.</summary>
    [GeneratedRegex("^[a-z0-9-]+$", RegexOptions.CultureInvariant)]
    public static partial Regex UrlSafe();

    /// <summary>Parses an enum by name only (case-insensitive); "1" or "Product,Variant" are not names.</summary>
    public static bool TryParseName<T>(string? value, out T result)
        where T : struct, Enum
    {
        result = default;
        return value is { Length: > 0 } && char.IsLetter(value[0]) && !value.Contains(',', StringComparison.Ordinal)
               && Enum.TryParse(value, ignoreCase: true, out result) && Enum.IsDefined(result);
    }

    public static string Names<T>()
        where T : struct, Enum => string.Join(", ", Enum.GetNames<T>());

    /// <summary>An IANA id the runtime knows (not a Windows id, which .NET on Linux would also accept).</summary>
    public static bool IsIanaTimeZone(string? id) =>
        id is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId;

    public static IRuleBuilderOptions<T, string?> DotsId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().MaximumLength(Limits.ExternalId);

    /// <summary>A URL a tenant sets for OrderHub to call: the outbound policy's scheme and literal-address rules.</summary>
    public static IRuleBuilderOptions<T, string?> OutboundUrl<T>(this IRuleBuilder<T, string?> rule, OutboundAddressPolicy policy) =>
        rule.Must(url => policy.CheckUrl(url) is null)
            .WithMessage((_, url) => Msg.From(policy.CheckUrl(url)) is { } refused ? MessageCatalog.Render(refused, MessageCatalog.CurrentLanguage) : "");

    public static IRuleBuilderOptions<T, string?> DisplayName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().MaximumLength(Limits.Name);

    /// <summary>A 409 for a natural key that is already taken, naming the field like a validation problem.</summary>
    public static ProblemException Taken(string field, string what, string value) => ProblemException.EntityTerm(what) is { } term
        ? ProblemException.Conflict(
            Msg.Of("problem.taken", ("what", term)),
            Msg.Of("problem.taken.detail", ("what", ProblemException.EntityTerm(what, ".gen")), ("field", field), ("value", value)),
            new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [MessageCatalog.Render(Msg.Of("problem.taken.field"), MessageCatalog.CurrentLanguage)] } })
        : ProblemException.Conflict(
            Msg.Of("problem.taken", ("what", what)),
            Msg.Of("problem.taken.detail", ("what", what.ToLowerInvariant()), ("field", field), ("value", value)),
            new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [MessageCatalog.Render(Msg.Of("problem.taken.field"), MessageCatalog.CurrentLanguage)] } });
}
