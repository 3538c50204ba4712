using System.Text.Json.Nodes;
using Refit;

namespace OrderHub.Integrations.Fiscal;

/// <summary>
/// Checkbox's REST API under <see cref="FiscalOptions.CheckboxBaseUrl"/> (<c>X-Client-Name</c> and
/// <c>X-Client-Version</c> are the client's default headers). Every method answers the raw response:
/// <see cref="CheckboxClient"/> reads Checkbox's error bodies (<c>{"message","code"}</c> or 422 <c>detail</c>).
/// </summary>
public interface ICheckboxApi
{
    [Post("/cashier/signinPinCode")]
    Task<HttpResponseMessage> SignInAsync([Header("X-License-Key")] string licenseKey, [Body] CheckboxSignIn body, CancellationToken cancellationToken);

    [Get("/cashier/tax")]
    Task<HttpResponseMessage> GetTaxesAsync([Header("X-License-Key")] string licenseKey, [Authorize] string token, CancellationToken cancellationToken);

    [Post("/shifts")]
    Task<HttpResponseMessage> OpenShiftAsync([Header("X-License-Key")] string licenseKey, [Authorize] string token, [Body] CheckboxEmpty body, CancellationToken cancellationToken);

    [Post("/shifts/close")]
    Task<HttpResponseMessage> CloseShiftAsync([Header("X-License-Key")] string licenseKey, [Authorize] string token, [Body] CheckboxEmpty body, CancellationToken cancellationToken);

    /// <summary>A sale or a return; the body is <see cref="CheckboxClient.BuildSell"/>'s, with OrderHub's receipt id.</summary>
    [Post("/receipts/sell")]
    Task<HttpResponseMessage> SellAsync([Header("X-License-Key")] string licenseKey, [Authorize] string token, [Body] JsonObject receipt, CancellationToken cancellationToken);

    [Get("/receipts/{id}")]
    Task<HttpResponseMessage> GetReceiptAsync([Header("X-License-Key")] string licenseKey, [Authorize] string token, Guid id, CancellationToken cancellationToken);

    [Post("/receipts/{id}/email")]
    Task<HttpResponseMessage> SendEmailAsync([Header("X-License-Key")] string licenseKey, [Authorize] string token, Guid id, [Body] string[] emails, CancellationToken cancellationToken);

    [Post("/receipts/{id}/sms")]
    Task<HttpResponseMessage> SendSmsAsync([Header("X-License-Key")] string licenseKey, [Authorize] string token, Guid id, [Body] CheckboxSms body, CancellationToken cancellationToken);
}

// Wire DTOs, named as Checkbox spells them.

public sealed record CheckboxSignIn([property: System.Text.Json.Serialization.JsonPropertyName("pin_code")] string PinCode);

public sealed record CheckboxSms([property: System.Text.Json.Serialization.JsonPropertyName("phone")] string Phone);

/// <summary>An empty JSON object, the body Checkbox expects for the shift calls.</summary>
public sealed record CheckboxEmpty
{
    public static readonly CheckboxEmpty Instance = new();
}
