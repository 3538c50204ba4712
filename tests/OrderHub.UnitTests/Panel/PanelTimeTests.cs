using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderHub.Api.ControlPanel;

namespace OrderHub.UnitTests.Panel;

public sealed class PanelTimeTests
{
    private readonly PanelTime _kyiv = new(Options.Create(new PanelOptions { TimeZone = "Europe/Kyiv" }));

    [Theory]
    [InlineData("2026-11-21T00:00:00", "2026-11-20T22:00:00Z")] // winter, UTC+2
    [InlineData("2026-07-01T12:00:00", "2026-07-01T09:00:00Z")] // summer, UTC+3
    [InlineData("2027-03-28T03:30:00", "2027-03-28T01:30:00Z")] // skipped (03:00 → 04:00): read as 04:30
    [InlineData("2026-10-25T03:30:00", "2026-10-25T00:30:00Z")] // repeated (04:00 → 03:00): the first 03:30
    public void A_typed_wall_clock_time_is_read_in_the_panel_zone(string local, string utc) =>
        _kyiv.FromLocal(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture)).UtcDateTime
            .ShouldBe(DateTime.Parse(utc, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal));

    [Fact]
    public void A_shown_time_is_the_local_wall_clock_with_the_UTC_instant_in_the_tag()
    {
        var at = new DateTimeOffset(2026, 11, 20, 22, 30, 5, TimeSpan.Zero);

        _kyiv.Text(at).ShouldBe("2026-11-21 00:30");
        var html = new StringWriter();
        _kyiv.Tag(at, PanelTime.Seconds).WriteTo(html, System.Text.Encodings.Web.HtmlEncoder.Default);
        html.ToString().ShouldBe("<time datetime=\"2026-11-20T22:30:05Z\" title=\"2026-11-20 22:30:05 UTC\">2026-11-21 00:30:05</time>");
    }

    [Theory]
    [InlineData("Europe/Kyiv", true)]
    [InlineData("UTC", true)]
    [InlineData("Mars/Olympus", false)]
    [InlineData("", false)]
    public void Only_known_zones_are_accepted(string id, bool known) => PanelTime.IsKnown(id).ShouldBe(known);

    [Fact]
    public void An_unknown_configured_zone_is_refused_naming_the_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Panel:TimeZone"] = "Europe/Atlantis" }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddOrderHubPanel().BuildServiceProvider();

        Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<PanelOptions>>().Value).Message.ShouldContain("Panel:TimeZone");
    }
}
