using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OrderHub.FunctionalTests.Security;

/// <summary>One route and method the app serves, with a concrete URL for it (route values filled in).</summary>
/// <param name="ReadsBody">The endpoint declares a request body (minimal APIs' accepts metadata), so it reads one.</param>
public sealed record AppEndpoint(string Method, string Pattern, string Url, bool ReadsBody)
{
    public bool HasBody => Method is "POST" or "PUT" or "DELETE" or "PATCH";

    public override string ToString() => $"{Method} {Pattern}";
}

/// <summary>Every endpoint from the app's own <see cref="EndpointDataSource"/>, so a new one is covered the day it is added.</summary>
public static partial class EndpointInventory
{
    /// <summary>
    /// Not behind an API key on purpose: health probes, signed webhooks, Swagger, the demo's simulators, and the
    /// panel, which has its own cookie sign-in (<c>PanelSignInTests</c> checks every panel page redirects without it).
    /// </summary>
    public static readonly string[] OpenPrefixes = ["/health/", "/webhooks/", "/swagger", "/simulator", "/panel"];

    public static IReadOnlyList<AppEndpoint> All(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => new AppEndpoint(
                    method, Normalize(e.RoutePattern.RawText ?? ""), Concrete(e.RoutePattern.RawText ?? ""),
                    e.Metadata.GetMetadata<IAcceptsMetadata>() is not null)))
            .DistinctBy(e => (e.Method, e.Pattern))
            .OrderBy(e => e.Pattern, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)
            .ToList();

    public static IReadOnlyList<AppEndpoint> Protected(IServiceProvider services) =>
        All(services).Where(e => !OpenPrefixes.Any(p => e.Pattern.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList();

    private static string Normalize(string raw) => "/" + raw.Trim('/');

    /// <summary>Any route value gets a fresh GUID (or a plain word where a GUID is not required).</summary>
    private static string Concrete(string raw) =>
        RouteValue().Replace(Normalize(raw), m => m.Groups["constraint"].Value == "guid" ? Guid.NewGuid().ToString() : "some-key");

    [GeneratedRegex("\\{(?<name>[^}:?]+)(:(?<constraint>[^}?]+))?\\??\\}")]
    private static partial Regex RouteValue();
}
