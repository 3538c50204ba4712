using System.ComponentModel.DataAnnotations;
using System.Net;
using OrderHub.Domain.Fiscal;

namespace OrderHub.Integrations.Fiscal;

/// <summary>Fiscal providers and the receipt worker. Section <c>Fiscal</c>.</summary>
public sealed class FiscalOptions
{
    public const string SectionName = "Fiscal";

    /// <summary>Checkbox API base, ending in <c>/api/v1/</c>.</summary>
    [Required]
    public string CheckboxBaseUrl { get; set; } = "https://api.checkbox.ua/api/v1/";

    /// <summary>Cashalot's command endpoint (confirm with the vendor).</summary>
    [Required]
    public string CashalotUrl { get; set; } = "https://api.cashalot.org.ua/api";

    /// <summary>
    /// Cashalot <c>SendCheckToConsumer</c>'s <c>ServiceType</c> for a copy to a phone. Its values are not public:
    /// confirm with the vendor.
    /// </summary>
    [Required]
    public string CashalotConsumerServiceType { get; set; } = "SMS";

    /// <summary>Checkbox <c>X-Client-Name</c>.</summary>
    public string ClientName { get; set; } = "OrderHub";

    /// <summary>One provider call; after it a create is ambiguous (may have been fiscalized).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Run the receipt worker in this process.</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>Fallback polling of the receipt worker when no signal arrives.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How soon a Checkbox receipt that is not DONE yet is polled again.</summary>
    public TimeSpan StatusPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a claim holds a receipt; must exceed a few <see cref="AttemptTimeout"/>s.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A receipt not fiscalized this long after it was created is given up (Error) with a hint.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Pauses between failed attempts (the last repeats).</summary>
    public TimeSpan[] RetrySchedule { get; set; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1),
    ];
}

public enum FiscalCallOutcome
{
    Ok,

    /// <summary>The provider refused deliberately; the same request gets the same answer.</summary>
    Rejected,

    /// <summary>Nothing was done (connection refused, 5xx, 429, a read): try again later.</summary>
    Retryable,

    /// <summary>A create may have been done (timeout or connection lost after sending): read the state back first.</summary>
    Ambiguous,
}

/// <summary>The outcome of one provider call: a value, or the provider's code and message.</summary>
public sealed record FiscalCall<T>(FiscalCallOutcome Outcome, T? Value = default, HttpStatusCode? Status = null, string? Code = null, string? Message = null)
{
    public bool IsOk => Outcome == FiscalCallOutcome.Ok;

    public FiscalCall<TOther> As<TOther>() => new(Outcome, default, Status, Code, Message);
}

/// <summary>A receipt to fiscalize, provider-neutral. Money in UAH.</summary>
public sealed record FiscalReceiptRequest(
    Guid Id,
    bool IsReturn,
    ReceiptContent Content,
    string PaymentType,
    string? CashierName,
    string RegisterFiscalNumber,
    Guid? RelatedReceiptId,
    string? RelatedFiscalCode,
    string? BuyerName,
    string? BuyerTaxId);

/// <summary>A fiscalized (or still processing) receipt as the provider reports it.</summary>
public sealed record FiscalReceiptStatus(string Status, string? FiscalCode, DateTimeOffset? FiscalDate, string? TaxUrl, string? Error)
{
    public bool IsDone => Status == "DONE";

    public bool IsError => Status is "ERROR" or "CANCELLED";
}

internal static class FiscalHttp
{
    /// <summary>Sends one request; translates transport failures (a POST that may have arrived is Ambiguous).</summary>
    public static Task<(HttpResponseMessage? Response, FiscalCall<T>? Failure)> SendAsync<T>(
        HttpClient http, HttpRequestMessage request, TimeSpan timeout, bool creates, CancellationToken cancellationToken) =>
        SendAsync<T>(ct => http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct), timeout, creates, cancellationToken);

    /// <summary>Sends one call (a Refit method given the token); the timeout covers reading the whole answer.</summary>
    public static async Task<(HttpResponseMessage? Response, FiscalCall<T>? Failure)> SendAsync<T>(
        Func<CancellationToken, Task<HttpResponseMessage>> send, TimeSpan timeout, bool creates, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            HttpResponseMessage response;
            try
            {
                response = await send(cts.Token).ConfigureAwait(false);
            }
            catch (Refit.ApiRequestException wrapped) when (wrapped.InnerException is not null)
            {
                // Refit wraps transport failures; judge the failure itself.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(wrapped.InnerException);
                throw;
            }

            try
            {
                await response.Content.LoadIntoBufferAsync(cts.Token).ConfigureAwait(false);
            }
            catch
            {
                response.Dispose();
                throw;
            }

            var status = (int)response.StatusCode;
            if (status >= 500 || status is 408 or 429)
            {
                var message = $"The provider answered HTTP {status}.";
                response.Dispose();

                // A 5xx to a create may come after the work was done (a gateway that gave up waiting): unclear.
                return (null, new FiscalCall<T>(creates && status >= 500 ? FiscalCallOutcome.Ambiguous : FiscalCallOutcome.Retryable,
                    Status: (HttpStatusCode)status, Message: message));
            }

            return (response, null);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError)
        {
            return (null, new FiscalCall<T>(FiscalCallOutcome.Retryable, Message: "The provider could not be reached (connection refused)."));
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var timedOut = ex is OperationCanceledException;
            return (null, new FiscalCall<T>(creates ? FiscalCallOutcome.Ambiguous : FiscalCallOutcome.Retryable,
                Message: timedOut ? $"No answer within {timeout.TotalSeconds:0.#} s." : "The connection was lost during the call."));
        }
    }

    public static long Kopecks(decimal uah) => (long)Math.Round(uah * 100m, MidpointRounding.AwayFromZero);
}
