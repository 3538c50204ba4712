using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace OrderHub.Api.Security;

public sealed class SignInThrottleOptions
{
    public const string SectionName = "Auth:SignInThrottle";

    /// <summary>Sign-in posts one client address may make per <see cref="Window"/>.</summary>
    [Range(1, 100_000)]
    public int PermitLimit { get; set; } = 10;

    /// <summary>The fixed window the limit counts in.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Per-client throttling of <c>POST /panel/sign-in</c> by remote address (ASP.NET Core's rate limiter). The
/// per-user lockout stops guessing one password; this stops one client from guessing many, and from locking
/// user after user out. Behind a proxy, configure forwarded headers so the remote address is the client's.
/// </summary>
public static class SignInThrottle
{
    public static IServiceCollection AddSignInThrottle(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SignInThrottleOptions>().Bind(configuration.GetSection(SignInThrottleOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Window > TimeSpan.Zero, "Auth:SignInThrottle:Window must be positive.")
            .ValidateOnStart();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!HttpMethods.IsPost(context.Request.Method)
                    || !context.Request.Path.Equals(AuthenticationRegistration.SignInPath, StringComparison.OrdinalIgnoreCase))
                {
                    return RateLimitPartition.GetNoLimiter("");
                }

                var settings = context.RequestServices.GetRequiredService<IOptions<SignInThrottleOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.PermitLimit, Window = settings.Window, QueueLimit = 0 });
            });
            o.OnRejected = async (context, cancellationToken) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                var seconds = (int)Math.Ceiling(retry.TotalSeconds);
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync($"Too many sign-in attempts from this address; try again in {seconds} s.", cancellationToken);
            };
        });
        return services;
    }
}
