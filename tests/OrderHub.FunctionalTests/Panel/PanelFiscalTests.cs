using System.Net;
using Microsoft.EntityFrameworkCore;
using OrderHub.Domain.Fiscal;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Panel;

public sealed class SqlitePanelFiscalTests() : PanelFiscalTests(new SqliteTestDatabase());

public sealed class PostgresPanelFiscalTests() : PanelFiscalTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerPanelFiscalTests() : PanelFiscalTests(new SqlServerTestDatabase());

/// <summary>
/// The fiscal screens over HTTP as a browser posts them, with the receipt worker and the Checkbox simulator on
/// loopback: connection and cashier set up in the panel, a cash order marked paid, its Error receipt's hint,
/// "retry" fiscalizing it once, a refund refused in the API's words; the secrets write-only, support read-only.
/// </summary>
public abstract class PanelFiscalTests(ITestDatabase database) : FiscalTestBase(database)
{
    private const string WrongPin = "97531";

    [Fact]
    public async Task A_cash_order_marked_paid_in_the_panel_shows_its_Error_receipt_with_the_hint_and_retry_fiscalizes_it_once()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        await TestUsers.CreateAsync(Factory, "olena", "manager", tenant.CompanyId);
        var panel = new PanelClient(Factory);
        await panel.SignInAsync("olena", TestUsers.Password);
        var point = $"/panel/points/{tenant.LvivPointId}";

        // The point's own Checkbox connection, with a PIN Checkbox will refuse.
        var saved = await FollowAsync(panel, await panel.PostFormAsync(point, point + "?handler=FiscalSave", Connection(WrongPin, PosSimulatorServer.CheckboxLicenseKey)));
        saved.ShouldContain("Підключення збережено.");
        saved.ShouldContain("власне підключення точки");
        saved.ShouldNotContain(WrongPin);
        saved.ShouldNotContain(PosSimulatorServer.CheckboxLicenseKey);

        // The cashier with a personal tax number in place of the register's: saved, with the API's warning shown.
        var employee = await FollowAsync(panel, await panel.PostFormAsync(point, point + "?handler=Employee", new Dictionary<string, string>
        {
            ["name"] = "Олена", ["userName"] = "olena", ["fiscalNumber"] = PersonalTaxNumber, ["isDefaultCashier"] = "true",
        }));
        employee.ShouldContain("Працівника «Олена» збережено. Увага:");
        employee.ShouldContain("РНОКПП");
        employee.ShouldContain("data-testid=\"employee-warning\"");
        var employeeId = await Factory.WithDbAsync(db => db.FiscalEmployees.Select(e => e.Id).SingleAsync());
        var fixedNumber = await FollowAsync(panel, await panel.PostFormAsync(point, point + "?handler=Employee", new Dictionary<string, string>
        {
            ["employeeId"] = employeeId.ToString(), ["name"] = "Олена", ["userName"] = "olena", ["fiscalNumber"] = CheckboxFiscalNumber, ["isDefaultCashier"] = "true",
        }));
        fixedNumber.ShouldContain("Працівника «Олена» збережено.");
        fixedNumber.ShouldNotContain("data-testid=\"employee-warning\"");

        var orderId = await AcceptAsync(tenant);
        var orderPage = $"/panel/orders/{orderId}";
        var before = await panel.GetPageAsync(orderPage);
        before.ShouldContain("data-testid=\"no-receipts\"");
        before.ShouldContain("data-testid=\"mark-paid\"");

        var paid = await FollowAsync(panel, await panel.PostFormAsync(orderPage, orderPage + "?handler=MarkPaid", new Dictionary<string, string> { ["paymentType"] = "cash" }));
        paid.ShouldContain("Замовлення оплачено; чек у черзі");
        paid.ShouldNotContain("data-testid=\"mark-paid\"");
        var receiptId = await WaitForReceiptAsync(orderId, FiscalReceiptState.Error);
        var failed = await panel.GetPageAsync(orderPage);
        failed.ShouldContain($"data-receipt-id=\"{receiptId}\" data-state=\"Error\"");
        failed.ShouldContain(">Помилка</span>");
        // The receipt's error and hint in the panel's language (the receipt stores them in English).
        failed.ShouldContain("Checkbox не прийняв PIN-код касира");
        failed.ShouldContain("Перевірте дані підключення: введіть PIN-код касира");
        failed.ShouldNotContain("Checkbox refused the cashier&#x27;s PIN");
        failed.ShouldContain("data-testid=\"retry\"");
        // "Fix it here", as the order's problem box has: the PIN is the point's fiscal connection's.
        failed.ShouldContain($"<a class=\"button\" href=\"{point}?tab=fiscal\" data-testid=\"receipt-fix-link\">Виправити тут</a>");
        (await Sim.FiscalReceiptsAsync("checkbox")).ShouldBeEmpty();

        // The PIN fixed in the panel, the license key left empty (kept); then "retry": the same receipt, once.
        (await FollowAsync(panel, await panel.PostFormAsync(point, point + "?handler=FiscalSave", Connection(PosSimulatorServer.CheckboxPin, ""))))
            .ShouldContain("Підключення збережено.");
        var stored = await Factory.WithDbAsync(db => db.FiscalConnections.AsNoTracking().SingleAsync());
        stored.LicenseKeyProtected.ShouldNotBeNull();
        stored.PinProtected!.ShouldNotContain(PosSimulatorServer.CheckboxPin);
        var retried = await FollowAsync(panel, await panel.PostFormAsync(orderPage, orderPage + "?handler=Retry", new Dictionary<string, string> { ["receiptId"] = receiptId.ToString() }));
        retried.ShouldContain("Чек знову в черзі");
        (await WaitForReceiptAsync(orderId, FiscalReceiptState.Successful)).ShouldBe(receiptId);
        // The attempt's notes in the row's details read in the panel's language (the row keeps their English too).
        var notesPage = await panel.GetPageAsync(orderPage);
        notesPage.ShouldContain("Checkbox не мав відкритої зміни: відкрито.");
        notesPage.ShouldNotContain("had no open shift");
        var fiscalized = (await Sim.FiscalReceiptsAsync("checkbox")).ShouldHaveSingleItem();
        fiscalized.GetProperty("id").GetString().ShouldBe(receiptId.ToString());

        var done = await panel.GetPageAsync(orderPage);
        done.ShouldContain($"data-receipt-id=\"{receiptId}\" data-state=\"Successful\"");
        done.ShouldContain(">Успішний</span>");
        done.ShouldContain($"data-testid=\"fiscal-code\">{fiscalized.GetProperty("fiscalCode").GetString()}<");
        done.ShouldContain("href=\"https://cabinet.tax.gov.ua/");
        done.ShouldContain("data-testid=\"receipt-total\">268,00 UAH · CASH");
        done.ShouldNotContain("data-testid=\"retry\"");

        // A second retry and a refund beyond what was sold: refused, in the API's words, nothing queued.
        var again = await FollowAsync(panel, await panel.PostFormAsync(orderPage, orderPage + "?handler=Retry", new Dictionary<string, string> { ["receiptId"] = receiptId.ToString() }));
        again.ShouldContain("data-testid=\"error\"");
        var tooMuch = await FollowAsync(panel, await panel.PostFormAsync(orderPage, orderPage + "?handler=Refund", new Dictionary<string, string> { ["qty-0"] = "5" }));
        tooMuch.ShouldContain("data-testid=\"error\"");
        (await Factory.WithDbAsync(db => db.FiscalReceipts.CountAsync())).ShouldBe(1);
        var refunded = await FollowAsync(panel, await panel.PostFormAsync(orderPage, orderPage + "?handler=Refund", new Dictionary<string, string> { ["reason"] = "Customer returned it" }));
        refunded.ShouldContain("Чек повернення в черзі на 268,00 грн.");
        refunded.ShouldContain(">Повернення ·");
    }

    [Fact]
    public async Task The_fiscal_connection_form_keeps_secrets_write_only_and_a_support_user_can_check_but_not_change_it()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        await TestUsers.CreateAsync(Factory, "marta", "manager", tenant.CompanyId);
        await TestUsers.CreateAsync(Factory, "bohdan", "support", tenant.CompanyId);
        var manager = new PanelClient(Factory);
        await manager.SignInAsync("marta", TestUsers.Password);
        var company = $"/panel/companies/{tenant.CompanyId}?tab=fiscal";

        (await manager.GetPageAsync(company)).ShouldContain("Підключення не налаштовано.");
        var saved = await FollowAsync(manager, await manager.PostFormAsync(company, company + "&handler=FiscalSave",
            Connection(PosSimulatorServer.CheckboxPin, PosSimulatorServer.CheckboxLicenseKey, shiftCloseAt: "23:50")));
        saved.ShouldContain("Підключення збережено.");
        saved.ShouldContain("23:50");
        saved.ShouldContain("data-testid=\"has-pin\"><span class=\"badge ok\">задано");
        saved.ShouldContain("data-testid=\"has-license\"><span class=\"badge ok\">задано");
        saved.ShouldNotContain(PosSimulatorServer.CheckboxPin);
        saved.ShouldNotContain(PosSimulatorServer.CheckboxLicenseKey);
        var stored = await Factory.WithDbAsync(db => db.FiscalConnections.AsNoTracking().SingleAsync());
        stored.PinProtected!.ShouldNotContain(PosSimulatorServer.CheckboxPin);
        stored.LicenseKeyProtected!.ShouldNotContain(PosSimulatorServer.CheckboxLicenseKey);

        // A bad time: the API's refusal, naming the field, and nothing changed.
        var bad = await FollowAsync(manager, await manager.PostFormAsync(company, company + "&handler=FiscalSave",
            Connection(PosSimulatorServer.CheckboxPin, "", shiftCloseAt: "25:99")));
        bad.ShouldContain("ShiftCloseAt: Формат ГГ:хх"); // our own validation message, in the panel's language
        (await Factory.WithDbAsync(db => db.FiscalConnections.AsNoTracking().SingleAsync())).UpdatedAt.ShouldBe(stored.UpdatedAt);

        // The point inherits it and says so.
        var point = await manager.GetPageAsync($"/panel/points/{tenant.KyivPointId}?tab=fiscal");
        point.ShouldContain("типове підключення компанії");

        var support = new PanelClient(Factory);
        await support.SignInAsync("bohdan", TestUsers.Password);
        var seen = await support.GetPageAsync(company);
        seen.ShouldContain("data-testid=\"fiscal-check\"");
        seen.ShouldNotContain("data-testid=\"fiscal-form\"");
        var refused = await support.PostFormAsync(company, company + "&handler=FiscalSave", Connection("1111", "stolen-license"));
        refused.Headers.Location!.OriginalString.ShouldContain("/panel/denied");
        var after = await Factory.WithDbAsync(db => db.FiscalConnections.AsNoTracking().SingleAsync());
        after.UpdatedAt.ShouldBe(stored.UpdatedAt);
        after.PinProtected.ShouldBe(stored.PinProtected);
        var employee = await support.PostFormAsync($"/panel/points/{tenant.KyivPointId}", $"/panel/points/{tenant.KyivPointId}?handler=Employee",
            new Dictionary<string, string> { ["name"] = "Bohdan", ["isDefaultCashier"] = "true" });
        employee.Headers.Location!.OriginalString.ShouldContain("/panel/denied");
        (await Factory.WithDbAsync(db => db.FiscalEmployees.CountAsync())).ShouldBe(0);

        var check = await FollowAsync(support, await support.PostFormAsync(company, company + "&handler=FiscalCheck", new Dictionary<string, string>()));
        check.ShouldContain("Перевірка: підключено й налаштовано.");
        (await Factory.WithDbAsync(db => db.FiscalConnections.AsNoTracking().SingleAsync())).Status.ShouldBe(FiscalConnectionStatus.Connected);
    }

    [Fact]
    public async Task An_Unclear_receipt_shows_the_cabinet_hint_and_a_manager_marks_it_found_in_the_panel_while_support_only_reads()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        await CashalotAsync(tenant.KyivPointId);
        await EmployeeAsync(tenant.KyivPointId, "Олена", null, PosSimulatorServer.CashalotNumFiscal, cashier: true);
        await FiscalAsync("cashalot", new Simulators.FiscalSimulatorSettings { AcceptThenTimeout = true, TimeoutDelayMs = 60_000, RefuseLookups = true });
        var orderId = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitUntilAsync(async () => (await ReceiptsAsync(orderId)).SingleOrDefault() is { State: "SentToPrint", LocalNumber: not null });
        await FiscalAsync("cashalot", new Simulators.FiscalSimulatorSettings { RefuseLookups = true });
        Factory.Clock.Advance(TimeSpan.FromSeconds(6));
        var receiptId = await WaitForReceiptAsync(orderId, FiscalReceiptState.Unclear);
        var fiscalCode = (await Sim.FiscalReceiptsAsync("cashalot")).Single().GetProperty("fiscalCode").GetString()!;

        await TestUsers.CreateAsync(Factory, "viktor", "support", tenant.CompanyId);
        var support = new PanelClient(Factory);
        await support.SignInAsync("viktor", TestUsers.Password);
        var orderPage = $"/panel/orders/{orderId}";
        var seen = await support.GetPageAsync(orderPage);
        seen.ShouldContain("data-testid=\"receipt-unclear\"");
        seen.ShouldContain("Пошукайте в кабінеті Cashalot чек " + receiptId);
        seen.ShouldNotContain("data-testid=\"mark-found\"");
        seen.ShouldContain("Вирішити може менеджер або адміністратор.");

        await TestUsers.CreateAsync(Factory, "olena", "manager", tenant.CompanyId);
        var panel = new PanelClient(Factory);
        await panel.SignInAsync("olena", TestUsers.Password);
        var page = await panel.GetPageAsync(orderPage);
        page.ShouldContain("data-testid=\"mark-found\"");
        page.ShouldContain("data-testid=\"send-again\"");
        var refused = await panel.PostFormAsync(orderPage, orderPage + "?handler=SendAgain", new Dictionary<string, string> { ["receiptId"] = receiptId.ToString() });
        (await FollowAsync(panel, refused)).ShouldContain("Я перевірив кабінет");
        (await Factory.WithDbAsync(db => db.FiscalReceipts.AsNoTracking().SingleAsync(r => r.Id == receiptId))).State.ShouldBe(FiscalReceiptState.Unclear);

        var found = await FollowAsync(panel, await panel.PostFormAsync(orderPage, orderPage + "?handler=MarkFound",
            new Dictionary<string, string> { ["receiptId"] = receiptId.ToString(), ["fiscalCode"] = fiscalCode }));
        found.ShouldContain($"Чек позначено знайденим: фіскальний номер {fiscalCode}.");
        var receipt = await Factory.WithDbAsync(db => db.FiscalReceipts.AsNoTracking().SingleAsync(r => r.Id == receiptId));
        receipt.State.ShouldBe(FiscalReceiptState.Successful);
        receipt.FiscalCode.ShouldBe(fiscalCode);
        (await Sim.FiscalReceiptsAsync("cashalot")).Count.ShouldBe(1);
    }

    private static Dictionary<string, string> Connection(string pin, string licenseKey, string shiftCloseAt = "") => new()
    {
        ["name"] = "Каса Checkbox", ["provider"] = "Checkbox", ["receiptsEnabled"] = "true", ["pin"] = pin, ["licenseKey"] = licenseKey,
        ["defaultTaxCode"] = "1", ["productTaxCodes"] = "", ["shiftCloseAt"] = shiftCloseAt,
    };

    private async Task<Guid> AcceptAsync(TestTenant tenant)
    {
        var response = await tenant.Sender(Factory).SendFixtureAsync(Fixtures.AcceptedPickupCash);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var dotsId = Fixtures.Json(Fixtures.AcceptedPickupCash)["order"]!["id"]!.GetValue<string>();
        return await Factory.WithDbAsync(db => db.Orders.Where(o => o.DotsOrderId == dotsId).Select(o => o.Id).SingleAsync());
    }

    private async Task<Guid> WaitForReceiptAsync(Guid orderId, FiscalReceiptState state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var id = await Factory.WithDbAsync(db => db.FiscalReceipts.AsNoTracking()
                .Where(r => r.OrderId == orderId && r.Kind == FiscalReceiptKind.Sale && r.State == state).Select(r => (Guid?)r.Id).FirstOrDefaultAsync());
            if (id is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No sale receipt in {state}.");
            }

            await Task.Delay(50);
        }
    }

    private static async Task<string> FollowAsync(PanelClient panel, HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return await panel.GetPageAsync(response.Headers.Location!.OriginalString);
    }
}
