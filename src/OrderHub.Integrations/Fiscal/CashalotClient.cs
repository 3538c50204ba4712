using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Refit;

namespace OrderHub.Integrations.Fiscal;

/// <summary>Cashalot key material: base64 certificate and private key, and the key's password.</summary>
public sealed record CashalotKeys(string Certificate, string PrivateKey, string Password)
{
    /// <summary>Never the key material: the generated ToString would print it.</summary>
    public override string ToString() => "CashalotKeys { *** }";
}

/// <summary>
/// Cashalot's command API: one endpoint that takes every command as a JSON body (<c>Command</c>, the register's
/// <c>NumFiscal</c>, the key) and answers synchronously with <c>ErrorCode</c>, in HTTP 200 for refusals too. The
/// raw response is returned so <see cref="CashalotClient"/> can tell a refusal from a lost answer.
/// </summary>
public interface ICashalotApi
{
    /// <param name="command">The command as JSON, already serialized (a buffered body: it carries a Content-Length).</param>
    [Post("")]
    Task<HttpResponseMessage> ExecuteAsync([Body] HttpContent command, CancellationToken cancellationToken);
}

/// <summary>The register's state: the local number its next document gets, its last fiscal number, its shift.</summary>
public sealed record CashalotState(long NextLocalNum, string? LastFiscalNum, bool ShiftOpen);

/// <summary>A document the register holds under a local number (<c>DocumentInfoByLocalNum</c>).</summary>
public sealed record CashalotDocument(long NumLocal, string? NumFiscal, decimal? Sum, string? Uid, bool IsReturn, string? Url, DateTimeOffset? At);

/// <summary>
/// Translates Cashalot's answers into OrderHub's outcomes. No retry inside: a check is registered again only by the
/// receipt worker, and only after the register's state shows the lost attempt made no document.
/// The key's password travels as plain text, as public clients send it.
/// </summary>
public sealed class CashalotClient(ICashalotApi api, IOptions<FiscalOptions> options)
{
    public const string Ok = "Ok";

    // Real Cyrillic in names (the encoder's default escapes it), as the register prints it.
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    public const string ShiftNotOpened = "ShiftNotOpened";
    public const string ShiftAlreadyOpened = "ShiftAlreadyOpened";

    /// <summary>Codes that mean "the fiscal server is away, nothing was done": try again later.</summary>
    public static readonly string[] RetryableCodes = ["FiscalServerNotAvailable", "FiscalServerError", "InconsistentRegistrarState"];

    /// <summary><c>TransactionsRegistrarState</c>: <c>NextLocalNum</c>, <c>LastFiscalNum</c>, <c>ShiftState</c>.</summary>
    public async Task<FiscalCall<CashalotState>> StateAsync(string numFiscal, CashalotKeys keys, CancellationToken cancellationToken)
    {
        var r = await ExecuteAsync("TransactionsRegistrarState", numFiscal, keys, null, false, cancellationToken);
        if (!r.IsOk)
        {
            return r.As<CashalotState>();
        }

        var o = r.Value!;
        if (Long(o["NextLocalNum"]) is not { } next)
        {
            return new FiscalCall<CashalotState>(FiscalCallOutcome.Rejected, Status: r.Status, Code: "NoLocalNumber",
                Message: "Cashalot's register state has no NextLocalNum.");
        }

        return new FiscalCall<CashalotState>(FiscalCallOutcome.Ok, new CashalotState(next, o["LastFiscalNum"]?.ToString(), Long(o["ShiftState"]) == 1), r.Status, r.Code);
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

    /// <summary>
    /// <c>DocumentInfoByLocalNum</c>: the document the register holds under <paramref name="numLocal"/>. Rejected
    /// when it has none (or refuses to say); the caller decides what a refusal means.
    /// </summary>
    public async Task<FiscalCall<CashalotDocument>> DocumentByLocalNumAsync(string numFiscal, long numLocal, CashalotKeys keys, CancellationToken cancellationToken)
    {
        var r = await ExecuteAsync("DocumentInfoByLocalNum", numFiscal, keys, o => o["NumLocal"] = numLocal, false, cancellationToken);
        if (!r.IsOk)
        {
            return r.As<CashalotDocument>();
        }

        var o = r.Value!;
        var check = o["Check"] as JsonObject;
        var sum = Decimal(o["Sum"]) ?? Decimal(check?["CHECKTOTAL"]?["SUM"]);
        var uid = check?["CHECKHEAD"]?["UID"]?.ToString();
        var isReturn = check?["CHECKHEAD"]?["DOCSUBTYPE"]?.ToString() == "CheckReturn";
        return new FiscalCall<CashalotDocument>(FiscalCallOutcome.Ok,
            new CashalotDocument(Long(o["NumLocal"]) ?? numLocal, o["NumFiscal"]?.ToString(), sum, uid, isReturn, o["Url"]?.ToString(), Date(o["OrderDateTime"])), r.Status, r.Code);
    }

    /// <summary>
    /// <c>SendCheckToConsumer</c>: the check's copy to a phone number (Cashalot sends copies to a phone, not an
    /// e-mail), with the configured <c>ServiceType</c>.
    /// </summary>
    public async Task<FiscalCall<bool>> SendToConsumerAsync(
        string numFiscal, CashalotKeys keys, string fiscalCode, decimal sum, DateTimeOffset at, string phone, CancellationToken cancellationToken)
    {
        var r = await ExecuteAsync("SendCheckToConsumer", numFiscal, keys, o =>
        {
            o["ServiceType"] = options.Value.CashalotConsumerServiceType;
            o["PhoneNumber"] = phone;
            o["RegistrarNumFiscal"] = numFiscal;
            o["OrderNumFiscal"] = fiscalCode;
            o["OrderSum"] = sum;
            o["OrderDateTime"] = at;
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
        return new FiscalCall<FiscalReceiptStatus>(FiscalCallOutcome.Ok,
            new FiscalReceiptStatus("DONE", o["NumFiscal"]?.ToString(), Date(o["OrderDateTime"]), o["Url"]?.ToString(), null), r.Status);
    }

    private static DateTimeOffset? Date(JsonNode? node) =>
        DateTimeOffset.TryParse(node?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static long? Long(JsonNode? node) =>
        long.TryParse(node?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static decimal? Decimal(JsonNode? node) =>
        decimal.TryParse(node?.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Refit wraps a transport failure in ApiRequestException: unwrapped, so it is told apart as before (refused vs lost).</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            return await api.ExecuteAsync(content, cancellationToken);
        }
        catch (ApiRequestException ex) when (ex.InnerException is HttpRequestException or OperationCanceledException)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }

    /// <summary>The request every command shares: the command, the register, the key (the password as plain text).</summary>
    public static JsonObject Command(string command, string numFiscal, CashalotKeys keys) => new()
    {
        ["Command"] = command,
        ["NumFiscal"] = numFiscal,
        ["Certificate"] = keys.Certificate,
        ["PrivateKey"] = keys.PrivateKey,
        ["Password"] = keys.Password,
    };

    private async Task<FiscalCall<JsonObject>> ExecuteAsync(
        string command, string numFiscal, CashalotKeys keys, Action<JsonObject>? fill, bool creates, CancellationToken cancellationToken)
    {
        var body = Command(command, numFiscal, keys);
        fill?.Invoke(body);
        // Serialized here, not by Refit: a JsonObject needs no contract, and the bytes are known before sending.
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, JsonOptions));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var (response, failure) = await FiscalHttp.SendAsync<JsonObject>(ct => SendAsync(content, ct), options.Value.AttemptTimeout, creates, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        using var reply = response!;
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
