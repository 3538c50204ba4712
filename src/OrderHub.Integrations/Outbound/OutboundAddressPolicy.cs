using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using OrderHub.Integrations.Pos;

namespace OrderHub.Integrations.Outbound;

/// <summary>A tenant-set URL OrderHub will not call, and why (in words for whoever set it).</summary>
public sealed class OutboundAddressRefusedException(string host, IPAddress? address, string reason, MessageRef reasonRef)
    : Exception($"Address not allowed: {reason}")
{
    public string Host => host;

    public IPAddress? Address => address;

    public string Reason => reason;

    /// <summary><see cref="Reason"/> as a message key and arguments, for the reader's language.</summary>
    public MessageRef ReasonRef => reasonRef;
}

/// <summary>
/// The outbound policy for tenant-set URLs (server-side request forgery): <c>https</c> only unless
/// <see cref="OutboundOptions.AllowHttp"/>, and no loopback, private (RFC 1918, ULA), link-local, CGNAT, multicast
/// or unspecified address unless inside <see cref="OutboundOptions.AllowedPrivateNetworks"/>. Checked at save
/// time for a literal address (<see cref="CheckUrl"/>) and on every connection, on the addresses actually
/// connected to (<see cref="ConnectAsync"/>), so a name that resolves (or re-resolves) to such an address is
/// refused too.
/// </summary>
public sealed class OutboundAddressPolicy
{
    public const string NotAllowedHint =
        "Use the POS's public https address, or, for a POS on your own network, allow its network in Outbound:AllowedPrivateNetworks.";

    private static readonly IPNetwork[] Forbidden =
    [
        IPNetwork.Parse("0.0.0.0/8"), // "this network", unspecified
        IPNetwork.Parse("10.0.0.0/8"), // RFC 1918
        IPNetwork.Parse("100.64.0.0/10"), // CGNAT (RFC 6598)
        IPNetwork.Parse("127.0.0.0/8"), // loopback
        IPNetwork.Parse("169.254.0.0/16"), // link-local, cloud metadata
        IPNetwork.Parse("172.16.0.0/12"), // RFC 1918
        IPNetwork.Parse("192.0.0.0/24"), // IETF protocol assignments
        IPNetwork.Parse("192.168.0.0/16"), // RFC 1918
        IPNetwork.Parse("198.18.0.0/15"), // benchmarking
        IPNetwork.Parse("224.0.0.0/4"), // multicast
        IPNetwork.Parse("240.0.0.0/4"), // reserved, broadcast
        IPNetwork.Parse("::/128"), // unspecified
        IPNetwork.Parse("::1/128"), // loopback
        IPNetwork.Parse("fc00::/7"), // unique local (ULA)
        IPNetwork.Parse("fe80::/10"), // link-local
        IPNetwork.Parse("fec0::/10"), // site-local (deprecated)
        IPNetwork.Parse("ff00::/8"), // multicast
    ];

    private readonly OutboundOptions _options;
    private readonly IPNetwork[] _allowed;

    public OutboundAddressPolicy(IOptions<OutboundOptions> options)
    {
        _options = options.Value;
        _allowed = _options.AllowedPrivateNetworks.Select(IPNetwork.Parse).ToArray();
    }

    public bool AllowHttp => _options.AllowHttp;

    /// <summary>Whether OrderHub may connect to <paramref name="address"/>.</summary>
    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return !Forbidden.Any(n => n.Contains(address)) || _allowed.Any(n => n.Contains(address));
    }

    /// <summary>
    /// Why <paramref name="url"/> may not be saved, or null: a scheme other than https (or http when allowed), or
    /// a literal address the policy refuses. Host names are checked when connecting. A message key with its
    /// arguments (<c>outbound.*</c>), rendered in the reader's language by the host.
    /// </summary>
    public MessageRef? CheckUrl(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return MessageRef.Of("outbound.notAbsolute");
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && AllowHttp))
        {
            return MessageRef.Of(AllowHttp ? "outbound.httpOrHttps" : "outbound.httpsOnly");
        }

        return IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && !IsAllowed(address)
            ? MessageRef.Of("outbound.privateAddress", ("address", address))
            : null;
    }

    /// <summary>
    /// A <see cref="SocketsHttpHandler.ConnectCallback"/>: refuses http when not allowed, resolves the host and
    /// refuses it if any address is not allowed (before any connection is tried, so refusals say nothing about
    /// ports), then connects (through <paramref name="inner"/> when the client has its own callback) and checks the
    /// address actually connected to.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(
        SocketsHttpConnectionContext context, Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? inner,
        CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        if (context.InitialRequestMessage.RequestUri is { Scheme: "http" } && !AllowHttp)
        {
            throw new OutboundAddressRefusedException(host, null, "plain http is not allowed (Outbound:AllowHttp); use https.", MessageRef.Of("outbound.refusedHttp"));
        }

        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.FirstOrDefault(a => !IsAllowed(a)) is { } refused)
        {
            throw Refused(host, refused);
        }

        Stream stream;
        if (inner is null)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            stream = new NetworkStream(socket, ownsSocket: true);
        }
        else
        {
            stream = await inner(context, cancellationToken).ConfigureAwait(false);
        }

        // The inner callback resolves the name again: a second answer (DNS rebinding) is checked here.
        if (stream is NetworkStream { Socket.RemoteEndPoint: IPEndPoint connected } && !IsAllowed(connected.Address))
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw Refused(host, connected.Address);
        }

        return stream;
    }

    private static OutboundAddressRefusedException Refused(string host, IPAddress address) =>
        new(host, address, $"{host} is {address}, a loopback, private, link-local, CGNAT or multicast address.",
            MessageRef.Of("outbound.refusedAddress", ("host", host), ("address", address)));

    /// <summary>The refusal behind a failed send, if the policy refused it.</summary>
    public static OutboundAddressRefusedException? RefusalIn(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OutboundAddressRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }
}
