using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>OrderHub on a real loopback port (Kestrel), so a browser can reach it.</summary>
public static class KestrelOrderHub
{
    /// <summary>Starts <paramref name="factory"/> on a free port and returns its base URL.</summary>
    public static string Start(OrderHubFactory factory)
    {
        factory.UseKestrel(0);
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
    }
}
