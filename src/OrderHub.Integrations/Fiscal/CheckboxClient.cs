using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace OrderHub.Integrations.Fiscal;

/// <summary>
/// Checkbox's REST API through <see cref="ICheckboxApi"/>. No retry inside: a sell is repeated only by the receipt worker,
/// always with the same receipt id, which Checkbox refuses as <c>receipt.already_exists</c> once it has it.
/// </summary>
public sealed class CheckboxClient(ICheckboxApi api, IOptions<FiscalOptions> options)
{
    public const string AlreadyExists = "receipt.already_exists";
    public const string ShiftNotOpened = "shift.not_opened";
    public const string ShiftAlreadyOpened = "shift.already_opened";
    public const string InvalidCredentials = "cashier.invalid_credentials";
    public const string InvalidLicenseKey = "cash_register.invalid_license_key";
    public const string StaleToken = "base.credentials";

    private FiscalOptions Options => options.Value;

    /// <summary>Signs the cashier in with the PIN on the register of <paramref name="licenseKey"/>; the value is the bearer token.</summary>
    public async Task<FiscalCall<string>> SignInAsync(string licenseKey, string pin, CancellationToken cancellationToken)
    {
        return await SendAsync(ct => api.SignInAsync(licenseKey, new CheckboxSignIn(pin), ct), false, body => body?["access_token"]?.GetValue<string>(), cancellationToken);
    }

    /// <summary>The organization's tax codes.</summary>
    public async Task<FiscalCall<IReadOnlyList<string>>> GetTaxCodesAsync(string licenseKey, string token, CancellationToken cancellationToken)
    {
        return await SendAsync<IReadOnlyList<string>>(ct => api.GetTaxesAsync(licenseKey, token, ct), false,
            body => body is JsonArray taxes ? taxes.Select(t => t?["code"]?.ToString() ?? "").Where(c => c.Length > 0).ToList() : null, cancellationToken);
    }

    /// <summary>Opens a shift; one already open counts as success.</summary>
    public async Task<FiscalCall<bool>> OpenShiftAsync(string licenseKey, string token, CancellationToken cancellationToken)
    {
        var result = await SendAsync(ct => api.OpenShiftAsync(licenseKey, token, CheckboxEmpty.Instance, ct), false, _ => (bool?)true, cancellationToken);
        return result.Code == ShiftAlreadyOpened ? new FiscalCall<bool>(FiscalCallOutcome.Ok, true) : result.As<bool>() with { Value = result.IsOk };
    }

    /// <summary>Closes the shift with a Z report; no open shift counts as success (nothing to close).</summary>
    public async Task<FiscalCall<bool>> CloseShiftAsync(string licenseKey, string token, CancellationToken cancellationToken)
    {
        var result = await SendAsync(ct => api.CloseShiftAsync(licenseKey, token, CheckboxEmpty.Instance, ct), false, _ => (bool?)true, cancellationToken);
        return result.Code == ShiftNotOpened ? new FiscalCall<bool>(FiscalCallOutcome.Ok, false) : result.As<bool>() with { Value = result.IsOk };
    }

    /// <summary>Sells (or returns) with the receipt's own id. Ambiguous on a timeout: the worker reads it back.</summary>
    public async Task<FiscalCall<FiscalReceiptStatus>> SellAsync(string licenseKey, string token, FiscalReceiptRequest receipt, CancellationToken cancellationToken)
    {
        var body = BuildSell(receipt);
        return await SendAsync(ct => api.SellAsync(licenseKey, token, body, ct), true, ReadStatus, cancellationToken);
    }

    public async Task<FiscalCall<FiscalReceiptStatus>> GetReceiptAsync(string licenseKey, string token, Guid id, CancellationToken cancellationToken)
    {
        return await SendAsync(ct => api.GetReceiptAsync(licenseKey, token, id, ct), false, ReadStatus, cancellationToken);
    }

    public async Task<FiscalCall<bool>> SendEmailAsync(string licenseKey, string token, Guid id, string email, CancellationToken cancellationToken)
    {
        var r = await SendAsync(ct => api.SendEmailAsync(licenseKey, token, id, [email], ct), false, _ => (bool?)true, cancellationToken);
        return r.As<bool>() with { Value = r.IsOk };
    }

    public async Task<FiscalCall<bool>> SendSmsAsync(string licenseKey, string token, Guid id, string phone, CancellationToken cancellationToken)
    {
        var r = await SendAsync(ct => api.SendSmsAsync(licenseKey, token, id, new CheckboxSms(phone), ct), false, _ => (bool?)true, cancellationToken);
        return r.As<bool>() with { Value = r.IsOk };
    }

    /// <summary>Checkbox's units: price in kopecks per unit, quantity × 1000, discounts and payments in kopecks.</summary>
    public static JsonObject BuildSell(FiscalReceiptRequest receipt)
    {
        var goods = new JsonArray();
        foreach (var good in receipt.Content.Goods)
        {
            var item = new JsonObject
            {
                ["code"] = good.Code,
                ["name"] = good.Name,
                ["price"] = FiscalHttp.Kopecks(good.Price),
            };
            if (good.TaxCode is { Length: > 0 } tax)
            {
                item["tax"] = new JsonArray(int.TryParse(tax, out var n) ? JsonValue.Create(n) : JsonValue.Create(tax));
            }

            var line = new JsonObject { ["good"] = item, ["quantity"] = (long)Math.Round(good.Quantity * 1000m, MidpointRounding.AwayFromZero) };
            if (receipt.IsReturn)
            {
                line["is_return"] = true;
            }

            goods.Add(line);
        }

        var body = new JsonObject
        {
            ["id"] = receipt.Id.ToString(),
            ["goods"] = goods,
            ["payments"] = new JsonArray(new JsonObject
            {
                ["type"] = receipt.PaymentType,
                ["value"] = FiscalHttp.Kopecks(receipt.Content.Total),
            }),
        };
        if (receipt.CashierName is { Length: > 0 } cashier)
        {
            body["cashier_name"] = cashier;
        }

        if (receipt.Content.Discount > 0)
        {
            body["discounts"] = new JsonArray(new JsonObject
            {
                ["type"] = "DISCOUNT",
                ["mode"] = "VALUE",
                ["value"] = FiscalHttp.Kopecks(receipt.Content.Discount),
                ["name"] = receipt.Content.DiscountName ?? "Знижка",
            });
        }

        if (receipt.RelatedReceiptId is { } related)
        {
            body["related_receipt_id"] = related.ToString();
        }

        if (receipt.BuyerName is not null || receipt.BuyerTaxId is not null)
        {
            body["header"] = string.Join("; ", new[]
            {
                receipt.BuyerName is null ? null : $"Покупець: {receipt.BuyerName}",
                receipt.BuyerTaxId is null ? null : $"Код покупця: {receipt.BuyerTaxId}",
            }.Where(s => s is not null));
        }

        return body;
    }

    private static FiscalReceiptStatus? ReadStatus(JsonNode? body)
    {
        if (body is not JsonObject o || o["status"]?.ToString() is not { } status)
        {
            return null;
        }

        DateTimeOffset? date = DateTimeOffset.TryParse(o["fiscal_date"]?.ToString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d) ? d : null;
        var error = o["transaction"]?["response_error_message"]?.ToString();
        return new FiscalReceiptStatus(status, o["fiscal_code"]?.ToString(), date, o["tax_url"]?.ToString(), error);
    }

    private async Task<FiscalCall<T>> SendAsync<T>(Func<CancellationToken, Task<HttpResponseMessage>> send, bool creates, Func<JsonNode?, T?> read, CancellationToken cancellationToken)
    {
        var (response, failure) = await FiscalHttp.SendAsync<T>(send, Options.AttemptTimeout, creates, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        using var reply = response!;
        {
            JsonNode? body;
            try
            {
                body = await reply.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
            }
            catch (JsonException)
            {
                body = null;
            }

            if (reply.IsSuccessStatusCode)
            {
                var value = read(body);
                return value is null && typeof(T) != typeof(bool)
                    ? new FiscalCall<T>(creates ? FiscalCallOutcome.Ambiguous : FiscalCallOutcome.Retryable, Status: reply.StatusCode, Message: "Checkbox answered something OrderHub cannot read.")
                    : new FiscalCall<T>(FiscalCallOutcome.Ok, value, reply.StatusCode);
            }

            var (code, message) = ReadError(reply.StatusCode, body);
            return new FiscalCall<T>(FiscalCallOutcome.Rejected, default, reply.StatusCode, code, message);
        }
    }

    /// <summary>Checkbox errors: <c>{"message", "code"?}</c>, or 422 <c>{"detail":[{"loc":[...],"msg":...}]}</c>.</summary>
    private static (string? Code, string Message) ReadError(HttpStatusCode status, JsonNode? body)
    {
        if (body?["detail"] is JsonArray details && details.Count > 0)
        {
            var text = string.Join("; ", details.Select(d =>
                $"{string.Join(".", (d?["loc"] as JsonArray ?? []).Select(l => l?.ToString()))}: {d?["msg"]}"));
            return ("validation", text);
        }

        var message = body?["message"]?.ToString() ?? $"HTTP {(int)status}";
        var code = body?["code"]?.ToString();
        if (code is null && message.Contains('.', StringComparison.Ordinal) && !message.Contains(' ', StringComparison.Ordinal))
        {
            code = message;
        }

        return (code, message);
    }
}
