using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OrderHub.Simulators;

/// <summary>
/// A stand-in for Cashalot's command API at <c>/cashalot/api</c>: one endpoint, synchronous answers with
/// <c>ErrorCode</c>. Checks the register's fiscal number and the key password, keeps shifts, registers checks
/// (a repeated UID makes a second check, as a naive fiscal server would) and reads them back by UID.
/// </summary>
public static class CashalotSimulatorEndpoints
{
    public const string Provider = "cashalot";

    public static void Map(IEndpointRouteBuilder group, FiscalSimulator fiscal)
    {
        group.MapPost("/cashalot/api", async (HttpContext http, CancellationToken _) =>
        {
            if (fiscal.Fault(Provider) is { } fault)
            {
                return fault;
            }

            JsonNode? body;
            try
            {
                body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            }
            catch (JsonException)
            {
                return Answer("DocumentValidationError", "The request is not JSON.");
            }

            var command = body?["Command"]?.GetValue<string>();
            var numFiscal = body?["NumFiscal"]?.GetValue<string>();
            var register = fiscal.Options.CashalotRegisters.FirstOrDefault(r => r.NumFiscal == numFiscal);
            if (register is null)
            {
                return Answer("TransactionsRegistrarAbsent", $"Реєстратор розрахункових операцій з фіскальним номером {numFiscal} не знайдено.");
            }

            var password = Decode(body?["Password"]?.GetValue<string>());
            if (body?["Certificate"] is null || body["PrivateKey"] is null || password != register.Password)
            {
                return Answer("CryptographyError", "Помилка ключа: невірний пароль або ключ.");
            }

            switch (command)
            {
                case "TransactionsRegistrarState":
                    return Answer("Ok", null, new { ShiftState = fiscal.IsShiftOpen(numFiscal!) ? 1 : 0 });
                case "OpenShift":
                    return fiscal.OpenShift(numFiscal!) ? Answer("Ok", null) : Answer("ShiftAlreadyOpened", "Зміну вже відкрито.");
                case "CloseShift":
                    return fiscal.CloseShift(numFiscal!) ? Answer("Ok", null, new { ZRepAuto = true }) : Answer("ShiftNotOpened", "Зміну не відкрито.");
                case "GetCheck":
                    var uid = body?["CheckUid"]?.GetValue<string>();
                    var found = uid is null ? null : fiscal.Find(Provider, uid);
                    return found is null ? Answer("DocumentValidationError", "Check not found.") : Answer("Ok", null, Describe(found));
                case "RegisterCheck":
                    return await RegisterAsync(http, fiscal, numFiscal!, body!["Check"]);
                case "SendCheckToConsumer":
                    var check = fiscal.FindByFiscalCode(Provider, body?["OrderNumFiscal"]?.GetValue<string>() ?? "");
                    var phone = body?["PhoneNumber"]?.GetValue<string>();
                    var email = body?["EMail"]?.GetValue<string>();
                    if (check is null || (phone is null && email is null))
                    {
                        return Answer("DocumentValidationError", "Check or consumer contact not found.");
                    }

                    fiscal.AddCopy(check, phone is not null ? "sms:" + phone : "email:" + email);
                    return Answer("Ok", null);
                default:
                    return Answer("DocumentValidationError", $"Unknown command '{command}'.");
            }
        });
    }

    private static async Task<IResult> RegisterAsync(HttpContext http, FiscalSimulator fiscal, string numFiscal, JsonNode? check)
    {
        if (!fiscal.IsShiftOpen(numFiscal))
        {
            return Answer("ShiftNotOpened", "Зміну не відкрито.");
        }

        var head = check?["CHECKHEAD"];
        var uid = head?["UID"]?.GetValue<string>();
        var rows = check?["CHECKBODY"]?.AsArray();
        if (uid is null || rows is null || rows.Count == 0)
        {
            return Answer("DocumentValidationError", "CHECKHEAD.UID and CHECKBODY are required.");
        }

        decimal sum = 0;
        foreach (var row in rows)
        {
            var amount = row?["AMOUNT"]?.GetValue<decimal>() ?? 0;
            var price = row?["PRICE"]?.GetValue<decimal>() ?? -1;
            var cost = row?["COST"]?.GetValue<decimal>() ?? -1;
            if (amount <= 0 || price < 0 || Math.Round(amount * price, 2, MidpointRounding.AwayFromZero) != cost)
            {
                return Answer("DocumentValidationError", $"Row {row?["CODE"]}: COST must equal AMOUNT × PRICE in UAH.");
            }

            sum += cost;
        }

        var total = check?["CHECKTOTAL"];
        sum -= total?["DISCOUNTSUM"]?.GetValue<decimal>() ?? 0;
        var declared = total?["SUM"]?.GetValue<decimal>();
        var paid = (check?["CHECKPAY"]?.AsArray() ?? []).Sum(p => p?["SUM"]?.GetValue<decimal>() ?? 0);
        if (declared != sum || paid != sum)
        {
            return Answer("DocumentValidationError", $"CHECKTOTAL.SUM {declared} and CHECKPAY {paid} must equal the rows less the discount, {sum.ToString(CultureInfo.InvariantCulture)}.");
        }

        var isReturn = head?["DOCSUBTYPE"]?.GetValue<string>() == "CheckReturn";
        var related = head?["ORDERRETNUM"]?.GetValue<string>();
        if (isReturn && (related is null || fiscal.FindByFiscalCode(Provider, related) is null))
        {
            return Answer("DocumentValidationError", "ORDERRETNUM must be the fiscal number of a sale check.");
        }

        var stored = fiscal.Add(Provider, uid, numFiscal, isReturn, related, check!.DeepClone());
        stored.Status = "DONE";
        await FiscalSimulator.DelayIfAskedAsync(http, fiscal.Settings(Provider));
        return Answer("Ok", null, Describe(stored));
    }

    private static object Describe(SimulatedReceipt r) => new
    {
        NumFiscal = r.FiscalCode,
        NumLocal = r.FiscalCode[^3..],
        Url = $"https://cabinet.tax.gov.ua/cashregs/check?fn={r.Register}&id={r.FiscalCode}",
        OrderDateTime = r.FiscalDate,
        Offline = false,
    };

    private static IResult Answer(string code, string? message, object? fields = null)
    {
        var node = fields is null ? new JsonObject() : JsonSerializer.SerializeToNode(fields)!.AsObject();
        node["ErrorCode"] = code;
        node["ErrorMessage"] = message;
        return Results.Json(node);
    }

    private static string? Decode(string? base64)
    {
        if (base64 is null)
        {
            return null;
        }

        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
