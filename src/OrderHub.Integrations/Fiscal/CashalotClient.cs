using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace OrderHub.Integrations.Fiscal;

/// <summary>Cashalot key material: base64 certificate and private key, and the key's password.</summary>
public sealed record CashalotKeys(string Certificate, string PrivateKey, string Password)
{
    /// <summary>Never the key material: the generated ToString would print it.</summary>
    public override string ToString() => "CashalotKeys { *** }";
}

/// <summary>
/// Cashalot's command API (typed HttpClient): one endpoint, synchronous answers with <c>ErrorCode</c>. No retry
/// inside; after an unclear <c>RegisterCheck</c> the worker reads the check back (<c>GetCheck</c> by UID) first.
/// </summary>
public sealed class CashalotClient(HttpClient http, IOptions<FiscalOptions> options)
{
    public const string Ok = "Ok";
    public const string ShiftNotOpened = "ShiftNotOpened";
    public const string ShiftAlreadyOpened = "ShiftAlreadyOpened";

    /// <summary>Codes that mean "the fiscal server is away, nothing was done": try again later.</summary>
    public static readonly string[] RetryableCodes = ["FiscalServerNotAvailable", "FiscalServerError", "InconsistentRegistrarState"];

    public async Task<FiscalCall<bool>> StateAsync(string numFiscal, CashalotKeys keys, CancellationToken cancellationToken)
    {
        var r = await ExecuteAsync("TransactionsRegistrarState", numFiscal, keys, null, false, cancellationToken);
        return r.As<bool>() with { Value = r.IsOk && r.Value?["ShiftState"]?.GetValue<int>() == 1 };
    }

    public async Task<FiscalCall<bool>> OpenShiftAsync(string numFiscal, CashalotKeys keys, CancellationToken cancellationToken)
    {
        var r = await ExecuteAsync("OpenShift", numFiscal, keys, null, false, cancellationToken);
        return r.Code == ShiftAlreadyOpened ? new FiscalCall<bool>(FiscalCallOutcome.Ok, true) : r.As<bool>() with { Value = r.IsOk };
    }

    public async Task<FiscalCall<bool>> CloseShiftAsync(string numFiscal, CashalotKeys keys, CancellationToken cancellationToken)
    {
        var r = await ExecuteAsync("CloseShift", numFiscal, keys, o => o["ZRepAuto"] = true, false, cancellationToken);
        return r.Code == ShiftNotOpened ? new FiscalCall<bool>(FiscalCallOutcome.Ok, false) : r.As<bool>() with { Value = r.IsOk };
    }

    /// <summary>Registers the check; the receipt id travels as <c>CHECKHEAD.UID</c>.</summary>
    public async Task<FiscalCall<FiscalReceiptStatus>> RegisterCheckAsync(FiscalReceiptRequest receipt, CashalotKeys keys, CancellationToken cancellationToken)
    {
        var r = await ExecuteAsync("RegisterCheck", receipt.RegisterFiscalNumber, keys, o => o["Check"] = BuildCheck(receipt), true, cancellationToken);
        return Status(r);
    }

    /// <summary>Reads a check back by its UID (our receipt id); Rejected when the server does not have it.</summary>
    public async Task<FiscalCall<FiscalReceiptStatus>> GetCheckAsync(string numFiscal, Guid uid, CashalotKeys keys, CancellationToken cancellationToken)
    {
        var r = await ExecuteAsync("GetCheck", numFiscal, keys, o => o["CheckUid"] = uid.ToString(), false, cancellationToken);
        return Status(r);
    }

    /// <summary>Sends the check's copy to the consumer: an SMS to <c>PhoneNumber</c>, or an e-mail (<c>EMail</c>).</summary>
    public async Task<FiscalCall<bool>> SendToConsumerAsync(
        string numFiscal, CashalotKeys keys, string fiscalCode, decimal sum, DateTimeOffset at, string? phone, string? email, CancellationToken cancellationToken)
    {
        var r = await ExecuteAsync("SendCheckToConsumer", numFiscal, keys, o =>
        {
            o["RegistrarNumFiscal"] = numFiscal;
            o["OrderNumFiscal"] = fiscalCode;
            o["OrderSum"] = sum;
            o["OrderDateTime"] = at;
            if (phone is not null)
            {
                o["PhoneNumber"] = phone;
            }

            if (email is not null)
            {
                o["EMail"] = email;
            }
        }, false, cancellationToken);
        return r.As<bool>() with { Value = r.IsOk };
    }

    /// <summary>The tax service's receipt names; amounts in decimal UAH.</summary>
    public static JsonObject BuildCheck(FiscalReceiptRequest receipt)
    {
        var head = new JsonObject
        {
            ["DOCTYPE"] = "SaleGoods",
            ["DOCSUBTYPE"] = receipt.IsReturn ? "CheckReturn" : "CheckGoods",
            ["UID"] = receipt.Id.ToString(),
            ["CASHIER"] = receipt.CashierName,
        };
        if (receipt.IsReturn)
        {
            head["ORDERRETNUM"] = receipt.RelatedFiscalCode;
        }

        if (receipt.BuyerName is not null)
        {
            head["BUYERNM"] = receipt.BuyerName;
        }

        if (receipt.BuyerTaxId is not null)
        {
            head["BUYERTIN"] = receipt.BuyerTaxId;
        }

        var body = new JsonArray();
        foreach (var good in receipt.Content.Goods)
        {
            var row = new JsonObject
            {
                ["CODE"] = good.Code,
                ["NAME"] = good.Name,
                ["UNITCD"] = 2009,
                ["UNITNM"] = "шт",
                ["AMOUNT"] = good.Quantity,
                ["PRICE"] = good.Price,
                ["COST"] = good.Sum,
            };
            if (good.TaxCode is { Length: > 0 } tax)
            {
                row["LETTERS"] = tax;
            }

            body.Add(row);
        }

        var cash = receipt.PaymentType == "CASH";
        var total = new JsonObject { ["SUM"] = receipt.Content.Total };
        if (receipt.Content.Discount > 0)
        {
            total["DISCOUNTSUM"] = receipt.Content.Discount;
        }

        return new JsonObject
        {
            ["CHECKHEAD"] = head,
            ["CHECKTOTAL"] = total,
            ["CHECKPAY"] = new JsonArray(new JsonObject
            {
                ["PAYFORMCD"] = cash ? 0 : 1,
                ["PAYFORMNM"] = cash ? "Готівка" : "Картка",
                ["SUM"] = receipt.Content.Total,
            }),
            ["CHECKBODY"] = body,
        };
    }

    private static FiscalCall<FiscalReceiptStatus> Status(FiscalCall<JsonObject> r)
    {
        if (!r.IsOk)
        {
            return r.As<FiscalReceiptStatus>();
        }

        var o = r.Value!;
        DateTimeOffset? date = DateTimeOffset.TryParse(o["OrderDateTime"]?.ToString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d) ? d : null;
        return new FiscalCall<FiscalReceiptStatus>(FiscalCallOutcome.Ok,
            new FiscalReceiptStatus("DONE", o["NumFiscal"]?.ToString(), date, o["Url"]?.ToString(), null), r.Status);
    }

    private async Task<FiscalCall<JsonObject>> ExecuteAsync(
        string command, string numFiscal, CashalotKeys keys, Action<JsonObject>? fill, bool creates, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["Command"] = command,
            ["NumFiscal"] = numFiscal,
            ["Certificate"] = keys.Certificate,
            ["PrivateKey"] = keys.PrivateKey,
            ["Password"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(keys.Password)),
        };
        fill?.Invoke(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Value.CashalotUrl) { Content = JsonContent.Create(body) };
        var (response, failure) = await FiscalHttp.SendAsync<JsonObject>(http, request, options.Value.AttemptTimeout, creates, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        using var reply = response!;
        {
            JsonObject? answer;
            try
            {
                answer = await reply.Content.ReadFromJsonAsync<JsonNode>(cancellationToken) as JsonObject;
            }
            catch (JsonException)
            {
                answer = null;
            }

            var code = answer?["ErrorCode"]?.ToString();
            if (answer is null || code is null)
            {
                return new FiscalCall<JsonObject>(creates ? FiscalCallOutcome.Ambiguous : FiscalCallOutcome.Retryable, Status: reply.StatusCode,
                    Message: "Cashalot answered something OrderHub cannot read.");
            }

            if (code == Ok)
            {
                return new FiscalCall<JsonObject>(FiscalCallOutcome.Ok, answer, reply.StatusCode, code);
            }

            var message = answer["ErrorMessage"]?.ToString() ?? code;
            return new FiscalCall<JsonObject>(RetryableCodes.Contains(code) ? FiscalCallOutcome.Retryable : FiscalCallOutcome.Rejected,
                answer, reply.StatusCode, code, message);
        }
    }
}
