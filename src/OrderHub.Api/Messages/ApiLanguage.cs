using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace OrderHub.Api.Messages;

/// <summary>
/// The API's reader language: Ukrainian when <c>Accept-Language</c> prefers it to English, else English (the API
/// default). Only the UI culture changes (messages, refusals, validation texts); number and date formats stay as
/// they are. The panel has its own choice (cookie, <c>?lang=</c>), so its paths are left alone.
/// </summary>
public static class ApiLanguage
{
    private static readonly CultureInfo Ukrainian = CultureInfo.GetCultureInfo(MessageCatalog.Ukrainian);
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo(MessageCatalog.English);

    public static string Of(HttpRequest request)
    {
        var preferred = request.GetTypedHeaders().AcceptLanguage
            .Where(l => l.Quality is not 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value?.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(l => l is MessageCatalog.Ukrainian or MessageCatalog.English);
        return preferred == MessageCatalog.Ukrainian ? MessageCatalog.Ukrainian : MessageCatalog.English;
    }

    public static IApplicationBuilder UseOrderHubApiLanguage(this IApplicationBuilder app) =>
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/panel"), api => api.Use(async (context, next) =>
        {
            CultureInfo.CurrentUICulture = Of(context.Request) == MessageCatalog.Ukrainian ? Ukrainian : English;
            await next(context);
        }));
}
