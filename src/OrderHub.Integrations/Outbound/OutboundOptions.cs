namespace OrderHub.Integrations.Outbound;

/// <summary>Where OrderHub may send to a URL a tenant set (a webhook POS).</summary>
public sealed class OutboundOptions
{
    public const string SectionName = "Outbound";

    /// <summary>
    /// Networks (CIDR, such as <c>10.20.0.0/16</c> or <c>fd00:1::/64</c>) that are allowed although they are
    /// loopback, private, link-local, CGNAT or multicast: an on-premise POS, the demo's simulators.
    /// </summary>
    public string[] AllowedPrivateNetworks { get; set; } = [];

    /// <summary>Allow plain <c>http</c> URLs (development, the demo). Off: <c>https</c> only.</summary>
    public bool AllowHttp { get; set; }
}
