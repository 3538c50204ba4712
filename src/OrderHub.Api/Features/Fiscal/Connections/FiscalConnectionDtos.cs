using OrderHub.Domain.Fiscal;

namespace OrderHub.Api.Features.Fiscal.Connections;

/// <summary>A fiscal connection. Secrets are write-only: only the has* flags say whether they are stored.</summary>
public sealed record FiscalConnectionDto
{
    public Guid Id { get; init; }
    public Guid CompanyId { get; init; }

    /// <summary>Null for the company's default.</summary>
    public Guid? PickupPointId { get; init; }

    /// <summary><c>pickupPoint</c> (the point's own) or <c>company</c> (the company default the point inherits).</summary>
    public string Source { get; init; } = "";
    public string Name { get; init; } = "";

    /// <summary>Checkbox or Cashalot.</summary>
    public string Provider { get; init; } = "";

    /// <summary>The "fiscal receipt" switch.</summary>
    public bool ReceiptsEnabled { get; init; }
    public bool HasPin { get; init; }
    public bool HasLicenseKey { get; init; }
    public bool HasKeyMaterial { get; init; }
    public string? DefaultTaxCode { get; init; }
    public IReadOnlyDictionary<string, string> ProductTaxCodes { get; init; } = new Dictionary<string, string>();

    /// <summary>Local time (HH:mm) of the daily Z report; null: OrderHub does not close shifts.</summary>
    public string? ShiftCloseAt { get; init; }

    /// <summary>NotConnected, Connected (connected and configured) or Error.</summary>
    public string Status { get; init; } = "";
    public string? StatusMessage { get; init; }
    public DateTimeOffset? CheckedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The status sentences stored without arguments; stored as their English, they read back in the reader's language.</summary>
    private static readonly string[] KnownStatuses = ["fiscal.connection.changed", "fiscal.check.connectedCheckbox"];

    public static string StoredEnglish(string key) => Messages.MessageCatalog.Render(Messages.Msg.Of(key), Messages.MessageCatalog.English);

    /// <summary>A stored status in <paramref name="language"/> when it is one of <see cref="KnownStatuses"/>; anything else as stored.</summary>
    public static string? StatusIn(string? stored, string language) =>
        stored is null ? null
        : KnownStatuses.FirstOrDefault(k => StoredEnglish(k) == stored) is { } key ? Messages.MessageCatalog.Render(Messages.Msg.Of(key), language)
        : stored;

    public static FiscalConnectionDto From(FiscalConnection c, Guid? askedFor = null) => new()
    {
        Id = c.Id,
        CompanyId = c.CompanyId,
        PickupPointId = c.PickupPointId,
        Source = c.PickupPointId is null ? "company" : "pickupPoint",
        Name = c.Name,
        Provider = c.Provider.ToString(),
        ReceiptsEnabled = c.ReceiptsEnabled,
        HasPin = c.PinProtected is not null,
        HasLicenseKey = c.LicenseKeyProtected is not null,
        HasKeyMaterial = c.KeyMaterialProtected is not null,
        DefaultTaxCode = c.DefaultTaxCode,
        ProductTaxCodes = c.ProductTaxCodes is { Length: > 0 } json
            ? System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? []
            : new Dictionary<string, string>(),
        ShiftCloseAt = c.ShiftCloseAt?.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        Status = c.Status.ToString(),
        StatusMessage = c.StatusMessageKey is null ? StatusIn(c.StatusMessage, Messages.MessageCatalog.CurrentLanguage) : Fiscalization.FiscalConnectionStatusMessage.In(c, Messages.MessageCatalog.CurrentLanguage),
        CheckedAt = c.CheckedAt,
        CreatedAt = c.CreatedAt,
        UpdatedAt = c.UpdatedAt,
    };
}

/// <summary>What "check connection" found.</summary>
public sealed record FiscalConnectionCheckResult(string Status, string Message, string? FixHint, IReadOnlyList<string> TaxCodes);
