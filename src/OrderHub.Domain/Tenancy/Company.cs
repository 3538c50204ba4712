namespace OrderHub.Domain.Tenancy;

/// <summary>A Dots company (an establishment). Signs its inbound webhooks with its own secret.</summary>
public sealed class Company
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CityId { get; set; }

    /// <summary>The Dots company id (<c>companyId</c> in order events).</summary>
    public string DotsCompanyId { get; set; } = "";

    /// <summary>The URL-safe key in <c>POST /webhooks/dots/{companyKey}</c>.</summary>
    public string Key { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>The inbound <c>whsec_</c> secret, encrypted with Data Protection. Never returned by the API.</summary>
    public string SigningSecretProtected { get; set; } = "";

    /// <summary>The secret replaced by the last rotation, still accepted until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSigningSecretProtected { get; set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset SecretRotatedAt { get; set; }
}
