using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OrderHub.Simulators;

/// <summary>
/// A stand-in for Cashalot's command API at <c>/cashalot/api</c>, in the shapes public clients use: one endpoint,
/// synchronous answers with <c>ErrorCode</c>. Checks the register's fiscal number and the key password (plain
/// text), keeps shifts and the register's local numbering (<c>TransactionsRegistrarState</c>), registers checks (a
/// repeated UID makes a second check: no public source says <c>UID</c> makes <c>RegisterCheck</c> idempotent), and
/// reads documents back only as public clients can: <c>DocumentInfoByLocalNum</c>, and <c>GetCheck</c> by the
/// receipt's own fiscal number.
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

            if (body is not null)
            {
                fiscal.LogCall(body);
            }

            var command = body?["Command"]?.GetValue<string>();
            var numFiscal = body?["NumFiscal"]?.GetValue<string>();
            var register = fiscal.Options.CashalotRegisters.FirstOrDefault(r => r.NumFiscal == numFiscal);
            if (register is null)
            {
                return Answer("TransactionsRegistrarAbsent", $"Реєстратор розрахункових операцій з фіскальним номером {numFiscal} не знайдено.");
            }

            var password = body?["Password"]?.GetValue<string>();
            if (body?["Certificate"] is null || body["PrivateKey"] is null || password != register.Password)
            {
                return Answer("CryptographyError", "Помилка ключа: невірний пароль або ключ.");
            }

            var settings = fiscal.Settings(Provider);
            switch (command)
            {
                case "TransactionsRegistrarState":
                    return Answer("Ok", null, new
                    {
                        ShiftState = fiscal.IsShiftOpen(numFiscal!) ? 1 : 0,
                        NextLocalNum = fiscal.NextLocal(numFiscal!),
                        LastFiscalNum = fiscal.Receipts(Provider).LastOrDefault(r => r.Register == numFiscal)?.FiscalCode,
                    });
                case "OpenShift":
                    if (!fiscal.OpenShift(numFiscal!))
                    {
                        return Answer("ShiftAlreadyOpened", "Зміну вже відкрито.");
                    }

                    fiscal.TakeLocal(numFiscal!);
                    return Answer("Ok", null);
                case "CloseShift":
                    if (!fiscal.CloseShift(numFiscal!))
                    {
                        return Answer("ShiftNotOpened", "Зміну не відкрито.");
                    }

                    fiscal.TakeLocal(numFiscal!);
                    return Answer("Ok", null, new { ZRepAuto = true });
                case "GetCheck" or "DocumentInfoByLocalNum" when settings.RefuseLookups:
                    return Answer("CommandNotAvailable", "Команда недоступна для цього ключа.");
                case "GetCheck":
                    // Public clients read a check by the register and the receipt's own fiscal number.
                    var numbered = body?["NumFiscal"]?.GetValue<string>();
                    var registrar = body?["RegistrarNumFiscal"]?.GetValue<string>();
                    var byCode = registrar is null ? null : fiscal.Receipts(Provider).FirstOrDefault(r => r.Register == registrar && r.FiscalCode == numbered);
                    return byCode is null ? Answer("DocumentValidationError", "Check not found.") : Answer("Ok", null, Describe(byCode));
                case "DocumentInfoByLocalNum":
                    var local = body?["NumLocal"]?.GetValue<long>();
                    var document = local is null ? null : fiscal.FindByLocal(Provider, numFiscal!, local.Value);
                    return document is null
                        ? Answer("DocumentValidationError", $"Документ з локальним номером {local} не знайдено.")
                        : Answer("Ok", null, new
                        {
                            NumFiscal = document.FiscalCode,
                            NumLocal = document.LocalNumber,
                            Url = Url(document),
                            OrderDateTime = document.FiscalDate,
                            Check = document.Body,
                        });
                case "RegisterCheck":
                    return await RegisterAsync(http, fiscal, numFiscal!, body!["Check"]);
                case "SendCheckToConsumer":
                    var check = fiscal.FindByFiscalCode(Provider, body?["OrderNumFiscal"]?.GetValue<string>() ?? "");
                    var phone = body?["PhoneNumber"]?.GetValue<string>();
                    if (body?["EMail"] is not null)
                    {
                        return Answer("DocumentValidationError", "Unknown field EMail: a copy goes to PhoneNumber.");
                    }

                    if (check is null || phone is null || body?["ServiceType"] is null || body["RegistrarNumFiscal"]?.GetValue<string>() != numFiscal
                        || body["OrderSum"]?.GetValue<decimal>() != TotalOf(check))
                    {
                        return Answer("DocumentValidationError", "ServiceType, PhoneNumber, RegistrarNumFiscal, OrderNumFiscal and OrderSum of a check are required.");
                    }

                    fiscal.AddCopy(check, "sms:" + phone);
                    return Answer("Ok", null);
                default:
                    return Answer("DocumentValidationError", $"Unknown command '{command}'.");
            }
        });
    }

    private static decimal? TotalOf(SimulatedReceipt check) => check.Body["CHECKTOTAL"]?["SUM"]?.GetValue<decimal>();

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

        var settings = fiscal.Settings(Provider);
        if (settings.DropThenTimeout)
        {
            // Lost before the register took it: nothing fiscalized, and no answer in time.
            await FiscalSimulator.DelayIfAskedAsync(http, settings);
            return Answer("FiscalServerNotAvailable", "Lost.");
        }

        var stored = fiscal.Add(Provider, uid, numFiscal, isReturn, related, check!.DeepClone());
        stored.Status = "DONE";
        await FiscalSimulator.DelayIfAskedAsync(http, settings);
        return Answer("Ok", null, Describe(stored));
    }

    private static object Describe(SimulatedReceipt r) => new
    {
        NumFiscal = r.FiscalCode,
        NumLocal = r.LocalNumber,
        Url = Url(r),
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

    private static string Url(SimulatedReceipt r) => $"https://cabinet.tax.gov.ua/cashregs/check?fn={r.Register}&id={r.FiscalCode}";
}
