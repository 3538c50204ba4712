using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Features.History;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.History;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Fiscal;

namespace OrderHub.Api.Fiscalization;

/// <summary>
/// One attempt for one claimed receipt, always with the receipt's own id, and its outcome written with the
/// history row in one save that fails if the claim was lost (the attempt count is a concurrency token).
/// </summary>
public sealed partial class FiscalAttemptRunner(
    OrderHubDbContext db,
    FiscalSetup setup,
    CheckboxClient checkbox,
    CashalotClient cashalot,
    IOptions<FiscalOptions> options,
    TimeProvider time,
    ILogger<FiscalAttemptRunner> logger)
{
    private enum Kind
    {
        Done,
        SentToPrint,
        Retry,
        Ambiguous,
        Failed,
    }

    private sealed record Result(Kind Kind, string Message, FiscalReceiptStatus? Status = null, string? Hint = null,
        FailureReason? Reason = null, bool ConnectionFault = false, bool FoundExisting = false);

    private readonly List<string> _notes = [];
    private string? _checkboxToken;

    public async Task RunAsync(FiscalClaim claim, CancellationToken cancellationToken)
    {
        var receipt = claim.Receipt;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["OrderId"] = receipt.OrderId, ["ReceiptId"] = receipt.Id });
        var point = await db.PickupPoints.AsNoTracking().FirstAsync(p => p.Id == receipt.PickupPointId, cancellationToken);
        var connection = await db.FiscalConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == receipt.ConnectionId, cancellationToken)
                         ?? await setup.EffectiveConnectionAsync(receipt.CompanyId, receipt.PickupPointId, cancellationToken);
        FiscalEmployee? employee = null;
        Result result;
        if (connection is null)
        {
            result = new Result(Kind.Failed, $"Pickup point '{point.Name}' has no fiscal connection any more.",
                Hint: $"Set up the fiscal connection of '{point.Name}' (or the company's default), then retry the receipt.", Reason: FailureReason.FiscalMisconfigured);
        }
        else
        {
            employee = receipt.EmployeeId is { } id
                ? await db.FiscalEmployees.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken)
                : await setup.DefaultCashierAsync(point.Id, cancellationToken);
            if (employee is null)
            {
                result = new Result(Kind.Failed, $"{FiscalMessages.LinkYourUser}: pickup point '{point.Name}' has no cashier employee for automatic receipts.",
                    Hint: FiscalMessages.NoCashierHint(point.Name, point.Id), Reason: FailureReason.FiscalMisconfigured);
            }
            else if (string.IsNullOrWhiteSpace(employee.FiscalNumber))
            {
                result = new Result(Kind.Failed, $"{FiscalMessages.EnterFiscalNumber}: employee '{employee.Name}' has none.",
                    Hint: FiscalMessages.EnterFiscalNumberHint(employee.Name), Reason: FailureReason.FiscalMisconfigured);
            }
            else
            {
                if (FiscalNumberRule.LooksLikePersonalTaxNumber(employee.FiscalNumber))
                {
                    _notes.Add($"Warning: employee '{employee.Name}': {FiscalNumberRule.PersonalTaxNumberWarning}");
                }

                var request = await RequestAsync(receipt, employee, cancellationToken);
                var credentials = setup.Credentials(connection);
                result = connection.Provider == FiscalProvider.Checkbox
                    ? await CheckboxAsync(receipt, request, credentials, point, cancellationToken)
                    : await CashalotAsync(receipt, request, credentials, point, cancellationToken);
            }
        }

        (ReceiptCopyState State, string Message)? copy = null;
        if (result.Kind == Kind.Done && connection is not null)
        {
            copy = await SendCopyAsync(receipt, connection, employee!, result.Status!, cancellationToken);
        }

        await CompleteAsync(claim, result, employee, point, copy);
    }

    private async Task<FiscalReceiptRequest> RequestAsync(FiscalReceipt receipt, FiscalEmployee employee, CancellationToken cancellationToken)
    {
        var content = JsonSerializer.Deserialize<ReceiptContent>(receipt.Content, SaleReceipts.ContentJson)!;
        FiscalReceipt? sale = receipt.SaleReceiptId is { } saleId
            ? await db.FiscalReceipts.AsNoTracking().FirstOrDefaultAsync(r => r.Id == saleId, cancellationToken)
            : null;
        return new FiscalReceiptRequest(receipt.Id, receipt.Kind == FiscalReceiptKind.Return, content, receipt.PaymentType, employee.Name,
            employee.FiscalNumber!, sale?.Id, sale?.FiscalCode, receipt.BuyerName, receipt.BuyerTaxId);
    }

    private async Task<Result> CheckboxAsync(FiscalReceipt receipt, FiscalReceiptRequest request, FiscalCredentials credentials, PickupPoint point, CancellationToken ct)
    {
        if (credentials.LicenseKey is not { } license || credentials.Pin is not { } pin)
        {
            return new Result(Kind.Failed, "The fiscal connection has no Checkbox license key or cashier PIN.",
                Hint: $"{FiscalMessages.CheckConnection}: enter the register's license key and the cashier's PIN in the fiscal connection of '{point.Name}'.",
                Reason: FailureReason.FiscalMisconfigured, ConnectionFault: true);
        }

        var signIn = await checkbox.SignInAsync(license, pin, ct);
        if (!signIn.IsOk)
        {
            return Failure(signIn, "Checkbox", point, creates: false);
        }

        _checkboxToken = signIn.Value!;
        if (receipt.State == FiscalReceiptState.SentToPrint)
        {
            // Created before (or maybe: an unclear attempt): read it; only a receipt Checkbox does not have is sent again.
            var known = await checkbox.GetReceiptAsync(license, _checkboxToken, receipt.Id, ct);
            if (known.IsOk)
            {
                return FromStatus(known.Value!, "Checkbox", point, foundExisting: true);
            }

            if (known.Status != System.Net.HttpStatusCode.NotFound)
            {
                return Failure(known, "Checkbox", point, creates: false);
            }
        }

        var sell = await checkbox.SellAsync(license, _checkboxToken, request, ct);
        if (sell.Code == CheckboxClient.StaleToken)
        {
            // The token went stale between sign-in and sale: sign in again and retry once, with the same id.
            var again = await checkbox.SignInAsync(license, pin, ct);
            if (!again.IsOk)
            {
                return Failure(again, "Checkbox", point, creates: false);
            }

            _checkboxToken = again.Value!;
            sell = await checkbox.SellAsync(license, _checkboxToken, request, ct);
        }

        if (sell.Code == CheckboxClient.ShiftNotOpened)
        {
            var open = await checkbox.OpenShiftAsync(license, _checkboxToken, ct);
            if (!open.IsOk)
            {
                return Failure(open, "Checkbox", point, creates: false);
            }

            _notes.Add("Checkbox had no open shift: opened one.");
            sell = await checkbox.SellAsync(license, _checkboxToken, request, ct);
        }

        if (sell.Code == CheckboxClient.AlreadyExists)
        {
            // Our id is already there: an earlier attempt was taken. Read its state; nothing is sold twice.
            var existing = await checkbox.GetReceiptAsync(license, _checkboxToken, receipt.Id, ct);
            return existing.IsOk ? FromStatus(existing.Value!, "Checkbox", point, foundExisting: true) : Failure(existing, "Checkbox", point, creates: false);
        }

        return sell.IsOk ? FromStatus(sell.Value!, "Checkbox", point, foundExisting: false) : Failure(sell, "Checkbox", point, creates: true);
    }

    private async Task<Result> CashalotAsync(FiscalReceipt receipt, FiscalReceiptRequest request, FiscalCredentials credentials, PickupPoint point, CancellationToken ct)
    {
        if (credentials.Keys is not { } keys)
        {
            return new Result(Kind.Failed, "The fiscal connection has no Cashalot key.",
                Hint: $"{FiscalMessages.CheckConnection}: upload the key (certificate, private key, password) in the fiscal connection of '{point.Name}'.",
                Reason: FailureReason.FiscalMisconfigured, ConnectionFault: true);
        }

        if (receipt.State == FiscalReceiptState.SentToPrint)
        {
            // The last RegisterCheck may have gone through: read it back by UID before sending again.
            var known = await cashalot.GetCheckAsync(request.RegisterFiscalNumber, receipt.Id, keys, ct);
            if (known.IsOk)
            {
                return new Result(Kind.Done, "Cashalot", known.Value, FoundExisting: true);
            }

            if (known.Outcome != FiscalCallOutcome.Rejected)
            {
                return Failure(known, "Cashalot", point, creates: false);
            }
        }

        var register = await cashalot.RegisterCheckAsync(request, keys, ct);
        if (register.Code == CashalotClient.ShiftNotOpened)
        {
            var open = await cashalot.OpenShiftAsync(request.RegisterFiscalNumber, keys, ct);
            if (!open.IsOk)
            {
                return Failure(open, "Cashalot", point, creates: false);
            }

            _notes.Add("Cashalot had no open shift: opened one.");
            register = await cashalot.RegisterCheckAsync(request, keys, ct);
        }

        return register.IsOk ? new Result(Kind.Done, "Cashalot", register.Value) : Failure(register, "Cashalot", point, creates: true);
    }

    private static Result FromStatus(FiscalReceiptStatus status, string provider, PickupPoint point, bool foundExisting)
    {
        if (status.IsDone)
        {
            return new Result(Kind.Done, provider, status, FoundExisting: foundExisting);
        }

        if (status.IsError)
        {
            var call = new FiscalCall<bool>(FiscalCallOutcome.Rejected, Message: status.Error);
            var (message, hint, fault) = FiscalMessages.Translate(call, provider, point.Name);
            return new Result(Kind.Failed, $"{provider} could not fiscalize the receipt: {message}", Hint: hint, Reason: FailureReason.FiscalRejected, ConnectionFault: fault);
        }

        return new Result(Kind.SentToPrint, $"{provider} took the receipt ({status.Status}); waiting for its fiscal number.", status, FoundExisting: foundExisting);
    }

    private static Result Failure<T>(FiscalCall<T> call, string provider, PickupPoint point, bool creates)
    {
        switch (call.Outcome)
        {
            case FiscalCallOutcome.Rejected:
                var (message, hint, fault) = FiscalMessages.Translate(call, provider, point.Name);
                return new Result(Kind.Failed, message, Hint: hint, Reason: fault ? FailureReason.FiscalMisconfigured : FailureReason.FiscalRejected, ConnectionFault: fault);
            case FiscalCallOutcome.Ambiguous when creates:
                return new Result(Kind.Ambiguous, $"{provider}: {call.Message} It may have been fiscalized; the next attempt reads it back first.");
            default:
                return new Result(Kind.Retry, $"{provider}: {call.Message ?? call.Code}");
        }
    }

    private async Task<(ReceiptCopyState, string)> SendCopyAsync(FiscalReceipt receipt, FiscalConnection connection, FiscalEmployee employee, FiscalReceiptStatus status, CancellationToken ct)
    {
        if (receipt.Contact is not { } contact)
        {
            return (ReceiptCopyState.NoContact, "No valid contact (the address's receipt contact, the customer's e-mail, a mobile phone of the address): no copy sent.");
        }

        var email = ReceiptContactRule.IsEmail(contact);
        var masked = ReceiptContactRule.Mask(contact);
        FiscalCall<bool> sent;
        if (connection.Provider == FiscalProvider.Checkbox)
        {
            var credentials = setup.Credentials(connection);
            sent = email
                ? await checkbox.SendEmailAsync(credentials.LicenseKey!, _checkboxToken!, receipt.Id, contact, ct)
                : await checkbox.SendSmsAsync(credentials.LicenseKey!, _checkboxToken!, receipt.Id, contact, ct);
        }
        else
        {
            sent = await cashalot.SendToConsumerAsync(employee.FiscalNumber!, setup.Credentials(connection).Keys!, status.FiscalCode ?? "", receipt.Total,
                status.FiscalDate ?? time.GetUtcNow(), email ? null : contact, email ? contact : null, ct);
        }

        return sent.IsOk
            ? (ReceiptCopyState.Sent, $"Copy sent by {(email ? "e-mail" : "SMS")} to {masked} ({receipt.ContactSource}).")
            : (ReceiptCopyState.Failed, $"The copy by {(email ? "e-mail" : "SMS")} to {masked} failed: {sent.Message ?? sent.Code}.");
    }

    private async Task CompleteAsync(FiscalClaim claim, Result result, FiscalEmployee? employee, PickupPoint point, (ReceiptCopyState State, string Message)? copy)
    {
        db.ChangeTracker.Clear();
        var now = time.GetUtcNow();
        var receipt = await db.FiscalReceipts.FirstAsync(r => r.Id == claim.Receipt.Id, CancellationToken.None);
        if (receipt.LeaseOwner != claim.Owner || receipt.Attempts != claim.Receipt.Attempts)
        {
            LogLostClaim(logger, receipt.Id);
            return;
        }

        var order = await db.Orders.FirstAsync(o => o.Id == receipt.OrderId, CancellationToken.None);
        var connection = await db.FiscalConnections.FirstOrDefaultAsync(c => c.Id == receipt.ConnectionId, CancellationToken.None);
        var what = receipt.Kind == FiscalReceiptKind.Sale ? "Sale receipt" : "Return receipt";
        var wasState = receipt.State;
        receipt.LeaseOwner = null;
        receipt.LeaseUntil = null;
        receipt.LastAttemptAt = now;
        receipt.UpdatedAt = now;
        if (employee is not null)
        {
            receipt.EmployeeId = employee.Id;
            receipt.CashierName = employee.Name;
            receipt.RegisterFiscalNumber = employee.FiscalNumber;
        }

        var details = new { receiptId = receipt.Id, attempt = receipt.Attempts, provider = receipt.Provider.ToString(), notes = _notes };
        switch (result.Kind)
        {
            case Kind.Done:
                receipt.State = FiscalReceiptState.Successful;
                receipt.FiscalCode = result.Status!.FiscalCode;
                receipt.FiscalDate = result.Status.FiscalDate ?? now;
                receipt.TaxUrl = result.Status.TaxUrl;
                receipt.Error = null;
                receipt.FixHint = null;
                db.Record(order, now, receipt.Kind == FiscalReceiptKind.Return ? FiscalActions.RefundIssued : FiscalActions.Attempt, ActionOutcome.Success,
                    $"{what} {receipt.Id} fiscalized by {result.Message}{(result.FoundExisting ? " (found after an unclear attempt: not sent again)" : "")}: fiscal number {receipt.FiscalCode}.",
                    details: new { details, fiscalCode = receipt.FiscalCode, taxUrl = receipt.TaxUrl });
                if (copy is { } c)
                {
                    receipt.CopyState = c.State;
                    db.Record(order, now, FiscalActions.Copy, c.State == ReceiptCopyState.Sent ? ActionOutcome.Success : ActionOutcome.Warning, c.Message,
                        details: new { receiptId = receipt.Id, source = receipt.ContactSource });
                }

                if (connection is not null)
                {
                    connection.Status = FiscalConnectionStatus.Connected;
                    connection.StatusMessage = null;
                }

                break;

            case Kind.SentToPrint:
                receipt.State = FiscalReceiptState.SentToPrint;
                receipt.NextAttemptAt = now + options.Value.StatusPollInterval;
                if (wasState == FiscalReceiptState.Pending)
                {
                    db.Record(order, now, FiscalActions.Attempt, ActionOutcome.Info, $"{what} {receipt.Id} sent to print: {result.Message}", details: details);
                }

                break;

            case Kind.Failed:
                receipt.State = FiscalReceiptState.Error;
                receipt.Error = Cut(result.Message);
                receipt.FixHint = result.Hint is null ? null : Cut(result.Hint);
                db.Record(order, now, FiscalActions.Attempt, ActionOutcome.Failure, $"{what} {receipt.Id} not issued: {result.Message}",
                    reason: result.Reason ?? FailureReason.FiscalRejected, fixHint: result.Hint, details: details);
                if (result.ConnectionFault && connection is not null)
                {
                    connection.Status = FiscalConnectionStatus.Error;
                    connection.StatusMessage = Cut(result.Message);
                }

                break;

            default:
                if (result.Kind == Kind.Ambiguous)
                {
                    receipt.State = FiscalReceiptState.SentToPrint;
                }

                if (now - receipt.QueuedAt > options.Value.MaxAge)
                {
                    receipt.State = FiscalReceiptState.Error;
                    receipt.Error = Cut($"Gave up after {receipt.Attempts} attempts: {result.Message}");
                    receipt.FixHint = $"Check that the fiscal provider is reachable, then retry the receipt: it is sent again with the same id {receipt.Id}, so it cannot be fiscalized twice.";
                    db.Record(order, now, FiscalActions.Attempt, ActionOutcome.Failure, $"{what} {receipt.Id}: {receipt.Error}",
                        reason: FailureReason.FiscalUnreachable, fixHint: receipt.FixHint, details: details);
                    break;
                }

                var schedule = options.Value.RetrySchedule;
                var pause = schedule[Math.Clamp(receipt.Attempts - 1, 0, schedule.Length - 1)];
                receipt.NextAttemptAt = now + pause;
                receipt.Error = Cut(result.Message);
                db.Record(order, now, FiscalActions.Attempt, ActionOutcome.Warning,
                    $"{what} {receipt.Id}, attempt {receipt.Attempts} failed: {result.Message} Next attempt at {receipt.NextAttemptAt:yyyy-MM-dd HH:mm:ss} UTC with the same id.",
                    details: new { details, nextAttemptAt = receipt.NextAttemptAt });
                break;
        }

        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            LogLostClaim(logger, receipt.Id);
        }
    }

    private static string Cut(string text) => text.Length <= 1000 ? text : text[..999] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fiscal receipt {ReceiptId}: the claim was lost before its outcome was written; the newer claim's outcome counts")]
    private static partial void LogLostClaim(ILogger logger, Guid receiptId);
}
