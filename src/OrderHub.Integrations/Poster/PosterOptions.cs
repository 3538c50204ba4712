using System.ComponentModel.DataAnnotations;

namespace OrderHub.Integrations.Poster;

public sealed class PosterOptions
{
    public const string SectionName = "Poster";

    /// <summary>
    /// The API base per account; <c>{account}</c> is replaced by the Poster account name. Override it for the
    /// simulator, e.g. <c>http://127.0.0.1:5080/simulator/poster/{account}/api/</c>.
    /// </summary>
    [Required]
    public string BaseUrlTemplate { get; set; } = "https://{account}.joinposter.com/api/";

    /// <summary>
    /// How far before the first attempt that may have reached Poster the lookup after an unclear attempt searches,
    /// and how far after now (clock skew between OrderHub and Poster). Default 15 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan LookupMargin { get; set; } = TimeSpan.FromMinutes(15);
}
