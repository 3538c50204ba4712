using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OrderHub.Simulators;

/// <summary>
/// A stand-in for Checkbox's REST API under <c>/checkbox/api/v1</c>: PIN sign-in with the license key, shifts,
/// sell and return with the client's receipt id, status polling, copies by e-mail and SMS, and its error codes.
/// </summary>
public static class CheckboxSimulatorEndpoints
{
    public const string Provider = "checkbox";

    public static void Map(IEndpointRouteBuilder group, FiscalSimulator fiscal)
    {
        var api = group.MapGroup("/checkbox/api/v1");

        api.MapPost("/cashier/signinPinCode", async (HttpContext http, CancellationToken _) =>
        {
            if (fiscal.Fault(Provider) is { } fault)
            {
                return fault;
            }

            if (!http.Request.Headers.ContainsKey("X-Client-Name"))
            {
                return Error(400, "base.client_name_required", "X-Client-Name header is required");
            }

            var license = http.Request.Headers["X-License-Key"].ToString();
            var register = fiscal.Options.CheckboxRegisters.FirstOrDefault(r => r.LicenseKey == license);
            if (register is null)
            {
                return Error(401, "cash_register.invalid_license_key", "Invalid license key");
            }

            var body = await ReadAsync(http);
            var pin = body?["pin_code"]?.GetValue<string>();
            var cashier = register.Cashiers.FirstOrDefault(c => c.Pin == pin);
            if (cashier is null)
            {
                return Error(403, "cashier.invalid_credentials", "Invalid credentials");
            }

            return Results.Ok(new { type = "bearer", token_type = "bearer", access_token = fiscal.IssueToken(license) });
        });

        api.MapGet("/cashier/tax", (HttpContext http, CancellationToken _) => WithRegister(http, fiscal, license =>
        {
            var register = fiscal.Options.CheckboxRegisters.First(r => r.LicenseKey == license);
            return Task.FromResult(Results.Ok(register.TaxCodes.Select(code => new { code = int.Parse(code, System.Globalization.CultureInfo.InvariantCulture), label = "ПДВ", rate = 20.0 })));
        }));

        api.MapGet("/cashier/shift", (HttpContext http, CancellationToken _) => WithRegister(http, fiscal, license =>
            Task.FromResult(fiscal.IsShiftOpen(license)
                ? Results.Ok(new { id = Guid.NewGuid(), status = "OPENED" })
                : Results.Ok((object?)null))));

        api.MapPost("/shifts", (HttpContext http, CancellationToken _) => WithRegister(http, fiscal, license =>
            Task.FromResult(fiscal.OpenShift(license)
                ? Results.Json(new { id = Guid.NewGuid(), status = "OPENED" }, statusCode: 202)
                : Error(400, "shift.already_opened", "Shift is already opened"))));

        api.MapPost("/shifts/close", (HttpContext http, CancellationToken _) => WithRegister(http, fiscal, license =>
            Task.FromResult(fiscal.CloseShift(license)
                ? Results.Json(new { id = Guid.NewGuid(), status = "CLOSING", z_report = new { id = Guid.NewGuid() } }, statusCode: 202)
                : Error(400, "shift.not_opened", "Shift is not opened"))));

        api.MapPost("/receipts/sell", (HttpContext http, CancellationToken _) => WithRegister(http, fiscal, async license =>
        {
            var body = await ReadAsync(http);
            if (body is not JsonObject receipt)
            {
                return Error(422, "validation", "Invalid body", ["body"]);
            }

            if (!fiscal.IsShiftOpen(license))
            {
                return Error(400, "shift.not_opened", "Зміну не відкрито");
            }

            var id = receipt["id"]?.GetValue<string>() ?? Guid.NewGuid().ToString();
            if (fiscal.Find(Provider, id) is not null)
            {
                return Error(400, "receipt.already_exists", $"Receipt with id {id} already exists");
            }

            if (Validate(receipt) is { } invalid)
            {
                return invalid;
            }

            var goods = receipt["goods"]!.AsArray();
            var isReturn = goods.Any(g => g?["is_return"]?.GetValue<bool>() == true);
            var related = receipt["related_receipt_id"]?.GetValue<string>();
            if (isReturn && (related is null || fiscal.Find(Provider, related) is not { Status: "DONE", IsReturn: false }))
            {
                return Error(400, "receipt.related_not_found", "Related sale receipt not found", ["related_receipt_id"]);
            }

            var settings = fiscal.Settings(Provider);
            if (settings.DropThenTimeout)
            {
                // Lost before Checkbox stored it, and no answer in time.
                await FiscalSimulator.DelayIfAskedAsync(http, settings);
                return Error(504, "gateway.timeout", "Lost");
            }

            var stored = fiscal.Add(Provider, id, license, isReturn, related, receipt.DeepClone());
            await FiscalSimulator.DelayIfAskedAsync(http, settings);
            return Results.Json(Describe(stored), statusCode: 201);
        }));

        api.MapGet("/receipts/{id}", (HttpContext http, string id) => WithRegister(http, fiscal, _ =>
        {
            var s = fiscal.Settings(Provider);
            if (s.RefuseLookups)
            {
                return Task.FromResult(Error(403, "permission.denied", "Недостатньо прав"));
            }

            var receipt = fiscal.Find(Provider, id);
            if (receipt is null)
            {
                return Task.FromResult(Error(404, "receipt.not_found", "Receipt not found"));
            }

            receipt.Polls++;
            if (receipt.Status == "CREATED" && receipt.Polls >= s.PollsBeforeDone)
            {
                receipt.Status = s.FiscalizationError is null ? "DONE" : "ERROR";
            }

            return Task.FromResult(Results.Ok(Describe(receipt, s.FiscalizationError)));
        }));

        api.MapPost("/receipts/{id}/email", (HttpContext http, string id) => WithRegister(http, fiscal, async _ =>
        {
            var receipt = fiscal.Find(Provider, id);
            var body = await ReadAsync(http);
            if (receipt is not { Status: "DONE" } || body is not JsonArray emails || emails.Count == 0)
            {
                return Error(400, "receipt.delivery_failed", "Receipt not done or no e-mails");
            }

            foreach (var email in emails)
            {
                fiscal.AddCopy(receipt, "email:" + email!.GetValue<string>());
            }

            return Results.Ok(new { ok = true });
        }));

        api.MapPost("/receipts/{id}/sms", (HttpContext http, string id) => WithRegister(http, fiscal, async _ =>
        {
            var receipt = fiscal.Find(Provider, id);
            var phone = (await ReadAsync(http))?["phone"]?.GetValue<string>();
            if (receipt is not { Status: "DONE" } || phone is not { Length: 12 } || !phone.StartsWith("380", StringComparison.Ordinal))
            {
                return Error(422, "validation", "Phone must be 380XXXXXXXXX", ["body", "phone"]);
            }

            fiscal.AddCopy(receipt, "sms:" + phone);
            return Results.Ok(new { ok = true });
        }));
    }

    private static object Describe(SimulatedReceipt r, string? error = null) => new
    {
        id = r.Id,
        status = r.Status,
        type = r.IsReturn ? "RETURN" : "SELL",
        fiscal_code = r.Status == "DONE" ? r.FiscalCode : null,
        fiscal_date = r.Status == "DONE" ? r.FiscalDate : (DateTimeOffset?)null,
        tax_url = r.Status == "DONE" ? $"https://cabinet.tax.gov.ua/cashregs/check?id={r.FiscalCode}&date={r.FiscalDate:yyyyMMdd}" : null,
        transaction = r.Status == "ERROR" ? new { response_error_message = error } : null,
    };

    private static async Task<IResult> WithRegister(HttpContext http, FiscalSimulator fiscal, Func<string, Task<IResult>> action)
    {
        if (fiscal.Fault(Provider) is { } fault)
        {
            return fault;
        }

        var auth = http.Request.Headers.Authorization.ToString();
        var register = auth.StartsWith("Bearer ", StringComparison.Ordinal) ? fiscal.RegisterOfToken(auth[7..]) : null;
        if (register is null)
        {
            return Error(401, "base.credentials", "Not authenticated");
        }

        return await action(register);
    }

    /// <summary>Checkbox's units: price in kopecks per unit, quantity × 1000, payments in kopecks; they must add up.</summary>
    private static IResult? Validate(JsonObject receipt)
    {
        if (receipt["goods"] is not JsonArray { Count: > 0 } goods)
        {
            return Error(422, "validation", "field required", ["body", "goods"]);
        }

        long total = 0;
        for (var i = 0; i < goods.Count; i++)
        {
            var good = goods[i]?["good"];
            var price = good?["price"]?.GetValue<long>();
            var quantity = goods[i]?["quantity"]?.GetValue<long>();
            if (good?["code"] is null || good["name"] is null || price is null or < 0 || quantity is null or <= 0)
            {
                return Error(422, "validation", "good.code, good.name, good.price >= 0 and quantity > 0 are required", ["body", "goods", i.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }

            total += (long)Math.Round(price.Value * quantity.Value / 1000m, MidpointRounding.AwayFromZero);
        }

        foreach (var discount in receipt["discounts"]?.AsArray() ?? [])
        {
            total -= discount?["value"]?.GetValue<long>() ?? 0;
        }

        var paid = (receipt["payments"]?.AsArray() ?? []).Sum(p => p?["value"]?.GetValue<long>() ?? 0);
        if (paid != total)
        {
            return Error(422, "validation", $"Payments sum {paid} differs from the receipt sum {total}", ["body", "payments"]);
        }

        return null;
    }

    private static async Task<JsonNode?> ReadAsync(HttpContext http)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Error(int status, string code, string message, string[]? loc = null) => status == 422
        ? Results.Json(new { message, detail = new[] { new { loc = loc ?? ["body"], msg = message, type = code } } }, statusCode: status)
        : Results.Json(new { message, detail = (object?)null, code }, statusCode: status);
}
