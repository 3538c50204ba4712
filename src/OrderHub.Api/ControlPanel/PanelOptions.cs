namespace OrderHub.Api.ControlPanel;

/// <summary>The panel's settings (section <c>Panel</c>).</summary>
public sealed class PanelOptions
{
    public const string SectionName = "Panel";

    /// <summary>
    /// The IANA time zone the panel shows times in and reads the order filter's dates in. The businesses on Dots
    /// work in Ukrainian time, so that is the default; the API always speaks UTC.
    /// </summary>
    public string TimeZone { get; set; } = "Europe/Kyiv";
}
