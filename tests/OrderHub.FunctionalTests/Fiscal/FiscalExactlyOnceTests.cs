using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Fiscal.Receipts;
using OrderHub.Api.Fiscalization;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;
using OrderHub.Simulators;

namespace OrderHub.FunctionalTests.Fiscal;

/// <summary>
/// A sale whose answer was lost, against the Cashalot and Checkbox stand-ins on loopback: the provider has the
/// receipt, does not, or refuses every lookup. One fiscal check in every case, and the receipt's state and
/// history say which. Also the Cashalot wire format, command by command.
/// </summary>
public abstract class FiscalExactlyOnceTests(ITestDatabase database) : FiscalTestBase(database)
{
    [Fact]
    public async Task A_timed_out_Cashalot_sale_the_register_has_is_found_by_its_local_number_and_not_sent_again()
    {
        var (order, _) = await CashalotSaleThatTimesOutAsync(new FiscalSimulatorSettings { AcceptThenTimeout = true, TimeoutDelayMs = 60_000 });
        (await Sim.FiscalReceiptsAsync("cashalot")).Count.ShouldBe(1);

        await FiscalAsync("cashalot", new FiscalSimulatorSettings());
        Factory.Clock.Advance(TimeSpan.FromSeconds(6));
        var receipt = await WaitForReceiptAsync(order, "Successful");

        var stored = (await Sim.FiscalReceiptsAsync("cashalot")).ShouldHaveSingleItem();
        receipt.FiscalCode.ShouldBe(stored.GetProperty("fiscalCode").GetString());
        receipt.LocalNumber.ShouldBe(stored.GetProperty("localNumber").GetInt64());
        var commands = (await Sim.CashalotCommandsAsync()).Select(c => c.GetProperty("Command").GetString()).ToList();
        commands.Count(c => c == "RegisterCheck").ShouldBe(1);
        commands.ShouldContain("DocumentInfoByLocalNum");
        commands.ShouldNotContain("GetCheck");
        (await HistoryAsync(order)).Last(h => h.Action == FiscalActions.Attempt).Message.ShouldContain("found after an unclear attempt: not sent again");
    }

    [Fact]
    public async Task A_timed_out_Cashalot_sale_the_register_never_got_is_sent_again_once_because_its_numbering_did_not_move()
    {
        var (order, _) = await CashalotSaleThatTimesOutAsync(new FiscalSimulatorSettings { DropThenTimeout = true, TimeoutDelayMs = 60_000 });
        (await Sim.FiscalReceiptsAsync("cashalot")).ShouldBeEmpty();

        await FiscalAsync("cashalot", new FiscalSimulatorSettings());
        Factory.Clock.Advance(TimeSpan.FromSeconds(6));
        var receipt = await WaitForReceiptAsync(order, "Successful");

        var stored = (await Sim.FiscalReceiptsAsync("cashalot")).ShouldHaveSingleItem();
        receipt.FiscalCode.ShouldBe(stored.GetProperty("fiscalCode").GetString());
        (await Sim.CashalotCommandsAsync()).Count(c => c.GetProperty("Command").GetString() == "RegisterCheck").ShouldBe(2);
        (await HistoryAsync(order)).Last(h => h.Action == FiscalActions.Attempt).Message.ShouldContain("the unclear attempt made no check, so it was sent again");
    }

    [Fact]
    public async Task A_timed_out_Cashalot_sale_with_lookups_refused_stays_Unclear_is_never_sent_again_and_an_operator_marks_it_found()
    {
        var (order, tenant) = await CashalotSaleThatTimesOutAsync(new FiscalSimulatorSettings { AcceptThenTimeout = true, TimeoutDelayMs = 60_000, RefuseLookups = true });
        await FiscalAsync("cashalot", new FiscalSimulatorSettings { RefuseLookups = true });
        Factory.Clock.Advance(TimeSpan.FromSeconds(6));
        var unclear = await WaitForReceiptAsync(order, "Unclear");
        unclear.FixHint!.ShouldStartWith("Check the Cashalot cabinet for receipt " + unclear.Id);
        unclear.FixHint.ShouldContain("mark it found with its fiscal number");
        unclear.FixHint.ShouldContain("send it again");
        unclear.Error!.ShouldContain("refused to show that document");

        // Looked up again and again, never sent again.
        for (var i = 0; i < 3; i++)
        {
            var lookups = await LookupsAsync();
            // The last lookup's outcome is written (its lease let go) before the clock moves: written after, its next
            // look would be due an hour after the moved clock, and none would come.
            await WaitUntilAsync(() => Factory.WithDbAsync(db => db.FiscalReceipts.AnyAsync(r => r.OrderId == order && r.LeaseOwner == null)), "the last lookup's outcome");
            Factory.Clock.Advance(TimeSpan.FromHours(1));
            await WaitUntilAsync(async () => await LookupsAsync() > lookups, "another lookup");
        }

        var stored = (await Sim.FiscalReceiptsAsync("cashalot")).ShouldHaveSingleItem();
        (await Sim.CashalotCommandsAsync()).Count(c => c.GetProperty("Command").GetString() == "RegisterCheck").ShouldBe(1);
        (await ReceiptsAsync(order)).Single().State.ShouldBe("Unclear");
        var history = await HistoryAsync(order);
        history.Count(h => h.Action == FiscalActions.Attempt && h.Outcome == "Failure").ShouldBe(1);
        // The one failure row (it raises the alert) names the reason and the fix; later lookups are warnings.
        var failure = history.Single(h => h.Action == FiscalActions.Attempt && h.Outcome == "Failure");
        failure.Message.ShouldContain("is unclear");
        failure.Reason.ShouldBe("FiscalUnclear");
        failure.FixHint!.ShouldContain("Check the Cashalot cabinet");

        // Support may look, not decide; the fiscal number is required and named.
        var support = await TestUsers.CreateAsync(Factory, "support-" + Guid.NewGuid().ToString("N")[..6], "support", tenant.CompanyId);
        (await support.Client(Factory).PostAsJsonAsync($"/api/receipts/{unclear.Id}/mark-found", new { fiscalCode = "1" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await (await Api.PostAsJsonAsync($"/api/receipts/{unclear.Id}/mark-found", new { fiscalCode = "" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "fiscalCode");

        var fiscalCode = stored.GetProperty("fiscalCode").GetString()!;
        var found = await (await Api.PostAsJsonAsync($"/api/receipts/{unclear.Id}/mark-found", new { fiscalCode })).ShouldBeAsync<ReceiptDto>(HttpStatusCode.OK);
        found.State.ShouldBe("Successful");
        found.FiscalCode.ShouldBe(fiscalCode);
        (await Api.PostAsync($"/api/receipts/{unclear.Id}/send-again", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await HistoryAsync(order)).Last(h => h.Action == FiscalActions.Attempt).Message.ShouldContain("marked found in the Cashalot cabinet by an operator");
        var audit = await (await Api.GetAsync($"/api/audit?companyId={tenant.CompanyId}&entityType=FiscalReceipt&pageSize=50")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        audit.GetProperty("items").EnumerateArray().ShouldContain(e => e.GetProperty("action").GetString() == "marked-found");
        (await Sim.FiscalReceiptsAsync("cashalot")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_operator_who_finds_an_Unclear_receipt_absent_sends_it_again_and_that_is_audited()
    {
        var (order, tenant) = await CashalotSaleThatTimesOutAsync(new FiscalSimulatorSettings { AcceptThenTimeout = true, TimeoutDelayMs = 60_000, RefuseLookups = true });
        await FiscalAsync("cashalot", new FiscalSimulatorSettings { RefuseLookups = true });
        Factory.Clock.Advance(TimeSpan.FromSeconds(6));
        var unclear = await WaitForReceiptAsync(order, "Unclear");

        var again = await (await Api.PostAsync($"/api/receipts/{unclear.Id}/send-again", null)).ShouldBeAsync<ReceiptDto>(HttpStatusCode.Accepted);
        again.State.ShouldBe("Pending");
        var receipt = await WaitForReceiptAsync(order, "Successful");

        // The operator's call: a second check is what they asked for.
        var stored = await Sim.FiscalReceiptsAsync("cashalot");
        stored.Count.ShouldBe(2);
        receipt.FiscalCode.ShouldBe(stored[1].GetProperty("fiscalCode").GetString());
        var history = await HistoryAsync(order);
        history.ShouldContain(h => h.Action == FiscalActions.Retry && h.Message.Contains("sent again by an operator") && h.Actor.Contains(OrderHubFactory.ApiKeyName));
        var audit = await (await Api.GetAsync($"/api/audit?companyId={tenant.CompanyId}&entityType=FiscalReceipt&pageSize=50")).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        audit.GetProperty("items").EnumerateArray().ShouldContain(e => e.GetProperty("action").GetString() == "sent-again");
    }

    [Fact]
    public async Task A_timed_out_Checkbox_sale_with_lookups_refused_is_resent_only_with_its_own_id_and_stays_Unclear_until_a_lookup_finds_it()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        await CheckboxAsync(tenant.KyivPointId);
        await EmployeeAsync(tenant.KyivPointId, "Олена", null, CheckboxFiscalNumber, cashier: true);
        await FiscalAsync("checkbox", new FiscalSimulatorSettings { AcceptThenTimeout = true, TimeoutDelayMs = 60_000, RefuseLookups = true });
        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitUntilAsync(async () => (await ReceiptsAsync(order)).SingleOrDefault() is { State: "SentToPrint", Error: not null });

        await FiscalAsync("checkbox", new FiscalSimulatorSettings { RefuseLookups = true });
        Factory.Clock.Advance(TimeSpan.FromSeconds(6));
        var unclear = await WaitForReceiptAsync(order, "Unclear");
        unclear.Error!.ShouldContain("receipt.already_exists");
        unclear.FixHint!.ShouldStartWith("Check the Checkbox cabinet for receipt " + unclear.Id);
        (await Sim.FiscalReceiptsAsync("checkbox")).ShouldHaveSingleItem().GetProperty("id").GetString().ShouldBe(unclear.Id.ToString());

        // Lookups allowed again: the next lookup (30 s later) finds it; still one receipt.
        await FiscalAsync("checkbox", new FiscalSimulatorSettings());
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var receipt = await WaitForReceiptAsync(order, "Successful");
        var stored = (await Sim.FiscalReceiptsAsync("checkbox")).ShouldHaveSingleItem();
        receipt.FiscalCode.ShouldBe(stored.GetProperty("fiscalCode").GetString());
        (await HistoryAsync(order)).Last(h => h.Action == FiscalActions.Attempt).Message.ShouldContain("not sent again");
    }

    [Fact]
    public async Task A_timed_out_Checkbox_sale_Checkbox_never_got_is_sent_again_with_the_same_id()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        await CheckboxAsync(tenant.KyivPointId);
        await EmployeeAsync(tenant.KyivPointId, "Олена", null, CheckboxFiscalNumber, cashier: true);
        await FiscalAsync("checkbox", new FiscalSimulatorSettings { DropThenTimeout = true, TimeoutDelayMs = 60_000 });
        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitUntilAsync(async () => (await ReceiptsAsync(order)).SingleOrDefault() is { State: "SentToPrint", Error: not null });
        (await Sim.FiscalReceiptsAsync("checkbox")).ShouldBeEmpty();

        await FiscalAsync("checkbox", new FiscalSimulatorSettings());
        Factory.Clock.Advance(TimeSpan.FromSeconds(6));
        var receipt = await WaitForReceiptAsync(order, "Successful");

        (await Sim.FiscalReceiptsAsync("checkbox")).ShouldHaveSingleItem().GetProperty("id").GetString().ShouldBe(receipt.Id.ToString());
        (await HistoryAsync(order)).ShouldContain(h => h.Action == FiscalActions.Attempt && h.Message.Contains("did not have it after the unclear attempt: sent again with the same id"));
    }

    [Fact]
    public async Task Every_Cashalot_command_has_the_public_shape_the_password_in_plain_text_and_the_copy_goes_to_a_phone()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        await CashalotAsync(tenant.KyivPointId);
        await EmployeeAsync(tenant.KyivPointId, "Олена", null, PosSimulatorServer.CashalotNumFiscal, cashier: true);
        var check = await Api.PostAsync($"/api/pickup-points/{tenant.KyivPointId}/fiscal-connection/check", null);
        (await check.ShouldBeAsync<JsonElement>(HttpStatusCode.OK)).GetProperty("status").GetString().ShouldBe("Connected");

        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        var receipt = await WaitForReceiptAsync(order, "Successful");

        var commands = await Sim.CashalotCommandsAsync();
        commands.Select(c => c.GetProperty("Command").GetString()).ShouldBe(
            ["TransactionsRegistrarState", "TransactionsRegistrarState", "OpenShift", "TransactionsRegistrarState", "RegisterCheck", "SendCheckToConsumer"]);
        foreach (var command in commands)
        {
            command.GetProperty("NumFiscal").GetString().ShouldBe(PosSimulatorServer.CashalotNumFiscal);
            command.GetProperty("Password").GetString().ShouldBe(PosSimulatorServer.CashalotKeyPassword);
            command.GetProperty("Certificate").GetString().ShouldBe(Convert.ToBase64String("certificate"u8.ToArray()));
            command.GetProperty("PrivateKey").GetString().ShouldBe(Convert.ToBase64String("private-key"u8.ToArray()));
        }

        var register = commands.Single(c => c.GetProperty("Command").GetString() == "RegisterCheck").GetProperty("Check");
        register.GetProperty("CHECKHEAD").GetProperty("DOCTYPE").GetString().ShouldBe("SaleGoods");
        register.GetProperty("CHECKHEAD").GetProperty("DOCSUBTYPE").GetString().ShouldBe("CheckGoods");
        register.GetProperty("CHECKTOTAL").GetProperty("SUM").GetDecimal().ShouldBe(819.00m);
        register.GetProperty("CHECKPAY")[0].GetProperty("PAYFORMCD").GetInt32().ShouldBe(1);
        register.GetProperty("CHECKBODY")[0].GetProperty("NAME").GetString().ShouldBe("Піца Маргарита 30 см (Тонке тісто)");

        var copy = commands.Single(c => c.GetProperty("Command").GetString() == "SendCheckToConsumer");
        copy.TryGetProperty("EMail", out _).ShouldBeFalse();
        copy.GetProperty("PhoneNumber").GetString().ShouldBe("380671234567");
        copy.GetProperty("ServiceType").GetString().ShouldNotBeNullOrEmpty();
        copy.GetProperty("RegistrarNumFiscal").GetString().ShouldBe(PosSimulatorServer.CashalotNumFiscal);
        copy.GetProperty("OrderNumFiscal").GetString().ShouldBe(receipt.FiscalCode);
        copy.GetProperty("OrderSum").GetDecimal().ShouldBe(819.00m);
        copy.TryGetProperty("OrderDateTime", out _).ShouldBeTrue();

        // The address's receipt e-mail is passed over, and the history says so and why.
        receipt.CopyState.ShouldBe("Sent");
        receipt.ContactSource.ShouldBe("address mobile phone");
        (await Sim.FiscalReceiptsAsync("cashalot")).Single().GetProperty("copies").EnumerateArray().Select(c => c.GetString()).ShouldBe(["sms:380671234567"]);
        var history = await HistoryAsync(order);
        history.ShouldContain(h => h.Action == FiscalActions.ReceiptQueued && h.Message.Contains("the address's receipt e-mail not used: the provider sends copies to a phone only"));
        history.ShouldContain(h => h.Action == FiscalActions.Copy && h.Outcome == "Success" && h.Message.Contains("38067***67"));
        string.Join("\n", history.Select(h => h.Message + h.Details)).ShouldNotContain(PosSimulatorServer.CashalotKeyPassword);
    }

    private async Task<(Guid Order, TestTenant Tenant)> CashalotSaleThatTimesOutAsync(FiscalSimulatorSettings fault)
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        await CashalotAsync(tenant.KyivPointId);
        await EmployeeAsync(tenant.KyivPointId, "Олена", null, PosSimulatorServer.CashalotNumFiscal, cashier: true);
        await FiscalAsync("cashalot", fault);
        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitUntilAsync(async () => (await ReceiptsAsync(order)).SingleOrDefault() is { State: "SentToPrint", LocalNumber: not null }, "the unclear attempt");
        return (order, tenant);
    }

    private async Task<int> LookupsAsync() =>
        (await Sim.CashalotCommandsAsync()).Count(c => c.GetProperty("Command").GetString() == "DocumentInfoByLocalNum");
}

public sealed class SqliteFiscalExactlyOnceTests() : FiscalExactlyOnceTests(new SqliteTestDatabase());

public sealed class PostgresFiscalExactlyOnceTests() : FiscalExactlyOnceTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerFiscalExactlyOnceTests() : FiscalExactlyOnceTests(new SqlServerTestDatabase());
