using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Shared;
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

        /// <summary>Sent, answer lost, and no lookup can say whether it was fiscalized: never sent again by itself.</summary>
        Unclear,
    }

    private sealed record Result(Kind Kind, Msg Message, FiscalReceiptStatus? Status = null, Msg? Hint = null,
        FailureReason? Reason = null, bool ConnectionFault = false, bool FoundExisting = false);

    // The attempt's notes as data (rendered in the reader's language on the order page); the row's details keep
    // their English text under "notes" too, as before.
    private readonly List<Msg> _notes = [];
    private Msg? _sentAgain;
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
            result = new Result(Kind.Failed, Msg.Of("fiscal.noConnection", ("point", point.Name)),
                Hint: Msg.Of("hint.fiscal.setUpConnection", ("point", point.Name)), Reason: FailureReason.FiscalMisconfigured);
        }
        else
        {
            employee = receipt.EmployeeId is { } id
                ? await db.FiscalEmployees.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken)
                : await setup.DefaultCashierAsync(point.Id, cancellationToken);
            if (employee is null)
            {
                result = new Result(Kind.Failed, Msg.Of("fiscal.noCashier", ("point", point.Name)),
                    Hint: FiscalMessages.NoCashierHint(point.Name, point.Id), Reason: FailureReason.FiscalMisconfigured);
            }
            else if (string.IsNullOrWhiteSpace(employee.FiscalNumber))
            {
                result = new Result(Kind.Failed, Msg.Of("fiscal.noFiscalNumber", ("employee", employee.Name)),
                    Hint: FiscalMessages.EnterFiscalNumberHint(employee.Name), Reason: FailureReason.FiscalMisconfigured);
            }
            else
            {
                if (FiscalNumberRule.LooksLikePersonalTaxNumber(employee.FiscalNumber))
                {
                    _notes.Add(Msg.Of("fiscal.note.personalTaxNumber", ("employee", employee.Name)));
                }

                var request = await RequestAsync(receipt, employee, cancellationToken);
                var credentials = setup.Credentials(connection);
                result = connection.Provider == FiscalProvider.Checkbox
                    ? await CheckboxAsync(receipt, request, credentials, point, cancellationToken)
                    : await CashalotAsync(claim, request, credentials, point, cancellationToken);
            }
        }

        (ReceiptCopyState State, Msg Message)? copy = null;
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
            return new Result(Kind.Failed, Msg.Of("fiscal.noCheckboxCredentials"),
                Hint: Msg.Of("hint.fiscal.enterLicenseAndPin", ("point", point.Name)),
                Reason: FailureReason.FiscalMisconfigured, ConnectionFault: true);
        }

        var signIn = await checkbox.SignInAsync(license, pin, ct);
        if (!signIn.IsOk)
        {
            return Failure(signIn, "Checkbox", point, creates: false);
        }

        _checkboxToken = signIn.Value!;
        if (receipt.State is FiscalReceiptState.SentToPrint or FiscalReceiptState.Unclear)
        {
            // Created before, or an unclear attempt: read it by its id. Our id is Checkbox's idempotency key, so
            // a receipt it does not have (404), or cannot show (refused), is sent again with the same id: if it
            // exists after all, Checkbox answers receipt.already_exists instead of fiscalizing it twice.
            var known = await checkbox.GetReceiptAsync(license, _checkboxToken, receipt.Id, ct);
            if (known.IsOk)
            {
                // Found after an unclear attempt only if there was one (an Unclear receipt, or a sale whose answer was
                // lost); a receipt Checkbox took and we merely poll for its fiscal number is the ordinary path.
                var afterUnclear = receipt.State == FiscalReceiptState.Unclear || receipt.Error is not null;
                return FromStatus(known.Value!, "Checkbox", point, foundExisting: afterUnclear);
            }

            if (known.Outcome != FiscalCallOutcome.Rejected)
            {
                return Failure(known, "Checkbox", point, creates: false);
            }

            _sentAgain = known.Status == System.Net.HttpStatusCode.NotFound
                ? Msg.Of("fiscal.sentAgain.checkboxMissing")
                : Msg.Of("fiscal.sentAgain.checkboxRefused", ("said", known.Message ?? known.Code));
            _notes.Add(_sentAgain);
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

            _notes.Add(Msg.Of("fiscal.note.shiftOpened", ("provider", "Checkbox")));
            sell = await checkbox.SellAsync(license, _checkboxToken, request, ct);
        }

        if (sell.Code == CheckboxClient.AlreadyExists)
        {
            // Our id is already there: an earlier attempt was taken. Read its state; nothing is sold twice.
            var existing = await checkbox.GetReceiptAsync(license, _checkboxToken, receipt.Id, ct);
            if (existing.IsOk)
            {
                return FromStatus(existing.Value!, "Checkbox", point, foundExisting: true);
            }

            return existing.Outcome == FiscalCallOutcome.Rejected
                ? new Result(Kind.Unclear, Msg.Of("fiscal.checkboxHidesExisting", ("receipt", receipt.Id), ("said", existing.Message ?? existing.Code)),
                    Hint: UnclearHint("Checkbox", receipt, point))
                : Failure(existing, "Checkbox", point, creates: false);
        }

        return sell.IsOk ? FromStatus(sell.Value!, "Checkbox", point, foundExisting: false) : Failure(sell, "Checkbox", point, creates: true);
    }

    private async Task<Result> CashalotAsync(FiscalClaim claim, FiscalReceiptRequest request, FiscalCredentials credentials, PickupPoint point, CancellationToken ct)
    {
        var receipt = claim.Receipt;
        if (credentials.Keys is not { } keys)
        {
            return new Result(Kind.Failed, Msg.Of("fiscal.noCashalotKey"),
                Hint: Msg.Of("hint.fiscal.uploadKey", ("point", point.Name)),
                Reason: FailureReason.FiscalMisconfigured, ConnectionFault: true);
        }

        if (receipt.LocalNumber is { } kept)
        {
            // A RegisterCheck went out under this local number and its answer was lost. Cashalot reads a check
            // back only by its own fiscal number (which the lost answer had), so: has the register's numbering
            // moved, and is the document under our number ours?
            var register = receipt.RegisterFiscalNumber ?? request.RegisterFiscalNumber;
            var verdict = await FindCashalotCheckAsync(receipt, register, kept, keys, point, ct);
            if (verdict is not null)
            {
                return verdict;
            }

            _sentAgain = Msg.Of("fiscal.sentAgain.cashalot", ("register", register), ("local", kept));
            _notes.Add(_sentAgain);
        }
        else if (receipt.State == FiscalReceiptState.Unclear)
        {
            return new Result(Kind.Unclear, Msg.Of("fiscal.cashalotNoLocalNumber", ("receipt", receipt.Id)), Hint: UnclearHint("Cashalot", receipt, point));
        }

        var state = await cashalot.StateAsync(request.RegisterFiscalNumber, keys, ct);
        if (!state.IsOk)
        {
            return Failure(state, "Cashalot", point, creates: false);
        }

        if (!state.Value!.ShiftOpen)
        {
            var open = await cashalot.OpenShiftAsync(request.RegisterFiscalNumber, keys, ct);
            if (!open.IsOk)
            {
                return Failure(open, "Cashalot", point, creates: false);
            }

            _notes.Add(Msg.Of("fiscal.note.shiftOpened", ("provider", "Cashalot")));
            state = await cashalot.StateAsync(request.RegisterFiscalNumber, keys, ct);
            if (!state.IsOk)
            {
                return Failure(state, "Cashalot", point, creates: false);
            }
        }

        // The local number the check will get is on the receipt before the check goes out: whatever happens to
        // the answer (or to this process), the next attempt can look it up. A lost claim sends nothing.
        if (!await KeepLocalNumberAsync(claim, state.Value!.NextLocalNum, request.RegisterFiscalNumber))
        {
            return new Result(Kind.Retry, Msg.Of("fiscal.cashalotClaimLost"));
        }

        var registered = await cashalot.RegisterCheckAsync(request, keys, ct);
        if (registered.Code == CashalotClient.ShiftNotOpened)
        {
            // Refused, so nothing was registered: the next attempt opens the shift.
            return new Result(Kind.Retry, Msg.Of("fiscal.cashalotShiftClosed"));
        }

        return registered.IsOk ? new Result(Kind.Done, Msg.Of("text", ("text", "Cashalot")), registered.Value) : Failure(registered, "Cashalot", point, creates: true);
    }

    /// <summary>
    /// After an unclear RegisterCheck: Done (found, same sum: not sent again), null (the register's numbering did
    /// not move: nothing was registered, safe to send), Retry (Cashalot away: look again later) or Unclear.
    /// </summary>
    private async Task<Result?> FindCashalotCheckAsync(FiscalReceipt receipt, string register, long kept, CashalotKeys keys, PickupPoint point, CancellationToken ct)
    {
        var state = await cashalot.StateAsync(register, keys, ct);
        if (!state.IsOk)
        {
            return state.Outcome == FiscalCallOutcome.Rejected
                ? new Result(Kind.Unclear, Msg.Of("fiscal.cashalotStateRefused", ("register", register), ("said", state.Message ?? state.Code), ("receipt", receipt.Id)),
                    Hint: UnclearHint("Cashalot", receipt, point))
                : new Result(Kind.Retry, Msg.Of("fiscal.cashalotStateUnread", ("said", state.Message ?? state.Code)));
        }

        if (state.Value!.NextLocalNum == kept)
        {
            return null;
        }

        var document = await cashalot.DocumentByLocalNumAsync(register, kept, keys, ct);
        if (document.IsOk)
        {
            var found = document.Value!;
            var ours = found.Uid is { } uid
                ? Guid.TryParse(uid, out var id) && id == receipt.Id
                : found.Sum == receipt.Total && found.IsReturn == (receipt.Kind == FiscalReceiptKind.Return);
            if (ours && found.NumFiscal is not null)
            {
                _notes.Add(Msg.Of("fiscal.note.found", ("register", register), ("document", kept), ("sum", found.Sum?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture))));
                return new Result(Kind.Done, Msg.Of("text", ("text", "Cashalot")), new FiscalReceiptStatus("DONE", found.NumFiscal, found.At, found.Url, null), FoundExisting: true);
            }

            return new Result(Kind.Unclear,
                Msg.Of("fiscal.cashalotOtherDocument", ("register", register), ("local", kept), ("fiscalNumber", found.NumFiscal),
                    ("sum", found.Sum?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) ?? Msg.Term("term.unknown")), ("receipt", receipt.Id)),
                Hint: UnclearHint("Cashalot", receipt, point));
        }

        return document.Outcome == FiscalCallOutcome.Rejected
            ? new Result(Kind.Unclear,
                Msg.Of("fiscal.cashalotMovedPast", ("register", register), ("local", kept), ("nextLocal", state.Value.NextLocalNum), ("said", document.Message ?? document.Code)),
                Hint: UnclearHint("Cashalot", receipt, point))
            : new Result(Kind.Retry, Msg.Of("fiscal.cashalotDocumentUnread", ("local", kept), ("said", document.Message ?? document.Code)));
    }

    private static Msg UnclearHint(string provider, FiscalReceipt receipt, PickupPoint point) =>
        Msg.Of("hint.fiscal.unclear", ("provider", provider), ("receipt", receipt.Id), ("total", receipt.Total.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)),
            ("registerPart", receipt.RegisterFiscalNumber is null ? "" : Msg.Term("fiscal.registerPart")), ("register", receipt.RegisterFiscalNumber),
            ("localPart", receipt.LocalNumber is null ? "" : Msg.Term("fiscal.localPart")), ("local", receipt.LocalNumber), ("point", point.Name));

    private static string English(Msg message) => MessageCatalog.Render(message, MessageCatalog.English);

    private async Task<bool> KeepLocalNumberAsync(FiscalClaim claim, long localNumber, string register)
    {
        var now = time.GetUtcNow();
        var kept = await db.FiscalReceipts
            .Where(r => r.Id == claim.Receipt.Id && r.LeaseOwner == claim.Owner && r.Attempts == claim.Receipt.Attempts)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.LocalNumber, localNumber)
                .SetProperty(r => r.RegisterFiscalNumber, register)
                .SetProperty(r => r.LastAttemptAt, now), CancellationToken.None);
        claim.Receipt.LocalNumber = localNumber;
        claim.Receipt.RegisterFiscalNumber = register;
        return kept == 1;
    }

    private static Result FromStatus(FiscalReceiptStatus status, string provider, PickupPoint point, bool foundExisting)
    {
        if (status.IsDone)
        {
            return new Result(Kind.Done, Msg.Of("text", ("text", provider)), status, FoundExisting: foundExisting);
        }

        if (status.IsError)
        {
            var call = new FiscalCall<bool>(FiscalCallOutcome.Rejected, Message: status.Error);
            var (message, hint, fault) = FiscalMessages.Translate(call, provider, point.Name);
            return new Result(Kind.Failed, Msg.Of("fiscal.couldNotFiscalize", ("provider", provider)).With("refusal", message), Hint: hint, Reason: FailureReason.FiscalRejected, ConnectionFault: fault);
        }

        return new Result(Kind.SentToPrint, Msg.Of("fiscal.taken", ("provider", provider), ("status", status.Status)), status, FoundExisting: foundExisting);
    }

    private static Result Failure<T>(FiscalCall<T> call, string provider, PickupPoint point, bool creates)
    {
        switch (call.Outcome)
        {
            case FiscalCallOutcome.Rejected:
                var (message, hint, fault) = FiscalMessages.Translate(call, provider, point.Name);
                return new Result(Kind.Failed, message, Hint: hint, Reason: fault ? FailureReason.FiscalMisconfigured : FailureReason.FiscalRejected, ConnectionFault: fault);
            case FiscalCallOutcome.Ambiguous when creates:
                return new Result(Kind.Ambiguous, Msg.Of("fiscal.ambiguous", ("provider", provider), ("said", call.Message)));
            default:
                return new Result(Kind.Retry, Msg.Of("fiscal.providerSaid", ("provider", provider), ("said", call.Message ?? call.Code)));
        }
    }

    private async Task<(ReceiptCopyState, Msg)> SendCopyAsync(FiscalReceipt receipt, FiscalConnection connection, FiscalEmployee employee, FiscalReceiptStatus status, CancellationToken ct)
    {
        if (receipt.Contact is not { } contact)
        {
            return (ReceiptCopyState.NoContact, Msg.Of("fiscal.copy.noContact"));
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
        else if (email)
        {
            return (ReceiptCopyState.NoContact, Msg.Of("fiscal.copy.cashalotPhoneOnly", ("contact", masked), ("source", receipt.ContactSource)));
        }
        else
        {
            sent = await cashalot.SendToConsumerAsync(receipt.RegisterFiscalNumber ?? employee.FiscalNumber!, setup.Credentials(connection).Keys!, status.FiscalCode ?? "",
                receipt.Total, status.FiscalDate ?? time.GetUtcNow(), contact, ct);
        }

        return sent.IsOk
            ? (ReceiptCopyState.Sent, Msg.Of("fiscal.copy.sent", ("by", Msg.Term(email ? "term.byEmail" : "term.bySms")), ("contact", masked), ("source", receipt.ContactSource)))
            : (ReceiptCopyState.Failed, Msg.Of("fiscal.copy.failed", ("by", Msg.Term(email ? "term.byEmail" : "term.bySms")), ("contact", masked), ("said", sent.Message ?? sent.Code)));
    }

    private async Task CompleteAsync(FiscalClaim claim, Result result, FiscalEmployee? employee, PickupPoint point, (ReceiptCopyState State, Msg Message)? copy)
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
        var what = Msg.Term(receipt.Kind == FiscalReceiptKind.Sale ? "term.saleReceipt" : "term.returnReceipt");
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

        var details = new
        {
            receiptId = receipt.Id, attempt = receipt.Attempts, provider = receipt.Provider.ToString(),
            notes = _notes.Select(English).ToList(),
            noteKeys = _notes.Select(n => new { key = n.Key, args = n.Args }).ToList(),
        };
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
                    Msg.Of("fiscal.done", ("what", what), ("receipt", receipt.Id), ("fiscalCode", receipt.FiscalCode),
                            ("foundExisting", result.FoundExisting ? Msg.Term("fiscal.foundExisting") : ""))
                        .With("by", result.Message).With("sentAgain", result.FoundExisting ? null : SentAgainPart()),
                    details: new { details, fiscalCode = receipt.FiscalCode, taxUrl = receipt.TaxUrl });
                if (copy is { } c)
                {
                    receipt.CopyState = c.State;
                    db.Record(order, now, FiscalActions.Copy, c.State == ReceiptCopyState.Sent ? ActionOutcome.Success : ActionOutcome.Warning, c.Message,
                        details: new { receiptId = receipt.Id, source = receipt.ContactSource });
                }

                if (connection is not null)
                {
                    FiscalConnectionStatusMessage.Set(connection, FiscalConnectionStatus.Connected, null);
                }

                break;

            case Kind.SentToPrint:
                receipt.State = FiscalReceiptState.SentToPrint;
                receipt.NextAttemptAt = now + options.Value.StatusPollInterval;
                if (wasState == FiscalReceiptState.Pending || _sentAgain is not null)
                {
                    db.Record(order, now, FiscalActions.Attempt, ActionOutcome.Info,
                        Msg.Of("fiscal.sentToPrint", ("what", what), ("receipt", receipt.Id)).With("detail", result.Message).With("sentAgain", SentAgainPart()), details: details);
                }

                break;

            case Kind.Failed:
                receipt.State = FiscalReceiptState.Error;
                receipt.Error = Cut(English(result.Message));
                receipt.FixHint = result.Hint is null ? null : Cut(English(result.Hint));
                db.Record(order, now, FiscalActions.Attempt, ActionOutcome.Failure, Msg.Of("fiscal.notIssued", ("what", what), ("receipt", receipt.Id)).With("detail", result.Message),
                    reason: result.Reason ?? FailureReason.FiscalRejected, fixHint: result.Hint, details: details);
                if (result.ConnectionFault && connection is not null)
                {
                    FiscalConnectionStatusMessage.Set(connection, FiscalConnectionStatus.Error, result.Message);
                }

                break;

            case Kind.Unclear:
                receipt.State = FiscalReceiptState.Unclear;
                receipt.Error = Cut(English(result.Message));
                receipt.FixHint = result.Hint is null ? null : Cut(English(result.Hint));
                receipt.NextAttemptAt = now + LookupPause(receipt);
                if (wasState != FiscalReceiptState.Unclear)
                {
                    // Once, on the way in: this row raises the alert; later lookups are warnings.
                    db.Record(order, now, FiscalActions.Attempt, ActionOutcome.Failure,
                        Msg.Of("fiscal.unclear", ("what", what), ("receipt", receipt.Id)).With("detail", result.Message),
                        reason: FailureReason.FiscalUnclear, fixHint: result.Hint, details: new { details, localNumber = receipt.LocalNumber, nextAttemptAt = receipt.NextAttemptAt });
                }
                else
                {
                    db.Record(order, now, FiscalActions.Attempt, ActionOutcome.Warning,
                        Msg.Of("fiscal.stillUnclear", ("what", what), ("receipt", receipt.Id), ("lookup", receipt.Attempts), ("next", At(receipt.NextAttemptAt))).With("detail", result.Message),
                        details: new { details, nextAttemptAt = receipt.NextAttemptAt });
                }

                break;

            default:
                if (result.Kind == Kind.Ambiguous)
                {
                    receipt.State = FiscalReceiptState.SentToPrint;
                }

                if (now - receipt.QueuedAt > options.Value.MaxAge && receipt.State != FiscalReceiptState.Unclear)
                {
                    receipt.State = FiscalReceiptState.Error;
                    var gaveUp = Msg.Of("fiscal.gaveUp", ("attempts", receipt.Attempts)).With("detail", result.Message);
                    var hint = Msg.Of("hint.fiscal.unreachable", ("receipt", receipt.Id));
                    receipt.Error = Cut(English(gaveUp));
                    receipt.FixHint = English(hint);
                    db.Record(order, now, FiscalActions.Attempt, ActionOutcome.Failure, Msg.Of("fiscal.receiptFailed", ("what", what), ("receipt", receipt.Id)).With("failure", gaveUp),
                        reason: FailureReason.FiscalUnreachable, fixHint: hint, details: details);
                    break;
                }

                var schedule = options.Value.RetrySchedule;
                var pause = schedule[Math.Clamp(receipt.Attempts - 1, 0, schedule.Length - 1)];
                receipt.NextAttemptAt = now + pause;
                receipt.Error = Cut(English(result.Message));
                db.Record(order, now, FiscalActions.Attempt, ActionOutcome.Warning,
                    Msg.Of("fiscal.retrying", ("what", what), ("receipt", receipt.Id), ("attempt", receipt.Attempts), ("next", At(receipt.NextAttemptAt))).With("detail", result.Message),
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

    private Msg? SentAgainPart() => _sentAgain is null ? null : Msg.Of("fiscal.sentAgainPart").With("sentAgainText", _sentAgain);

    private static string At(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) ?? "";

    private TimeSpan LookupPause(FiscalReceipt receipt)
    {
        var schedule = options.Value.RetrySchedule;
        return schedule[Math.Clamp(receipt.Attempts - 1, 0, schedule.Length - 1)];
    }

    private static string Cut(string text) => text.Length <= 1000 ? text : text[..999] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fiscal receipt {ReceiptId}: the claim was lost before its outcome was written; the newer claim's outcome counts")]
    private static partial void LogLostClaim(ILogger logger, Guid receiptId);
}
