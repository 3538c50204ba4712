namespace OrderHub.Api.Security;

/// <summary>
/// Response headers every browser-facing answer should carry: <c>nosniff</c> on everything; on the panel a
/// Content-Security-Policy (no inline or foreign script: only the panel's own /panel/panel.js; inline style attributes only, for
/// meters), a Referrer-Policy and framing refused. Set when the response starts, so error answers carry them too.
/// </summary>
public static class SecurityHeaders
{
    public const string PanelPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseOrderHubSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            if (context.Request.Path.StartsWithSegments(AuthenticationRegistration.PanelPrefix, StringComparison.OrdinalIgnoreCase))
            {
                headers.ContentSecurityPolicy = PanelPolicy;
                headers.XFrameOptions = "DENY";
            }

            return Task.CompletedTask;
        });
        await next(context);
    });
}
