using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace OrderHub.Api.Messages;

/// <summary>
/// The API's reader language, chosen by ASP.NET Core's request localization from <c>Accept-Language</c> (as the
/// panel's is from its cookie): Ukrainian when the header prefers it, else English (the API default). Only the UI
/// culture follows the reader (messages, refusals, validation texts); number and date formats stay the process's.
/// The panel has its own choice, so its paths are left alone.
/// </summary>
public static class ApiLanguage
{
    /// <summary>The language localization chose for this request; English where it did not run.</summary>
    public static string Of(HttpContext context) =>
        context.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture.TwoLetterISOLanguageName == MessageCatalog.Ukrainian
            ? MessageCatalog.Ukrainian
            : MessageCatalog.English;

    /// <summary>
    /// The language of a refusal the host itself writes (binding failures, 413, 500): <see cref="Of"/>, except on the
    /// inbound webhooks, whose senders' contract fixes their answers in English.
    /// </summary>
    public static string OfRefusal(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/webhooks") ? MessageCatalog.English
        : context.Features.Get<IRequestCultureFeature>() is null ? FromHeader(context.Request)
        : Of(context);

    /// <summary>
    /// What localization would choose, for middleware that answers before it runs (the body limit's 413): the
    /// <c>Accept-Language</c> entry of highest quality that is Ukrainian or English, else English.
    /// </summary>
    private static string FromHeader(HttpRequest request)
    {
        var preferred = request.GetTypedHeaders().AcceptLanguage
            .Where(l => l.Quality is null or > 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value?.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(l => l is MessageCatalog.Ukrainian or MessageCatalog.English);
        return preferred == MessageCatalog.Ukrainian ? MessageCatalog.Ukrainian : MessageCatalog.English;
    }

    public static IApplicationBuilder UseOrderHubApiLanguage(this IApplicationBuilder app)
    {
        var formats = CultureInfo.CurrentCulture;
        return app.UseWhen(c => !c.Request.Path.StartsWithSegments("/panel"), api => api.UseRequestLocalization(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(formats, CultureInfo.GetCultureInfo(MessageCatalog.English));
            o.SupportedCultures = [formats];
            o.SupportedUICultures = [CultureInfo.GetCultureInfo(MessageCatalog.English), CultureInfo.GetCultureInfo(MessageCatalog.Ukrainian)];
            o.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider()];
        }));
    }
}
