namespace OrderHub.Api.Processing;

/// <summary>
/// The name this instance's leases carry. Stable across restarts by default (the machine name, or a pod name set
/// as <c>Processing:InstanceId</c>), so a restarted instance takes back its own leased rows at once instead of
/// waiting for the leases to run out. Several instances on one database need distinct names.
/// </summary>
public sealed class InstanceIdentity(IConfiguration configuration)
{
    /// <summary>At most 40 characters, so owner + "/" + a 16-digit claim token fits a lease column of 64.</summary>
    public string Id { get; } = Clip(configuration["Processing:InstanceId"] is { Length: > 0 } id ? id
        : configuration["Dispatcher:InstanceId"] is { Length: > 0 } dispatcher ? dispatcher
        : Environment.MachineName);

    /// <summary>A new claim token: the instance id, "/", 16 hex digits.</summary>
    public string NewClaimToken() => $"{Id}/{Guid.NewGuid():N}"[..(Id.Length + 17)];

    /// <summary>The prefix of every claim token this instance (under this name) ever made.</summary>
    public string TokenPrefix => Id + "/";

    private static string Clip(string id) => id.Length <= 40 ? id : id[^40..];
}
