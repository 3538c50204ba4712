namespace OrderHub.Domain.Fiscal;

/// <summary>The software register (PRRO) provider a fiscal connection talks to.</summary>
public enum FiscalProvider
{
    Checkbox,
    Cashalot,
}

/// <summary>What the last "check connection" (or the last receipt attempt) found.</summary>
public enum FiscalConnectionStatus
{
    /// <summary>Never checked, or changed since the last check.</summary>
    NotConnected,

    /// <summary>Signed in, the register answered and the settings are complete.</summary>
    Connected,

    /// <summary>The provider refused the credentials or the register; see <see cref="FiscalConnection.StatusMessage"/>.</summary>
    Error,
}

/// <summary>
/// How one pickup point (or, with no <see cref="PickupPointId"/>, every point of a company without its own)
/// issues fiscal receipts. Secrets are stored encrypted and never leave through the API.
/// </summary>
public sealed class FiscalConnection
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CompanyId { get; set; }

    /// <summary>Null: the company's default, used by points without their own connection.</summary>
    public Guid? PickupPointId { get; set; }

    /// <summary>The point's id, or the company's for the default: unique, so each has at most one connection.</summary>
    public Guid ScopeId { get; set; }

    public string Name { get; set; } = "";

    public FiscalProvider Provider { get; set; }

    /// <summary>The "fiscal receipt" switch: issue a receipt when an order is paid.</summary>
    public bool ReceiptsEnabled { get; set; }

    /// <summary>The cashier's PIN in the provider's cashier management, encrypted.</summary>
    public string? PinProtected { get; set; }

    /// <summary>Checkbox: the register's license key (<c>X-License-Key</c>), encrypted.</summary>
    public string? LicenseKeyProtected { get; set; }

    /// <summary>Cashalot: the key material as JSON {certificate, privateKey, password} (base64 values), encrypted.</summary>
    public string? KeyMaterialProtected { get; set; }

    /// <summary>The tax code (Checkbox tax code or Cashalot tax letter) of goods without their own.</summary>
    public string? DefaultTaxCode { get; set; }

    /// <summary>Per-product tax codes, as a JSON object {dotsProductId: taxCode}.</summary>
    public string? ProductTaxCodes { get; set; }

    /// <summary>Local time of day (the point's time zone) at which the open shift is closed with a Z report; null: never by OrderHub.</summary>
    public TimeOnly? ShiftCloseAt { get; set; }

    /// <summary>The local date of the last Z report OrderHub made, so it closes once per day.</summary>
    public DateOnly? LastShiftClosedOn { get; set; }

    public FiscalConnectionStatus Status { get; set; } = FiscalConnectionStatus.NotConnected;

    /// <summary>The English text of the last status; the fallback for rows without <see cref="StatusMessageKey"/>.</summary>
    public string? StatusMessage { get; set; }

    /// <summary>The last status as data: a message catalog key, rendered in the reader's language with <see cref="StatusMessageArgs"/> (JSON).</summary>
    public string? StatusMessageKey { get; set; }

    public string? StatusMessageArgs { get; set; }

    public DateTimeOffset? CheckedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The tax code for a product: its own, else the default.</summary>
    public string? TaxCodeFor(string dotsProductId)
    {
        if (ProductTaxCodes is { Length: > 0 } json)
        {
            var map = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(json);
            if (map is not null && map.TryGetValue(dotsProductId, out var code))
            {
                return code;
            }
        }

        return DefaultTaxCode;
    }
}

/// <summary>
/// An employee who fiscalizes at a pickup point: linked to an OrderHub user by login name and carrying the
/// register's fiscal number (ФН ПРРО).
/// </summary>
public sealed class FiscalEmployee
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid CompanyId { get; set; }

    public Guid PickupPointId { get; set; }

    public string Name { get; set; } = "";

    /// <summary>The linked user's login name (the authenticated principal's name); null: not linked.</summary>
    public string? UserName { get; set; }

    /// <summary>The register's fiscal number (ФН ПРРО), not the person's tax number.</summary>
    public string? FiscalNumber { get; set; }

    /// <summary>The point's cashier for automatic receipts (online payment, payment reported by Dots).</summary>
    public bool IsDefaultCashier { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
