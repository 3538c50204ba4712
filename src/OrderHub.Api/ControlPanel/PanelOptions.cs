namespace OrderHub.Api.ControlPanel;

/// <summary>The panel's settings (section <c>Panel</c>).</summary>
public sealed class PanelOptions
{
    public const string SectionName = "Panel";

    public const string DefaultTimeZone = "Europe/Kyiv";

    /// <summary>
    /// The IANA time zone the panel shows times in and reads the order filter's dates in. The businesses on Dots
    /// work in Ukrainian time, so that is the default (UTC on a machine without time zone data, where only a zone
    /// set explicitly fails the start); the API always speaks UTC.
    /// </summary>
    public string TimeZone { get; set; } = DefaultTimeZone;

    /// <summary>
    /// On the dashboard, an order waiting for a manual export or in the export queue longer than this (since it was
    /// received) needs attention. Default 15 minutes.
    /// </summary>
    public TimeSpan WaitingAfter { get; set; } = TimeSpan.FromMinutes(15);
}
