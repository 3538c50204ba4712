using System.ComponentModel.DataAnnotations;

namespace OrderHub.Api.Features.PosFeed;

/// <summary>The webhook POS catch-up feed. Section <c>PosFeed</c>.</summary>
public sealed class PosFeedOptions
{
    public const string SectionName = "PosFeed";

    public const int MaxLimit = 500;

    /// <summary>Messages per page when the receiver does not say.</summary>
    [Range(1, MaxLimit)]
    public int DefaultLimit { get; set; } = 100;

    /// <summary>
    /// A message is served only this long after it was stored: with several instances writing, a message with a
    /// lower cursor may commit a moment after a higher one, and a receiver reading past it would never see it.
    /// Longer than an outcome write takes; zero on one instance with SQLite (one writer).
    /// </summary>
    public TimeSpan Settle { get; set; } = TimeSpan.FromSeconds(5);
}

public static class PosFeedRegistration
{
    public static IServiceCollection AddOrderHubPosFeed(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PosFeedOptions>()
            .Bind(configuration.GetSection(PosFeedOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Settle >= TimeSpan.Zero && o.Settle <= TimeSpan.FromMinutes(5), "PosFeed:Settle must be between 0 and 5 minutes.")
            .ValidateOnStart();
        return services;
    }
}
