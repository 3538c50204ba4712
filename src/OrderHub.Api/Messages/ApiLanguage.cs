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
