using System.Net;
using Microsoft.Extensions.Options;
using OrderHub.Integrations.Outbound;

namespace OrderHub.UnitTests.Outbound;

public sealed class OutboundAddressPolicyTests
{
    private static OutboundAddressPolicy Policy(bool allowHttp = false, params string[] allowed) =>
        new(Options.Create(new OutboundOptions { AllowHttp = allowHttp, AllowedPrivateNetworks = allowed }));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("224.0.0.251")]
    [InlineData("239.255.255.250")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fd12:3456::1")]
    [InlineData("fc00::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Loopback_private_link_local_CGNAT_and_multicast_addresses_are_refused(string address) =>
        Policy().IsAllowed(IPAddress.Parse(address)).ShouldBeFalse();

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("193.0.14.129")]
    [InlineData("2001:4860:4860::8888")]
    public void Public_addresses_are_allowed(string address) => Policy().IsAllowed(IPAddress.Parse(address)).ShouldBeTrue();

    [Fact]
    public void An_allow_listed_network_is_allowed_and_nothing_around_it()
    {
        var policy = Policy(false, "10.20.0.0/16", "fd00:1::/64");

        policy.IsAllowed(IPAddress.Parse("10.20.3.4")).ShouldBeTrue();
        policy.IsAllowed(IPAddress.Parse("::ffff:10.20.3.4")).ShouldBeTrue();
        policy.IsAllowed(IPAddress.Parse("fd00:1::5")).ShouldBeTrue();
        policy.IsAllowed(IPAddress.Parse("10.21.0.1")).ShouldBeFalse();
        policy.IsAllowed(IPAddress.Parse("fd00:2::5")).ShouldBeFalse();
        policy.IsAllowed(IPAddress.Parse("127.0.0.1")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("https://pos.example.com/orders", false, null)]
    [InlineData("http://pos.example.com/orders", false, "outbound.httpsOnly")]
    [InlineData("http://pos.example.com/orders", true, null)]
    [InlineData("https://127.0.0.1/orders", false, "outbound.privateAddress")]
    [InlineData("https://[::1]:8443/orders", false, "outbound.privateAddress")]
    [InlineData("https://0x7f000001/orders", false, "outbound.privateAddress")]
    [InlineData("https://localhost/orders", false, null)]
    [InlineData("ftp://pos.example.com/", true, "outbound.httpOrHttps")]
    [InlineData("pos.example.com/orders", false, "outbound.notAbsolute")]
    public void A_URL_is_checked_for_its_scheme_and_a_literal_address_at_save(string url, bool allowHttp, string? problem)
    {
        var found = Policy(allowHttp).CheckUrl(url);

        if (problem is null)
        {
            found.ShouldBeNull();
        }
        else
        {
            found.ShouldNotBeNull().Key.ShouldBe(problem);
        }
    }
}
