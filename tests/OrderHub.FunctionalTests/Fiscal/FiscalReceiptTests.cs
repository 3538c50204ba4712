using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Features.Fiscal.Receipts;
using OrderHub.Api.Features.Orders;
using OrderHub.Api.Fiscalization;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;
using OrderHub.Simulators;

namespace OrderHub.FunctionalTests.Fiscal;

/// <summary>
/// Paid orders through the receipt worker and the real fiscal clients to the Checkbox and Cashalot simulators on
/// loopback: what the provider received, in its units, once, through outages, unclear answers and refunds.
/// </summary>
public abstract class FiscalReceiptTests(ITestDatabase database) : FiscalTestBase(database)
{
    [Fact]
    public async Task A_paid_delivery_order_yields_one_successful_Checkbox_receipt_in_kopecks_and_thousandths_with_its_copy()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        await CheckboxAsync(tenant.KyivPointId);
        await EmployeeAsync(tenant.KyivPointId, "Олена", OrderHubFactory.ApiKeyName, CheckboxFiscalNumber, cashier: true);
        var check = await Api.PostAsync($"/api/pickup-points/{tenant.KyivPointId}/fiscal-connection/check", null);
        (await check.ShouldBeAsync<JsonElement>(HttpStatusCode.OK)).GetProperty("status").GetString().ShouldBe("Connected");

        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        var receipt = await WaitForReceiptAsync(order, "Successful");

        var stored = (await Sim.FiscalReceiptsAsync("checkbox")).ShouldHaveSingleItem();
        stored.GetProperty("id").GetString().ShouldBe(receipt.Id.ToString());
        var body = stored.GetProperty("body");
        var goods = body.GetProperty("goods").EnumerateArray().ToList();
        goods.Select(g => g.GetProperty("good").GetProperty("code").GetString())
            .ShouldBe(["dots-prod-pizza-margherita", "dots-mod-extra-mozzarella", "dots-var-cola-05", "dots-prod-tiramisu", "delivery"]);
        goods[0].GetProperty("good").GetProperty("name").GetString().ShouldBe("Піца Маргарита 30 см (Тонке тісто)");
        goods[0].GetProperty("good").GetProperty("price").GetInt64().ShouldBe(24500);
        goods[0].GetProperty("quantity").GetInt64().ShouldBe(2000);
        goods[0].GetProperty("good").GetProperty("tax")[0].GetInt32().ShouldBe(1);
        goods[1].GetProperty("good").GetProperty("price").GetInt64().ShouldBe(3500);
        goods[1].GetProperty("quantity").GetInt64().ShouldBe(2000);
        goods[2].GetProperty("good").GetProperty("price").GetInt64().ShouldBe(4200);
        goods[2].GetProperty("quantity").GetInt64().ShouldBe(3000);
        goods[4].GetProperty("good").GetProperty("price").GetInt64().ShouldBe(6000);
        goods[4].GetProperty("quantity").GetInt64().ShouldBe(1000);
        body.GetProperty("discounts")[0].GetProperty("value").GetInt64().ShouldBe(5600);
        body.GetProperty("payments")[0].GetProperty("type").GetString().ShouldBe("CASHLESS");
        body.GetProperty("payments")[0].GetProperty("value").GetInt64().ShouldBe(81900);
        body.GetProperty("cashier_name").GetString().ShouldBe("Олена");

        receipt.FiscalCode.ShouldBe(stored.GetProperty("fiscalCode").GetString());
        receipt.TaxUrl!.ShouldStartWith("https://cabinet.tax.gov.ua/");
        receipt.FiscalDate.ShouldNotBeNull();
        receipt.Total.ShouldBe(819.00m);
        receipt.Goods.Count.ShouldBe(5);
        receipt.CopyState.ShouldBe("Sent");
        receipt.ContactSource.ShouldBe("address receipt contact");
        stored.GetProperty("copies").EnumerateArray().Select(c => c.GetString()).ShouldBe(["email:andrii.receipts@example.com"]);
        (await Api.GetFromJsonAsync<ReceiptDto>($"/api/receipts/{receipt.Id}", HttpAssertions.Json))!.State.ShouldBe("Successful");

        var history = await HistoryAsync(order);
        var fiscalized = history.Single(h => h.Action == FiscalActions.Attempt && h.Outcome == "Success");
        fiscalized.Message.ShouldContain(receipt.FiscalCode!);
        fiscalized.Message.ShouldNotContain("unclear", Case.Insensitive); // the ordinary status poll found nothing unclear
        history.ShouldContain(h => h.Action == FiscalActions.Copy && h.Outcome == "Success");
        var all = string.Join("\n", history.Select(h => h.Message + h.Details));
        all.ShouldNotContain(PosSimulatorServer.CheckboxPin);
        all.ShouldNotContain(PosSimulatorServer.CheckboxLicenseKey);
        all.ShouldNotContain("andrii.receipts@example.com");
        var connection = await Api.GetFromJsonAsync<JsonElement>($"/api/pickup-points/{tenant.KyivPointId}/fiscal-connection");
        connection.GetProperty("hasPin").GetBoolean().ShouldBeTrue();
        connection.ToString().ShouldNotContain(PosSimulatorServer.CheckboxPin);

        // The connection is a setting: audited, its secrets masked.
        var audit = await (await Api.GetAsync($"/api/audit?companyId={tenant.CompanyId}&entityType=FiscalConnection&pageSize=200"))
            .ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        var entries = audit.GetProperty("items").EnumerateArray().ToList();
        entries.ShouldNotBeEmpty();
        entries.ShouldAllBe(e => !e.ToString().Contains(PosSimulatorServer.CheckboxLicenseKey));
        var created = entries.Single(e => e.GetProperty("action").GetString() == "created").GetProperty("after");
        created.GetProperty("pin").GetString().ShouldBe("***");
        created.GetProperty("licenseKey").GetString().ShouldBe("***");
    }

    [Fact]
    public async Task A_cash_order_marked_paid_yields_one_Cashalot_receipt_in_decimal_UAH_with_cash_payment_and_no_copy_without_a_contact()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        // The company default issues nothing; Lviv's own Cashalot connection overrides it.
        await CheckboxAsync(null, companyId: tenant.CompanyId, enabled: false);
        await CashalotAsync(tenant.LvivPointId);
        await EmployeeAsync(tenant.LvivPointId, "Тарас", OrderHubFactory.ApiKeyName, PosSimulatorServer.CashalotNumFiscal, cashier: false);

        var order = await AcceptAsync(tenant, Fixtures.AcceptedPickupCash);
        await Task.Delay(300);
        (await ReceiptsAsync(order)).ShouldBeEmpty();

        var paid = await Api.PostAsJsonAsync($"/api/orders/{order}/mark-paid", new { paymentType = "cash" });
        paid.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var receipt = await WaitForReceiptAsync(order, "Successful");

        var stored = (await Sim.FiscalReceiptsAsync("cashalot")).ShouldHaveSingleItem();
        var check = stored.GetProperty("body");
        check.GetProperty("CHECKHEAD").GetProperty("UID").GetString().ShouldBe(receipt.Id.ToString());
        check.GetProperty("CHECKHEAD").GetProperty("DOCSUBTYPE").GetString().ShouldBe("CheckGoods");
        var rows = check.GetProperty("CHECKBODY").EnumerateArray().ToList();
        rows.Count.ShouldBe(2);
        rows[0].GetProperty("NAME").GetString().ShouldBe("Бургер класичний (Без цибулі)");
        rows[0].GetProperty("PRICE").GetDecimal().ShouldBe(189.00m);
        rows[0].GetProperty("AMOUNT").GetDecimal().ShouldBe(1m);
        rows[1].GetProperty("COST").GetDecimal().ShouldBe(79.00m);
        check.GetProperty("CHECKTOTAL").GetProperty("SUM").GetDecimal().ShouldBe(268.00m);
        check.GetProperty("CHECKPAY")[0].GetProperty("PAYFORMCD").GetInt32().ShouldBe(0);
        check.GetProperty("CHECKPAY")[0].GetProperty("SUM").GetDecimal().ShouldBe(268.00m);
        receipt.Provider.ShouldBe("Cashalot");
        receipt.PaymentType.ShouldBe("CASH");
        receipt.CashierName.ShouldBe("Тарас");
        receipt.FiscalCode.ShouldBe(stored.GetProperty("fiscalCode").GetString());
        receipt.CopyState.ShouldBe("NoContact");
        stored.GetProperty("copies").GetArrayLength().ShouldBe(0);
        Sim.Simulator.Fiscal.ShiftLog().ShouldBe([$"open {PosSimulatorServer.CashalotNumFiscal}"]);
        (await HistoryAsync(order)).ShouldContain(h => h.Action == FiscalActions.Copy && h.Message.Contains("no copy sent"));

        var again = await Api.PostAsJsonAsync($"/api/orders/{order}/mark-paid", new { });
        await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Each_misconfiguration_gives_its_exact_message_and_fix_and_a_fixed_receipt_goes_through_once()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        await CheckboxAsync(tenant.LvivPointId, pin: "9999");
        var order = await AcceptAsync(tenant, Fixtures.AcceptedPickupCash);

        // No employee for the acting user.
        var unlinked = await Api.PostAsJsonAsync($"/api/orders/{order}/mark-paid", new { });
        var problem = await unlinked.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("title").GetString().ShouldBe("Link your user to an employee");
        problem.GetProperty("fixHint").GetString()!.ShouldContain($"userName '{OrderHubFactory.ApiKeyName}'");

        // The same refusal to a reader who asks for Ukrainian: title, detail and hint in Ukrainian; English stays the default.
        using (var ukrainian = new HttpRequestMessage(HttpMethod.Post, $"/api/orders/{order}/mark-paid") { Content = JsonContent.Create(new { }) })
        {
            ukrainian.Headers.AcceptLanguage.ParseAdd("uk-UA,uk;q=0.9,en;q=0.5");
            var inUkrainian = await (await Api.SendAsync(ukrainian)).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
            inUkrainian.GetProperty("title").GetString().ShouldBe("Прив'яжіть свого користувача до працівника");
            inUkrainian.GetProperty("detail").GetString()!.ShouldBe($"Користувача «{OrderHubFactory.ApiKeyName}» не прив'язано до працівника точки видачі «Площа Ринок», тож від його імені не можна видати чек.");
            inUkrainian.GetProperty("fixHint").GetString()!.ShouldContain($"userName «{OrderHubFactory.ApiKeyName}»");
        }

        problem.GetProperty("detail").GetString()!.ShouldBe($"User '{OrderHubFactory.ApiKeyName}' is not linked to an employee at pickup point 'Площа Ринок', so no receipt can be issued in their name.");

        // Validation messages follow the same language; the field names in errors stay as they are.
        using (var invalid = new HttpRequestMessage(HttpMethod.Post, $"/api/orders/{order}/mark-paid") { Content = JsonContent.Create(new { buyerName = new string('x', 500) }) })
        {
            invalid.Headers.AcceptLanguage.ParseAdd("uk");
            var errors = (await (await Api.SendAsync(invalid)).ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
            errors.GetProperty("buyerName")[0].GetString()!.ShouldContain("символ");
        }

        var englishErrors = (await (await Api.PostAsJsonAsync($"/api/orders/{order}/mark-paid", new { buyerName = new string('x', 500) }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        englishErrors.GetProperty("buyerName")[0].GetString()!.ShouldContain("characters");

        // An employee without the register's fiscal number.
        var employee = await EmployeeAsync(tenant.LvivPointId, "Тарас", OrderHubFactory.ApiKeyName, null, cashier: true);
        employee.GetProperty("warnings")[0].GetString()!.ShouldContain("Enter the employee's fiscal number (ФН ПРРО)");
        var noNumber = await Api.PostAsJsonAsync($"/api/orders/{order}/mark-paid", new { });
        (await noNumber.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("title").GetString()
            .ShouldBe("Enter the employee's fiscal number (ФН ПРРО)");
        (await ReceiptsAsync(order)).ShouldBeEmpty();

        // The personal tax number in its place: a warning, not a refusal.
        var id = employee.GetProperty("id").GetGuid();
        var personal = await Api.PutAsJsonAsync($"/api/fiscal-employees/{id}",
            new { name = "Тарас", userName = OrderHubFactory.ApiKeyName, fiscalNumber = PersonalTaxNumber, isDefaultCashier = true });
        (await personal.ShouldBeAsync<JsonElement>(HttpStatusCode.OK)).GetProperty("warnings")[0].GetString()!.ShouldContain("РНОКПП");
        var letters = await Api.PutAsJsonAsync($"/api/fiscal-employees/{id}", new { name = "Тарас", fiscalNumber = "ФН-12" });
        await letters.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "fiscalNumber");

        // A wrong PIN: the receipt ends in Error with the provider's refusal translated, the connection too.
        await Api.PutAsJsonAsync($"/api/fiscal-employees/{id}", new { name = "Тарас", userName = OrderHubFactory.ApiKeyName, fiscalNumber = CheckboxFiscalNumber, isDefaultCashier = true });
        (await Api.PostAsJsonAsync($"/api/orders/{order}/mark-paid", new { })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var failed = await WaitForReceiptAsync(order, "Error");
        failed.Error!.ShouldContain("Checkbox refused the cashier's PIN");
        failed.FixHint!.ShouldStartWith("Check the connection data: enter the cashier's PIN");
        // The same receipt read with Accept-Language: uk: its error and hint in Ukrainian, from the history row that recorded them.
        using (var ukrainian = new HttpRequestMessage(HttpMethod.Get, $"/api/orders/{order}/receipts"))
        {
            ukrainian.Headers.AcceptLanguage.ParseAdd("uk");
            var inUkrainian = (await (await Api.SendAsync(ukrainian)).ShouldBeAsync<JsonElement>(HttpStatusCode.OK)).EnumerateArray().Single();
            inUkrainian.GetProperty("error").GetString()!.ShouldContain("Checkbox не прийняв PIN-код касира");
            inUkrainian.GetProperty("fixHint").GetString()!.ShouldNotContain("Check the connection");
        }

        var connection = await Api.GetFromJsonAsync<JsonElement>($"/api/pickup-points/{tenant.LvivPointId}/fiscal-connection");
        connection.GetProperty("status").GetString().ShouldBe("Error");
        // The connection's status after the failed receipt: stored as a key, read in the reader's language.
        connection.GetProperty("statusMessage").GetString()!.ShouldContain("Checkbox refused the cashier's PIN");
        (await FiscalStatusInUkrainianAsync(tenant.LvivPointId)).ShouldContain("Checkbox не прийняв PIN-код касира");
        var check = await (await Api.PostAsync($"/api/pickup-points/{tenant.LvivPointId}/fiscal-connection/check", null)).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        check.GetProperty("fixHint").GetString()!.ShouldStartWith("Check the connection data");
        using (var ukrainian = new HttpRequestMessage(HttpMethod.Post, $"/api/pickup-points/{tenant.LvivPointId}/fiscal-connection/check"))
        {
            ukrainian.Headers.AcceptLanguage.ParseAdd("uk");
            var inUkrainian = await (await Api.SendAsync(ukrainian)).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
            inUkrainian.GetProperty("message").GetString()!.ShouldContain("Checkbox не прийняв PIN-код касира");
            inUkrainian.GetProperty("fixHint").GetString()!.ShouldStartWith("Перевірте дані підключення");
        }

        // Stored as a key (with today's English beside it), whoever checked: each reader reads it in their language.
        (await Api.GetFromJsonAsync<JsonElement>($"/api/pickup-points/{tenant.LvivPointId}/fiscal-connection")).GetProperty("statusMessage").GetString()!
            .ShouldContain("Checkbox refused the cashier's PIN");
        (await FiscalStatusInUkrainianAsync(tenant.LvivPointId)).ShouldContain("Checkbox не прийняв PIN-код касира");

        // A wrong license key says so.
        await CheckboxAsync(tenant.LvivPointId, licenseKey: "not-a-license");
        using (var changed = new HttpRequestMessage(HttpMethod.Get, $"/api/pickup-points/{tenant.LvivPointId}/fiscal-connection"))
        {
            // A saved connection waits for its check: said in the reader's language.
            changed.Headers.AcceptLanguage.ParseAdd("uk");
            (await (await Api.SendAsync(changed)).ShouldBeAsync<JsonElement>(HttpStatusCode.OK)).GetProperty("statusMessage").GetString().ShouldBe("Змінено: перевірте підключення.");
        }

        check = await (await Api.PostAsync($"/api/pickup-points/{tenant.LvivPointId}/fiscal-connection/check", null)).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        check.GetProperty("message").GetString()!.ShouldContain("license key");

        // Fixed: the retry sends the same id and fiscalizes once.
        await CheckboxAsync(tenant.LvivPointId);
        (await Api.PostAsync($"/api/receipts/{failed.Id}/retry", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var done = await WaitForReceiptAsync(order, "Successful");
        done.Id.ShouldBe(failed.Id);
        (await Sim.FiscalReceiptsAsync("checkbox")).ShouldHaveSingleItem().GetProperty("id").GetString().ShouldBe(failed.Id.ToString());
    }

    private async Task<string> FiscalStatusInUkrainianAsync(Guid pointId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/pickup-points/{pointId}/fiscal-connection");
        request.Headers.AcceptLanguage.ParseAdd("uk");
        return (await (await Api.SendAsync(request)).ShouldBeAsync<JsonElement>(HttpStatusCode.OK)).GetProperty("statusMessage").GetString()!;
    }

    [Fact]
    public async Task An_automatic_receipt_without_a_cashier_employee_names_the_fix()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        await CashalotAsync(tenant.KyivPointId);

        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        var failed = await WaitForReceiptAsync(order, "Error");
        failed.Error!.ShouldStartWith("Link your user to an employee");
        failed.FixHint!.ShouldContain("isDefaultCashier");

        // A Cashalot register the fiscal number does not name: the provider's code, translated.
        await EmployeeAsync(tenant.KyivPointId, "Олена", OrderHubFactory.ApiKeyName, "4000999999", cashier: true);
        (await Api.PostAsync($"/api/receipts/{failed.Id}/retry", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await WaitUntilAsync(async () => (await ReceiptsAsync(order)).Single().Attempts >= 2 && (await ReceiptsAsync(order)).Single().State == "Error");
        var refused = (await ReceiptsAsync(order)).Single();
        refused.Error!.ShouldContain("Cashalot has no register with this fiscal number");
        refused.FixHint!.ShouldStartWith("Enter the employee's fiscal number (ФН ПРРО)");
        (await Sim.FiscalReceiptsAsync("cashalot")).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_Checkbox_outage_then_recovery_gives_exactly_one_receipt()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        await CheckboxAsync(tenant.KyivPointId);
        await EmployeeAsync(tenant.KyivPointId, "Олена", null, CheckboxFiscalNumber, cashier: true);
        await FiscalAsync("checkbox", new FiscalSimulatorSettings { Outage = true });

        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitUntilAsync(async () => (await ReceiptsAsync(order)).SingleOrDefault() is { Attempts: >= 1, Error: not null });
        var waiting = (await ReceiptsAsync(order)).Single();
        waiting.State.ShouldBe("Pending");
        waiting.Error!.ShouldContain("503");

        await FiscalAsync("checkbox", new FiscalSimulatorSettings());
        Factory.Clock.Advance(TimeSpan.FromSeconds(6));
        var receipt = await WaitForReceiptAsync(order, "Successful");

        receipt.Id.ShouldBe(waiting.Id);
        (await Sim.FiscalReceiptsAsync("checkbox")).Count.ShouldBe(1);
        (await HistoryAsync(order)).Where(h => h.Action == FiscalActions.Attempt).Select(h => h.Outcome).ShouldBe(["Warning", "Info", "Success"]);
    }

    [Fact]
    public async Task A_timeout_after_Checkbox_accepted_reads_the_receipt_back_and_makes_no_second_one()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        await CheckboxAsync(tenant.KyivPointId);
        await EmployeeAsync(tenant.KyivPointId, "Олена", null, CheckboxFiscalNumber, cashier: true);
        await FiscalAsync("checkbox", new FiscalSimulatorSettings { AcceptThenTimeout = true, TimeoutDelayMs = 60_000 });

        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitUntilAsync(async () => (await ReceiptsAsync(order)).SingleOrDefault() is { State: "SentToPrint", Error: not null });
        (await Sim.FiscalReceiptsAsync("checkbox")).Count.ShouldBe(1);

        await FiscalAsync("checkbox", new FiscalSimulatorSettings());
        Factory.Clock.Advance(TimeSpan.FromSeconds(6));
        await WaitForReceiptAsync(order, "Successful");

        (await Sim.FiscalReceiptsAsync("checkbox")).Count.ShouldBe(1);
        (await HistoryAsync(order)).Last(h => h.Action == FiscalActions.Attempt).Message.ShouldContain("not sent again");
    }

    [Fact]
    public async Task A_timeout_after_Cashalot_registered_the_check_reads_it_back_and_makes_no_second_one()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        await CashalotAsync(tenant.KyivPointId);
        await EmployeeAsync(tenant.KyivPointId, "Олена", null, PosSimulatorServer.CashalotNumFiscal, cashier: true);
        await FiscalAsync("cashalot", new FiscalSimulatorSettings { AcceptThenTimeout = true, TimeoutDelayMs = 60_000 });

        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitUntilAsync(async () => (await ReceiptsAsync(order)).SingleOrDefault() is { State: "SentToPrint" });
        (await Sim.FiscalReceiptsAsync("cashalot")).Count.ShouldBe(1);

        await FiscalAsync("cashalot", new FiscalSimulatorSettings());
        Factory.Clock.Advance(TimeSpan.FromSeconds(6));
        var receipt = await WaitForReceiptAsync(order, "Successful");

        var stored = (await Sim.FiscalReceiptsAsync("cashalot")).ShouldHaveSingleItem();
        receipt.FiscalCode.ShouldBe(stored.GetProperty("fiscalCode").GetString());
        (await HistoryAsync(order)).Last(h => h.Action == FiscalActions.Attempt).Message.ShouldContain("not sent again");
    }

    [Fact]
    public async Task A_refund_links_to_its_sale_and_a_refund_beyond_what_was_sold_is_refused()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        await CheckboxAsync(tenant.KyivPointId);
        await EmployeeAsync(tenant.KyivPointId, "Олена", OrderHubFactory.ApiKeyName, CheckboxFiscalNumber, cashier: true);
        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        var sale = await WaitForReceiptAsync(order, "Successful");

        // One cola of three: its share of the 56.00 discount (42 / 875 × 56 = 2.69) is returned with it.
        var partial = await Api.PostAsJsonAsync($"/api/orders/{order}/refunds", new { lines = new[] { new { index = 2, quantity = 1 } } });
        var queued = await partial.ShouldBeAsync<ReceiptDto>(HttpStatusCode.Accepted);
        queued.SaleReceiptId.ShouldBe(sale.Id);
        await WaitUntilAsync(async () => (await ReceiptsAsync(order)).Single(r => r.Id == queued.Id).State == "Successful");
        var returned = (await Sim.FiscalReceiptsAsync("checkbox")).Single(r => r.GetProperty("isReturn").GetBoolean());
        returned.GetProperty("relatedId").GetString().ShouldBe(sale.Id.ToString());
        var body = returned.GetProperty("body");
        body.GetProperty("related_receipt_id").GetString().ShouldBe(sale.Id.ToString());
        var good = body.GetProperty("goods").EnumerateArray().ShouldHaveSingleItem();
        good.GetProperty("is_return").GetBoolean().ShouldBeTrue();
        good.GetProperty("quantity").GetInt64().ShouldBe(1000);
        body.GetProperty("discounts")[0].GetProperty("value").GetInt64().ShouldBe(269);
        body.GetProperty("payments")[0].GetProperty("value").GetInt64().ShouldBe(3931);

        var tooMany = await Api.PostAsJsonAsync($"/api/orders/{order}/refunds", new { lines = new[] { new { index = 2, quantity = 3 } } });
        var problem = await tooMany.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "lines[0].quantity");
        problem.GetProperty("title").GetString().ShouldBe("Refund beyond what was sold");

        // Two refunds of the last two colas at once: one is taken, the other refused (422 or 409), never both.
        var racing = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            Api.PostAsJsonAsync($"/api/orders/{order}/refunds", new { lines = new[] { new { index = 2, quantity = 2 } } })));
        racing.Count(r => r.StatusCode == HttpStatusCode.Accepted).ShouldBe(1);
        racing.ShouldContain(r => r.StatusCode == HttpStatusCode.Conflict || r.StatusCode == HttpStatusCode.UnprocessableEntity);
        await WaitUntilAsync(async () => (await ReceiptsAsync(order)).All(r => r.State == "Successful"));

        var rest = await Api.PostAsJsonAsync($"/api/orders/{order}/refunds", new { reason = "customer cancelled" });
        var full = await rest.ShouldBeAsync<ReceiptDto>(HttpStatusCode.Accepted);
        full.Total.ShouldBe(819.00m - 39.31m - 78.62m); // two colas: 84.00 less their 5.38 share
        await WaitUntilAsync(async () => (await ReceiptsAsync(order)).Single(r => r.Id == full.Id).State == "Successful");
        var nothingLeft = await Api.PostAsJsonAsync($"/api/orders/{order}/refunds", new { });
        await nothingLeft.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await Sim.FiscalReceiptsAsync("checkbox")).Count.ShouldBe(4);
    }

    [Fact]
    public async Task Dots_reporting_a_cash_order_paid_issues_its_receipt_and_the_shift_closes_at_the_local_end_of_day()
    {
        var kyiv = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");
        var localNoon = DateTime.SpecifyKind(DateTime.UtcNow.Date.AddHours(12), DateTimeKind.Unspecified);
        var noon = new DateTimeOffset(localNoon, kyiv.GetUtcOffset(localNoon)).ToUniversalTime();
        Factory.Clock.Set(noon);
        var tenant = await new TestTenant().CreateAsync(Factory);
        await CheckboxAsync(tenant.LvivPointId, shiftCloseAt: "23:50");
        await EmployeeAsync(tenant.LvivPointId, "Тарас", null, CheckboxFiscalNumber, cashier: true);
        var order = await AcceptAsync(tenant, Fixtures.AcceptedPickupCash);

        var paid = new JsonObject
        {
            ["version"] = "1",
            ["eventId"] = "evt_paid_" + Guid.NewGuid().ToString("N"),
            ["event"] = "order.status_changed",
            ["occurredAt"] = Factory.Clock.GetUtcNow().ToString("O"),
            ["order"] = new JsonObject
            {
                ["id"] = "0c9e8d7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f",
                ["companyId"] = Fixtures.DotsCompanyId,
                ["companyAddressId"] = Fixtures.LvivAddressId,
                ["status"] = "closed",
                ["paid"] = true,
                ["paymentType"] = "card",
            },
        };
        (await tenant.Sender(Factory).SendAsync(paid)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var receipt = await WaitForReceiptAsync(order, "Successful");
        receipt.PaymentType.ShouldBe("CASHLESS");
        receipt.CashierName.ShouldBe("Тарас");
        var body = (await Sim.FiscalReceiptsAsync("checkbox")).ShouldHaveSingleItem().GetProperty("body");
        body.GetProperty("payments")[0].GetProperty("value").GetInt64().ShouldBe(26800);
        Sim.Simulator.Fiscal.ShiftLog().ShouldBe([$"open {PosSimulatorServer.CheckboxLicenseKey}"]);

        // 23:55 local: the worker closes the shift with a Z report, once that day.
        Factory.Clock.Set(noon.AddHours(11).AddMinutes(55));
        await WaitUntilAsync(() => Task.FromResult(Sim.Simulator.Fiscal.ShiftLog().Count == 2), "the Z report");
        Sim.Simulator.Fiscal.ShiftLog()[1].ShouldBe($"close {PosSimulatorServer.CheckboxLicenseKey}");
        await Task.Delay(400);
        Sim.Simulator.Fiscal.ShiftLog().Count.ShouldBe(2);
    }
}

public sealed class SqliteFiscalReceiptTests() : FiscalReceiptTests(new SqliteTestDatabase());

public sealed class PostgresFiscalReceiptTests() : FiscalReceiptTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerFiscalReceiptTests() : FiscalReceiptTests(new SqlServerTestDatabase());
