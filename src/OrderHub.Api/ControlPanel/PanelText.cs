using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace OrderHub.Api.ControlPanel;

/// <summary>One screen's texts in both panel languages, keyed like <c>signin.title</c>.</summary>
public sealed record PanelTextCatalog(IReadOnlyDictionary<string, (string Uk, string En)> Entries);

/// <summary>
/// The panel's texts in the current UI culture (Ukrainian by default, English). A deliberately small
/// dictionary localizer instead of .resx files: a screen adds its texts as one <see cref="PanelTextCatalog"/>
/// (<c>services.AddPanelTexts(...)</c>) beside its page, both languages on one line, so a missing translation
/// is visible in review. An unknown key shows itself, so it is noticed in the screenshot tests.
/// </summary>
public sealed class PanelText(IEnumerable<PanelTextCatalog> catalogs)
{
    public static readonly string[] Languages = ["uk", "en"];
    public const string DefaultLanguage = "uk";

    private readonly Dictionary<string, (string Uk, string En)> _entries =
        catalogs.SelectMany(c => c.Entries).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    public static string CurrentLanguage => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? "en" : "uk";

    public string this[string key] => _entries.TryGetValue(key, out var text) ? CurrentLanguage == "en" ? text.En : text.Uk : key;

    /// <summary>A text with placeholders ({0}) filled in.</summary>
    public string Format(string key, params object?[] args) => string.Format(CultureInfo.CurrentCulture, this[key], args);

    /// <summary>Stores the language choice for the panel (the culture cookie, one year).</summary>
    public static void Remember(HttpResponse response, string language) =>
        response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)),
            new CookieOptions
            {
                Path = "/panel", HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = response.HttpContext.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(365), IsEssential = true,
            });
}

public static class PanelRegistration
{
    public static IServiceCollection AddPanelTexts(this IServiceCollection services, Dictionary<string, (string Uk, string En)> entries) =>
        services.AddSingleton(new PanelTextCatalog(entries));

    /// <summary>Razor Pages under ControlPanel/, every page signed-in only except sign-in and the language switch.</summary>
    public static IServiceCollection AddOrderHubPanel(this IServiceCollection services)
    {
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/ControlPanel";
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.AllowAnonymousToPage("/Language");
        });
        // Ukrainian text as text, not as &#x...; entities (the default encoder escapes everything outside Basic Latin).
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddSingleton<PanelText>();
        services.AddOptions<PanelOptions>().BindConfiguration(PanelOptions.SectionName)
            .Validate(o => o.TimeZone == PanelOptions.DefaultTimeZone || PanelTime.IsKnown(o.TimeZone), "Panel:TimeZone must be an IANA time zone known on this machine, e.g. Europe/Kyiv.")
            .Validate(o => o.WaitingAfter > TimeSpan.Zero, "Panel:WaitingAfter must be a positive duration, e.g. 00:15:00.")
            .ValidateOnStart();
        services.AddSingleton<PanelTime>();
        services.AddSingleton<DashboardCharts>();
        services.AddPanelTexts(PanelTexts.Base);
        services.AddPanelTexts(Orders.OrderTexts.All);
        services.AddPanelTexts(Hierarchy.HierarchyTexts.All);
        services.AddPanelTexts(Admin.AdminTexts.All);
        services.AddPanelTexts(Fiscal.FiscalTexts.All);
        services.AddPanelTexts(GoLive.GoLiveTexts.All); // go-live page (issue 18)
        services.AddPanelTexts(PreOrders.PreOrderTexts.All); // held pre-orders and the POS feed (issue 18)
        services.AddPanelTexts(Features.Reconciliation.ReconciliationTexts.All); // Daily reconciliation.
        return services;
    }

    public static IApplicationBuilder UseOrderHubPanelLocalization(this IApplicationBuilder app) =>
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/panel"), panel => panel.UseRequestLocalization(o =>
        {
            o.SetDefaultCulture(PanelText.DefaultLanguage).AddSupportedCultures(PanelText.Languages).AddSupportedUICultures(PanelText.Languages);
            o.FallBackToParentCultures = true;
            o.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider { QueryStringKey = "lang", UIQueryStringKey = "lang" },
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        }));
}
