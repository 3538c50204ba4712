using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Alerts;
using OrderHub.Api.Dispatching;
using OrderHub.Api.Features.Fiscal.Receipts;
using OrderHub.Api.Features.Telegram.CreateChatCode;
using OrderHub.Api.Features.Telegram.SaveTelegramBot;
using OrderHub.Domain.Alerts;
using OrderHub.Domain.Export;
using OrderHub.Domain.Orders;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;
using OrderHub.Integrations.Poster;
using OrderHub.Integrations.Webhooks;
using OrderHub.Simulators;

namespace OrderHub.FunctionalTests.Telegram;

/// <summary>
/// Alerts and reports through the real outbox sender, update poller and clock, to the Telegram simulator on
/// loopback, with orders going to the POS simulators: who gets what, escaped, once, through 429s and outages.
/// </summary>
public abstract class TelegramAlertTests(ITestDatabase database) : ProviderTestBase(database)
{
    protected const long KyivChat = -100;
    protected const long OwnersChat = -200;
    protected const long LvivChat = -300;

    /// <summary>A name with every character HTML cares about: a missed escape makes the simulator refuse the message.</summary>
    protected const string KyivName = "Kyiv <Best> & \"Co\"";

    protected TelegramSimulatorServer Telegram { get; } = new();

    protected PosSimulatorServer Pos { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Dispatcher:Enabled"] = "true",
        ["Dispatcher:PollInterval"] = "00:00:00.200",
        ["Dispatcher:DrainTimeout"] = "00:00:05",
        ["Poster:BaseUrlTemplate"] = Pos.PosterBaseUrlTemplate,
        ["PosterApp:ApplicationSecret"] = PosSimulatorServer.PosterAppSecret,
        ["Pos:Resilience:AttemptTimeout"] = "00:00:05",
        ["Pos:Resilience:MinimumThroughput"] = "2",
        ["Pos:Resilience:FailureRatio"] = "0.5",
        ["Pos:Resilience:BreakDuration"] = "00:00:05",
        ["Telegram:Enabled"] = "true",
        ["Telegram:ApiBaseUrl"] = Telegram.ApiBaseUrl,
        ["Telegram:PublicBaseUrl"] = "https://orderhub.example",
        ["Telegram:GroupingDelay"] = "00:00:00",
        ["Telegram:PerChatInterval"] = "00:00:00.010",
        ["Telegram:SenderPollInterval"] = "00:00:00.100",
        ["Telegram:ClockInterval"] = "00:00:00.150",
        ["Telegram:PollTimeout"] = "00:00:01",
        ["Telegram:PollErrorDelay"] = "00:00:00.200",
        ["Telegram:RetryBasePause"] = "00:00:05",
        ["Fiscal:WorkerEnabled"] = "true",
        ["Fiscal:PollInterval"] = "00:00:00.100",
        ["Fiscal:StatusPollInterval"] = "00:00:00",
        ["Fiscal:AttemptTimeout"] = "00:00:05",
        ["Fiscal:CheckboxBaseUrl"] = Pos.CheckboxBaseUrl,
    };

    protected static readonly DateTimeOffset Midday = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    public override async Task InitializeAsync()
    {
        await Telegram.StartAsync();
        await Pos.StartAsync();
        await base.InitializeAsync();

        // Midday in Kyiv: far from the chats' default end-of-day report time (23:00 local), whenever the suite runs.
        Factory.Clock.Set(Midday);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Pos.DisposeAsync();
        await Telegram.DisposeAsync();
    }

    [Fact]
    public async Task An_export_failure_reaches_the_point_s_chat_and_the_owners_chat_escaped_and_not_the_other_point()
    {
        var tenant = await PosterTenantAsync();
        await ConnectChatsAsync(tenant);
        await Pos.FaultsAsync(new FaultSettings { PosterErrorCode = 41 });

        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);

        var alert = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("did not reach the POS"), "the export failure");
        alert.ParseMode.ShouldBe("HTML", StringCompareShould.IgnoreCase);
        alert.Text.ShouldContain("<b>Order #DT-104233 did not reach the POS</b> at <b>Kyiv &lt;Best&gt; &amp; &quot;Co&quot;</b>");
        alert.Text.ShouldContain("Reason: <b>Product not in the POS</b>");
        alert.Text.ShouldContain($"<a href=\"https://orderhub.example/api/orders/{order}\">Open the order</a>");
        var owners = await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.Contains("did not reach the POS"), "the owners' copy");
        owners.Text.ShouldBe(alert.Text);
        await SettleAsync();
        (await Telegram.MessagesAsync(LvivChat)).ShouldNotContain(m => m.Text.Contains("did not reach"));
        (await Telegram.MessagesAsync(KyivChat)).Count(m => m.Text.Contains("did not reach")).ShouldBe(1);
    }

    [Fact]
    public async Task A_test_order_the_POS_refuses_shows_its_failure_to_the_sender_and_raises_no_alert_while_a_real_order_does()
    {
        var tenant = await PosterTenantAsync();
        await ConnectChatsAsync(tenant);
        var api = Factory.CreateApiClient();
        (await api.PutAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-catalog", new
        {
            products = new[] { new { id = "101", name = "Піца Маргарита", price = 245m } },
        })).EnsureSuccessStatusCode();
        await Pos.FaultsAsync(new FaultSettings { PosterErrorCode = 41 });

        var url = $"/api/pickup-points/{tenant.KyivPointId}/test-orders";
        var created = await (await api.PostAsJsonAsync(url, new { items = new[] { new { productId = "101" } } }))
            .ShouldBeAsync<OrderHub.Api.Features.TestOrders.TestOrderDto>(HttpStatusCode.Created);
        await WaitUntilAsync(() => Factory.WithDbAsync(db => db.Orders.AnyAsync(o => o.Id == created.Id && o.ExportState == ExportState.Failed)), "the test order's failure");
        // Whoever sent it sees the refusal in the answer (and the order's history).
        var shown = await (await api.GetAsync($"{url}/{created.Id}")).ShouldBeAsync<OrderHub.Api.Features.TestOrders.TestOrderDto>(HttpStatusCode.OK);
        shown.State.ShouldBe(nameof(ExportState.Failed));
        shown.LastAttempt.ShouldNotBeNull().Outcome.ShouldBe("Failure");
        shown.LastAttempt.Action.ShouldBe("export.attempt");

        // A real order failing the same way afterwards is alerted: once its alert has arrived, the sender has been
        // through the outbox past the test order's failure, which was committed before it.
        await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("DT-104233") && m.Text.Contains("did not reach the POS"), "the real order's alert");
        await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.Contains("DT-104233") && m.Text.Contains("did not reach the POS"), "the owners' copy of it");
        foreach (var chat in new[] { KyivChat, OwnersChat, LvivChat })
        {
            (await Telegram.MessagesAsync(chat)).ShouldNotContain(m => m.Text.Contains("[TEST]"), $"chat {chat}");
        }

        (await Factory.WithDbAsync(db => db.AlertMessages.CountAsync(m => m.Text.Contains("[TEST]")))).ShouldBe(0);
    }

    [Fact]
    public async Task A_test_order_no_cashier_accepts_raises_no_alert_while_a_real_one_does()
    {
        var tenant = await PosterTenantAsync();
        await ConnectChatsAsync(tenant);
        var api = Factory.CreateApiClient();
        (await api.PutAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-catalog", new
        {
            products = new[] { new { id = "101", name = "Піца Маргарита", price = 245m } },
        })).EnsureSuccessStatusCode();
        var test = await (await api.PostAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/test-orders", new { items = new[] { new { productId = "101" } } }))
            .ShouldBeAsync<OrderHub.Api.Features.TestOrders.TestOrderDto>(HttpStatusCode.Created);
        var real = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitForExportAsync(test.Id, real);

        // Neither is accepted at the register: past the threshold only the real one is alerted (alone, not "2 orders").
        Factory.Clock.Advance(TimeSpan.FromMinutes(11));
        var alert = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("accepted at the POS"), "the real order's unaccepted alert");
        alert.Text.ShouldStartWith("⏳ <b>Order #DT-104233 has not been accepted at the POS for 11 min</b>");
        await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.Contains("accepted at the POS"), "the owners' copy");
        foreach (var chat in new[] { KyivChat, OwnersChat, LvivChat })
        {
            (await Telegram.MessagesAsync(chat)).ShouldNotContain(m => m.Text.Contains("[TEST]"), $"chat {chat}");
        }
    }

    [Fact]
    public async Task The_same_alert_reaches_a_Ukrainian_chat_in_Ukrainian_and_an_English_chat_in_English()
    {
        var tenant = await PosterTenantAsync();
        await ConnectChatsAsync(tenant, "uk");
        var api = Factory.CreateApiClient();
        var chats = await api.GetFromJsonAsync<JsonElement>($"/api/companies/{tenant.CompanyId}/telegram-chats");
        var owners = chats.EnumerateArray().Single(c => c.GetProperty("chatId").GetInt64() == OwnersChat);
        var ownersUrl = $"/api/telegram-chats/{owners.GetProperty("id").GetGuid()}";
        await (await api.PutAsJsonAsync(ownersUrl, new { language = "de" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "language");
        await (await api.PostAsJsonAsync($"/api/companies/{tenant.CompanyId}/telegram-chats", new { chatId = 77, language = "ru" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "language");
        var saved = await (await api.PutAsJsonAsync(ownersUrl, new { language = "en" })).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        saved.GetProperty("language").GetString().ShouldBe("en");
        await Pos.FaultsAsync(new FaultSettings { PosterErrorCode = 41 });

        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);

        var uk = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.StartsWith("🔴"), "the export failure in the point's chat");
        uk.Text.ShouldContain("<b>Замовлення #DT-104233 не дійшло до POS</b> у <b>Kyiv &lt;Best&gt; &amp; &quot;Co&quot;</b>");
        uk.Text.ShouldContain("Причина: <b>Товару немає в POS</b>");
        uk.Text.ShouldContain("Виправити: ");
        uk.Text.ShouldContain($"<a href=\"https://orderhub.example/api/orders/{order}\">Відкрити замовлення</a>");
        uk.Text.ShouldNotContain("Reason");
        uk.Text.ShouldNotContain("Fix:");
        var en = await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.StartsWith("🔴"), "the export failure in the owners' chat");
        en.Text.ShouldContain("<b>Order #DT-104233 did not reach the POS</b> at <b>Kyiv &lt;Best&gt; &amp; &quot;Co&quot;</b>");
        en.Text.ShouldContain("Reason: <b>Product not in the POS</b>");
        en.Text.ShouldContain("Fix: ");
        en.Text.ShouldNotContain("Причина");

        // Replies and reports follow the chat's language too.
        await Telegram.SayAsync(KyivChat, "/status");
        (await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.StartsWith("🩺"), "the status")).Text.ShouldContain("з помилкою 1");
        await Telegram.SayAsync(OwnersChat, "/status");
        (await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.StartsWith("🩺"), "the owners' status")).Text.ShouldContain("failed 1");
        await Telegram.SayAsync(KyivChat, "/report");
        var report = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.StartsWith("📊"), "the report");
        report.Text.ShouldContain("<b>Сьогодні — Kyiv");
        report.Text.ShouldContain("Замовлень: <b>1</b>");
    }

    [Fact]
    public async Task A_chat_code_works_once_and_a_wrong_one_is_answered_without_registering_the_chat()
    {
        var tenant = await PosterTenantAsync();
        await ConnectBotAsync(tenant);
        var code = await CodeAsync(tenant, tenant.KyivPointId);

        await Telegram.SayAsync(KyivChat, code.Command);
        var welcome = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.StartsWith("✅"), "the welcome");
        welcome.Text.ShouldContain("<b>Kyiv &lt;Best&gt; &amp; &quot;Co&quot;</b>");
        await Telegram.SayAsync(-999, code.Command);
        await Telegram.WaitForMessageAsync(-999, m => m.Text.Contains("wrong, used or expired"), "the refusal of a used code");
        await Telegram.SayAsync(-998, "/start NOTACODE00");
        await Telegram.WaitForMessageAsync(-998, m => m.Text.Contains("wrong, used or expired"), "the refusal of a wrong code");

        var chats = await Factory.WithDbAsync(db => db.TelegramChats.AsNoTracking().ToListAsync());
        var chat = chats.ShouldHaveSingleItem();
        chat.ChatId.ShouldBe(KyivChat);
        chat.PickupPointId.ShouldBe(tenant.KyivPointId);
        (await Factory.WithDbAsync(db => db.TelegramChatCodes.AsNoTracking().SingleAsync())).CodeHash.ShouldNotContain(code.Code);
        var bot = Telegram.Simulator.Bot(TelegramSimulatorServer.BotToken)!;
        bot.Commands!.ToJsonString().ShouldContain("\"report\"");
    }

    [Fact]
    public async Task Needs_mapping_lists_the_items_and_an_unrouted_event_reaches_only_the_owners()
    {
        var tenant = await new TestTenant().WithoutMapping("dots-prod-cola").WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).CreateAsync(Factory);
        await RenameKyivAsync(tenant);
        await ConnectChatsAsync(tenant);

        await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        var unrouted = Fixtures.Json(Fixtures.AcceptedPickupCash);
        unrouted["eventId"] = "evt-unrouted-1";
        unrouted["order"]!["companyAddressId"] = "unknown-<address>";
        (await tenant.Sender(Factory).SendAsync(unrouted)).StatusCode.ShouldBe(HttpStatusCode.Accepted); // stored; processed as unrouted

        var mapping = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("needs mapping"), "the needs-mapping alert");
        mapping.Text.ShouldContain("1 item(s) without an external ID");
        mapping.Text.ShouldContain("dots-prod-cola");
        var owners = await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.Contains("unknown pickup point"), "the unrouted alert");
        owners.Text.ShouldContain("<code>unknown-&lt;address&gt;</code>");
        await SettleAsync();
        (await Telegram.MessagesAsync(KyivChat)).ShouldNotContain(m => m.Text.Contains("unknown pickup point"));
    }

    [Fact]
    public async Task A_burst_during_a_Telegram_outage_arrives_once_after_recovery_as_one_grouped_message_per_chat()
    {
        var tenant = await PosterTenantAsync();
        await ConnectChatsAsync(tenant);
        await Telegram.FaultsAsync(new TelegramFaults { Down = true });
        await Pos.FaultsAsync(new FaultSettings { PosterErrorCode = 41 });

        for (var i = 0; i < 5; i++)
        {
            await AcceptAsync(tenant, Fixtures.AcceptedDelivery, number: $"B-{i}");
        }

        await WaitUntilAsync(async () => await Factory.WithDbAsync(db => db.AlertMessages.CountAsync(m => m.Kind == "ExportFailed" && m.Attempts >= 1 && m.LastError != null)) == 10,
            "all 10 alerts tried once while Telegram is down");
        (await Telegram.MessagesAsync(KyivChat)).ShouldNotContain(m => m.Text.Contains("failed"));

        await Telegram.FaultsAsync(new TelegramFaults());
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));

        var grouped = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("orders failed"), "the grouped alert");
        grouped.Text.ShouldStartWith("🔴 <b>5 orders failed at Kyiv &lt;Best&gt; &amp; &quot;Co&quot;</b>");
        for (var i = 0; i < 5; i++)
        {
            grouped.Text.ShouldContain($"#B-{i}: Product not in the POS");
        }

        await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.Contains("5 orders failed"), "the owners' grouped alert");
        await SettleAsync();
        (await Telegram.MessagesAsync(KyivChat)).Count(m => m.Text.Contains("failed")).ShouldBe(1);
        (await Telegram.MessagesAsync(OwnersChat)).Count(m => m.Text.Contains("failed")).ShouldBe(1);
        var rows = await Factory.WithDbAsync(db => db.AlertMessages.AsNoTracking().Where(m => m.Kind == "ExportFailed").ToListAsync());
        rows.Count.ShouldBe(10);
        rows.ShouldAllBe(m => m.State == AlertMessageState.Sent && m.TelegramMessageId != null);

        // Sent messages are kept for Telegram:KeepMessagesFor (30 days), then pruned.
        Factory.Clock.Advance(TimeSpan.FromDays(29));
        await Factory.Services.GetRequiredService<AlertClock>().PruneAsync(CancellationToken.None);
        (await Factory.WithDbAsync(db => db.AlertMessages.CountAsync(m => m.Kind == "ExportFailed"))).ShouldBe(10);
        Factory.Clock.Advance(TimeSpan.FromDays(2));
        await Factory.Services.GetRequiredService<AlertClock>().PruneAsync(CancellationToken.None);
        (await Factory.WithDbAsync(db => db.AlertMessages.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task A_429_holds_the_chat_for_retry_after_and_a_migrated_group_gets_its_new_id()
    {
        var tenant = await PosterTenantAsync();
        await ConnectChatsAsync(tenant);
        await Telegram.FaultsAsync(new TelegramFaults { TooManyRequests = 1, RetryAfterSeconds = 40 });
        await Telegram.MigrateAsync(KyivChat, -1001234);
        await Pos.FaultsAsync(new FaultSettings { PosterErrorCode = 41 });

        await AcceptAsync(tenant, Fixtures.AcceptedDelivery);

        // The first send (to the group, migrated) is resent to the supergroup; one of the two chats' sends meets the 429.
        await WaitUntilAsync(async () => await Factory.WithDbAsync(db => db.AlertMessages.CountAsync(m => m.LastError != null && m.LastError.Contains("Too Many"))) == 1,
            "one alert throttled");
        var throttled = await Factory.WithDbAsync(db => db.AlertMessages.AsNoTracking().SingleAsync(m => m.LastError != null && m.LastError.Contains("Too Many")));
        (throttled.NextAttemptAt - Factory.Clock.GetUtcNow()).ShouldBeInRange(TimeSpan.FromSeconds(39), TimeSpan.FromSeconds(40));
        await Task.Delay(500);
        (await Telegram.MessagesAsync(throttled.ChatId)).ShouldNotContain(m => m.Text.Contains("did not reach"));

        Factory.Clock.Advance(TimeSpan.FromSeconds(41));
        await Telegram.WaitForMessageAsync(throttled.ChatId, m => m.Text.Contains("did not reach"), "the throttled alert after retry_after");
        await Telegram.WaitForMessageAsync(-1001234, m => m.Text.Contains("did not reach"), "the alert in the supergroup");
        (await Telegram.MessagesAsync(KyivChat)).ShouldNotContain(m => m.Text.Contains("did not reach"));
        var kyiv = await Factory.WithDbAsync(db => db.TelegramChats.AsNoTracking().SingleAsync(c => c.PickupPointId == tenant.KyivPointId));
        kyiv.ChatId.ShouldBe(-1001234);
        await SettleAsync();
        (await Telegram.MessagesAsync(-1001234)).Count(m => m.Text.Contains("did not reach")).ShouldBe(1);
    }

    [Fact]
    public async Task Register_operations_from_signed_Poster_transaction_webhooks_alert_with_who_where_what_and_how_much()
    {
        var tenant = await PosterTenantAsync();
        await ConnectChatsAsync(tenant);
        await Factory.WithDbAsync(async db =>
        {
            var pizza = await db.ExternalIds.SingleAsync(m => m.ExternalId == "101" && m.Kind == OrderHub.Domain.Mappings.ExternalIdKind.Product);
            pizza.Name = "Pizza <Margherita> & \"Co\"";
            return await db.SaveChangesAsync();
        });
        var t0 = 1_764_000_000_000L;

        (await TransactionAsync("555", "additem", t0, value: 101, valueText: "{\"price\":24500}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await TransactionAsync("555", "additem", t0 + 1000, value: 101, valueText: "{\"price\":24500}");
        await TransactionAsync("555", "sendtokitchen", t0 + 2000, value: 101, value3: 2);
        var removed = await TransactionAsync("555", "changeitemcount", t0 + 3000, value: 101, value2: 1);
        (await removed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString().ShouldBe("alerted");
        var forged = await TransactionAsync("555", "delete", t0 + 4000, secret: "not-the-secret");
        forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await TransactionAsync("556", "additem", t0 + 5000, value: 201, valueText: "{\"price\":4500}");
        await TransactionAsync("556", "setclient", t0 + 6000, value: 77, value2: 15);
        await TransactionAsync("556", "delete", t0 + 7000);

        var alert = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("Item removed after the kitchen ticket"), "the removal alert");
        alert.Text.ShouldContain("at <b>Kyiv &lt;Best&gt; &amp; &quot;Co&quot;</b>");
        alert.Text.ShouldContain("Check #555 · register 3 · user 17");
        // t0 + 3 s is 2025-11-24 16:00:03 UTC: 18:00 at the Kyiv point (UTC+2 in November).
        alert.Text.ShouldContain("user 17 · 2025-11-24 18:00");
        alert.Text.ShouldNotContain("UTC");
        alert.Text.ShouldContain("Item: Pizza &lt;Margherita&gt; &amp; &quot;Co&quot; (#101) — count lowered 2 → 1");
        alert.Text.ShouldContain("Amount: <b>245.00</b>");
        await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("Discount set") && m.Text.Contains("discount 15 %"), "the discount alert");
        var deleted = await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.Contains("Check deleted"), "the deleted check alert");
        deleted.Text.ShouldContain("Check #556");
        deleted.Text.ShouldContain("Amount: <b>45.00</b>");
        await SettleAsync();
        (await Telegram.MessagesAsync(KyivChat)).Count(m => m.Text.Contains("Check deleted")).ShouldBe(1, "the forged delete of check 555 must not count");
        (await Telegram.MessagesAsync(LvivChat)).ShouldNotContain(m => m.Text.Contains("⚠️"));
        var stored = await Factory.WithDbAsync(db => db.RegisterOperations.AsNoTracking().ToListAsync());
        stored.Count.ShouldBe(7);
        stored.ShouldAllBe(r => r.PickupPointId == tenant.KyivPointId);

        // The same hook again (Poster repeats) is stored and alerted once.
        var again = await TransactionAsync("556", "delete", t0 + 7000);
        (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString().ShouldBe("duplicate");

        // A closed check is a register operation no chat here asked to hear of: recorded, not "alerted".
        var closed = await TransactionAsync("558", "close", t0 + 9000, value2: 26800);
        (await closed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString().ShouldBe("recorded");
        (await Factory.WithDbAsync(db => db.RegisterOperations.CountAsync(r => r.TransactionId == "558"))).ShouldBe(1);
    }

    [Fact]
    public async Task A_transaction_hook_without_data_makes_OrderHub_read_the_check_s_history_back_from_Poster()
    {
        var tenant = await PosterTenantAsync();
        await ConnectChatsAsync(tenant);
        async Task CashierAsync(string type, decimal value, string valueText = "") =>
            (await Pos.Control.PostAsJsonAsync($"control/poster/{PosSimulatorServer.PosterAccount}/transactions/777/history",
                new SimulatedRegisterOperation(type, SpotId: 2, Value: value, ValueText: valueText, UserId: 21, SpotTabletId: 4))).EnsureSuccessStatusCode();
        await CashierAsync("additem", 101, "{\"price\":24500}");
        await CashierAsync("sendtokitchen", 101);
        await CashierAsync("deleteitem", 101);

        var hook = await TransactionAsync("777", type: null, timeMs: 1_764_000_100_000);
        (await hook.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString().ShouldBe("alerted");

        var alert = await Telegram.WaitForMessageAsync(LvivChat, m => m.Text.Contains("Item removed after the kitchen ticket"), "Lviv's removal alert");
        alert.Text.ShouldContain("Check #777 · register 4 · user 21");
        alert.Text.ShouldContain("removed (1 pcs)");
        alert.Text.ShouldContain("Amount: <b>245.00</b>");
        await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.Contains("Check #777"), "the owners' copy");
        var again = await TransactionAsync("777", type: null, timeMs: 1_764_000_100_000);
        (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString().ShouldBe("duplicate");
        (await Factory.WithDbAsync(db => db.RegisterOperations.CountAsync(r => r.TransactionId == "777" && r.PickupPointId == tenant.LvivPointId))).ShouldBe(3);
        await SettleAsync();
        (await Telegram.MessagesAsync(KyivChat)).ShouldNotContain(m => m.Text.Contains("Check #777"));
    }

    [Fact]
    public async Task Report_in_a_location_chat_shows_its_figures_and_the_owners_chat_asks_for_any_location()
    {
        var tenant = await new TestTenant().WithAutoSync(false).WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).CreateAsync(Factory);
        await RenameKyivAsync(tenant);
        await ConnectChatsAsync(tenant);
        await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await AcceptAsync(tenant, Fixtures.AcceptedDelivery, number: "K-2");
        await AcceptAsync(tenant, Fixtures.AcceptedPickupCash, number: "K-3", address: Fixtures.KyivAddressId);
        await AcceptAsync(tenant, Fixtures.AcceptedPickupCash, number: "L-1");
        (await tenant.Sender(Factory).SendFixtureAsync(Fixtures.Cancelled)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        await Telegram.SayAsync(KyivChat, "/report");
        var report = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.StartsWith("📊"), "the report");
        // Kyiv: DT-104233 (cancelled), K-2 (819.00), K-3 (268.00); Lviv's L-1 is not Kyiv's.
        report.Text.ShouldContain("<b>Today — Kyiv &lt;Best&gt; &amp; &quot;Co&quot;</b>, 2026-11-20");
        report.Text.ShouldContain("Orders: <b>2</b> · revenue <b>1087.00</b> · average <b>543.50</b>");
        report.Text.ShouldContain("To the POS: exported 0 · failed 0 · manual 2");
        report.Text.ShouldContain("Cancelled: 1");
        report.Text.ShouldContain("Discounts (promotions): 1 orders, 56.00");
        report.Text.ShouldContain("By hour: 12h 2");
        report.Text.ShouldContain("• Піца Маргарита 30 см × 2 — ");
        report.Text.ShouldContain("At the register: 0 items removed (0.00), 0 checks deleted");
        report.ReplyMarkup!.Value.GetRawText().ShouldContain($"r:{tenant.KyivPointId:N}:y");

        await Telegram.SayAsync(KyivChat, "/status");
        var status = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.StartsWith("🩺"), "the status");
        status.Text.ShouldContain("awaiting export 2");
        status.Text.ShouldNotContain("Площа Ринок");

        await Telegram.SayAsync(OwnersChat, "/report");
        var menu = await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text == "Which report?", "the report menu");
        menu.ReplyMarkup!.Value.GetRawText().ShouldContain($"r:{tenant.LvivPointId:N}:t");
        await Telegram.PressAsync(OwnersChat, $"r:{tenant.LvivPointId:N}:t");
        var lviv = await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.Contains("Площа Ринок"), "Lviv's report in the owners' chat");
        lviv.Text.ShouldContain("Orders: <b>1</b> · revenue <b>268.00</b>");
        Telegram.Simulator.Bot(TelegramSimulatorServer.BotToken)!.AnsweredCallbacks.ShouldNotBeEmpty();

        // A location chat pressing another point's button gets nothing of that point.
        await Telegram.PressAsync(KyivChat, $"r:{tenant.LvivPointId:N}:t");
        await SettleAsync();
        (await Telegram.MessagesAsync(KyivChat)).ShouldNotContain(m => m.Text.Contains("Площа Ринок"));

        // Orders left in AwaitingExport past the threshold (10 min) are alerted once, grouped per point.
        Factory.Clock.Advance(TimeSpan.FromMinutes(11));
        var waiting = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("waiting for export"), "the waiting-too-long alert");
        waiting.Text.ShouldStartWith("⏳ <b>2 orders waiting for export at Kyiv &lt;Best&gt; &amp; &quot;Co&quot;</b>");
        waiting.Text.ShouldContain("#K-2: 11 min");
        waiting.Text.ShouldContain("#K-3: 11 min");
        await Telegram.WaitForMessageAsync(LvivChat, m => m.Text.Contains("Order #L-1 has waited 11 min for export"), "Lviv's waiting alert");
        await SettleAsync();
        (await Telegram.MessagesAsync(KyivChat)).Count(m => m.Text.Contains("waiting for export") || m.Text.Contains("has waited")).ShouldBe(1);
    }

    [Fact]
    public async Task Each_chat_is_alerted_about_a_waiting_order_after_its_own_threshold()
    {
        var tenant = await new TestTenant().WithAutoSync(false).WithoutLvivPoint().CreateAsync(Factory);
        await ConnectChatsAsync(tenant);
        var api = Factory.CreateApiClient();
        var chats = await api.GetFromJsonAsync<JsonElement>($"/api/companies/{tenant.CompanyId}/telegram-chats");
        var owners = chats.EnumerateArray().Single(c => c.GetProperty("chatId").GetInt64() == OwnersChat);
        owners.GetProperty("waitingAlertMinutes").ValueKind.ShouldBe(JsonValueKind.Null);
        var ownersUrl = $"/api/telegram-chats/{owners.GetProperty("id").GetGuid()}";
        foreach (var bad in new[] { 0, 1441 })
        {
            await (await api.PutAsJsonAsync(ownersUrl, new { waitingAlertMinutes = bad })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "waitingAlertMinutes");
        }

        var saved = await (await api.PutAsJsonAsync(ownersUrl, new { waitingAlertMinutes = 30 })).ShouldBeAsync<JsonElement>(HttpStatusCode.OK);
        saved.GetProperty("waitingAlertMinutes").GetInt32().ShouldBe(30);
        await AcceptAsync(tenant, Fixtures.AcceptedDelivery, number: "W-1");

        // The point's chat keeps the instance's 10 minutes; the owners asked for 30.
        Factory.Clock.Advance(TimeSpan.FromMinutes(11));
        await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("Order #W-1 has waited 11 min for export"), "the point chat's alert at 10 min");
        await SettleAsync();
        (await Telegram.MessagesAsync(OwnersChat)).ShouldNotContain(m => m.Text.Contains("has waited"));

        Factory.Clock.Advance(TimeSpan.FromMinutes(20));
        await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.Contains("Order #W-1 has waited 31 min for export"), "the owners' alert at 30 min");
        await SettleAsync();
        (await Telegram.MessagesAsync(KyivChat)).Count(m => m.Text.Contains("has waited")).ShouldBe(1);
        (await Telegram.MessagesAsync(OwnersChat)).Count(m => m.Text.Contains("has waited")).ShouldBe(1);
    }

    [Fact]
    public async Task The_end_of_day_report_fires_once_at_the_configured_local_time_of_the_point()
    {
        // 21:59 in Kyiv (UTC+2 in November).
        Factory.Clock.Set(new DateTimeOffset(2026, 11, 20, 19, 59, 0, TimeSpan.Zero));
        var tenant = await new TestTenant().WithAutoSync(false).WithoutLvivPoint().CreateAsync(Factory);
        await RenameKyivAsync(tenant);
        await ConnectBotAsync(tenant);
        var api = Factory.CreateApiClient();
        var added = await api.PostAsJsonAsync($"/api/companies/{tenant.CompanyId}/telegram-chats",
            new { chatId = KyivChat, pickupPointId = tenant.KyivPointId, reports = new[] { "EndOfDay" }, reportAt = "22:00" });
        added.StatusCode.ShouldBe(HttpStatusCode.Created);
        await AcceptAsync(tenant, Fixtures.AcceptedDelivery);

        await Task.Delay(600);
        (await Telegram.MessagesAsync(KyivChat)).ShouldBeEmpty("21:59 local is before the report time");

        Factory.Clock.Set(new DateTimeOffset(2026, 11, 20, 20, 0, 30, TimeSpan.Zero));
        var report = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.StartsWith("📊"), "the end-of-day report");
        // A chat added without a language reads Ukrainian.
        report.Text.ShouldContain("<b>Підсумок дня — Kyiv &lt;Best&gt; &amp; &quot;Co&quot;</b>, 2026-11-20");
        report.Text.ShouldContain("Замовлень: <b>1</b> · виручка <b>819.00</b>");
        await Task.Delay(600);
        (await Telegram.MessagesAsync(KyivChat)).Count.ShouldBe(1);

        await Telegram.SayAsync(KyivChat, "/report");
        await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("вимкнено"), "the refusal: on-request reports are off for this chat");
    }

    [Fact]
    public async Task The_POS_circuit_opening_and_recovering_alert_the_point_s_chat()
    {
        var tenant = await PosterTenantAsync();
        await ConnectChatsAsync(tenant);
        await Pos.FaultsAsync(new FaultSettings { Outage = true });

        await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await AcceptAsync(tenant, Fixtures.AcceptedDelivery, number: "C-2");
        var opened = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("stopped answering"), "the circuit-open alert");
        opened.Text.ShouldContain("<b>The POS at Kyiv &lt;Best&gt; &amp; &quot;Co&quot; stopped answering</b> (Poster)");

        await Pos.ClearFaultsAsync();
        Factory.Clock.Advance(TimeSpan.FromMinutes(2));
        Factory.Services.GetRequiredService<ExportDispatcher>().Notify();
        await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("answers again</b>"), "the recovery alert");
        await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.Contains("answers again</b>"), "the owners' recovery alert");
        var history = await Factory.WithDbAsync(db => db.OrderActions.AsNoTracking().Where(a => a.OrderId == null && a.InboundEventId == null).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        history.ShouldBe(["pos.circuit_opened", "pos.circuit_closed"]);
    }

    [Fact]
    public async Task A_company_default_POS_circuit_alerts_every_point_on_it_and_the_owners()
    {
        var tenant = await new TestTenant().WithoutIntegration().CreateAsync(Factory);
        await RenameKyivAsync(tenant);
        var saved = await Factory.CreateApiClient().PutAsJsonAsync($"/api/companies/{tenant.CompanyId}/pos-integration", new
        {
            kind = "Webhook", webhookUrl = Pos.WebhookPosUrl, secret = Pos.WebhookSecret,
            autoSyncOnAcceptance = true, autoSyncOverrideReason = "functional test",
        });
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var defaultId = (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await ConnectChatsAsync(tenant);
        await Pos.FaultsAsync(new FaultSettings { Outage = true });

        await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await AcceptAsync(tenant, Fixtures.AcceptedDelivery, number: "C-2");
        const string Heading = "<b>The POS at Kyiv &lt;Best&gt; &amp; &quot;Co&quot;, Площа Ринок (company default) stopped answering</b> (Webhook)";
        (await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("stopped answering"), "Kyiv's circuit-open alert")).Text.ShouldContain(Heading);
        (await Telegram.WaitForMessageAsync(LvivChat, m => m.Text.Contains("stopped answering"), "Lviv's circuit-open alert")).Text.ShouldContain(Heading);
        (await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.Contains("stopped answering"), "the owners' circuit-open alert")).Text.ShouldContain(Heading);

        await Pos.ClearFaultsAsync();
        Factory.Clock.Advance(TimeSpan.FromMinutes(2));
        Factory.Services.GetRequiredService<ExportDispatcher>().Notify();
        await Telegram.WaitForMessageAsync(LvivChat, m => m.Text.Contains("answers again</b>"), "Lviv's recovery alert");
        await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.Contains("answers again</b>"), "the owners' recovery alert");
        // The company default's auto-sync override (no Dots menu yet) is recorded too; the circuit's two entries follow it.
        var history = await Factory.WithDbAsync(db => db.OrderActions.AsNoTracking().Where(a => a.OrderId == null && a.InboundEventId == null && a.Action.StartsWith("pos.circuit")).OrderBy(a => a.Id).ToListAsync());
        history.Select(a => a.Action).ShouldBe(["pos.circuit_opened", "pos.circuit_closed"]);
        history.ShouldAllBe(a => a.CompanyId == tenant.CompanyId);
        history[0].Message.ShouldContain("of the company default (Kyiv <Best> & \"Co\", Площа Ринок) stopped answering");
        // The row as data: the same sentence in English, and in Ukrainian for a Ukrainian reader.
        OrderHub.Api.Messages.MessageCatalog.Render(history[0].MessageKey, history[0].MessageArgs, "", "en").ShouldBe(history[0].Message);
        OrderHub.Api.Messages.MessageCatalog.Render(history[0].MessageKey, history[0].MessageArgs, "", "uk")
            .ShouldEndWith("типової інтеграції компанії (Kyiv <Best> & \"Co\", Площа Ринок) перестав відповідати: його запобіжник розімкнено.");
        var details = JsonDocument.Parse(history[0].Details!).RootElement;
        details.GetProperty("integrationId").GetGuid().ShouldBe(defaultId);
        details.GetProperty("companyDefault").GetBoolean().ShouldBeTrue();
        details.GetProperty("pickupPointIds").EnumerateArray().Select(e => e.GetGuid()).ShouldBe([tenant.KyivPointId, tenant.LvivPointId], ignoreOrder: true);
    }

    [Fact]
    public async Task A_company_default_circuit_over_many_points_counts_them_in_each_reader_s_language()
    {
        var tenant = await new TestTenant().WithoutIntegration().CreateAsync(Factory);
        // Five points on the company default: too many to name, so they are counted (Ukrainian: "5 точок").
        await Factory.WithDbAsync(async db =>
        {
            foreach (var n in Enumerable.Range(1, 3))
            {
                db.PickupPoints.Add(new OrderHub.Domain.Tenancy.PickupPoint { CompanyId = tenant.CompanyId, DotsAddressId = $"addr-extra-{n}", Name = $"Точка {n}", CreatedAt = Midday });
            }

            return await db.SaveChangesAsync();
        });
        var saved = await Factory.CreateApiClient().PutAsJsonAsync($"/api/companies/{tenant.CompanyId}/pos-integration", new
        {
            kind = "Webhook", webhookUrl = Pos.WebhookPosUrl, secret = Pos.WebhookSecret,
            autoSyncOnAcceptance = true, autoSyncOverrideReason = "functional test",
        });
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        await ConnectChatsAsync(tenant, "uk");
        var api = Factory.CreateApiClient();
        var owners = (await api.GetFromJsonAsync<JsonElement>($"/api/companies/{tenant.CompanyId}/telegram-chats"))
            .EnumerateArray().Single(c => c.GetProperty("chatId").GetInt64() == OwnersChat);
        (await api.PutAsJsonAsync($"/api/telegram-chats/{owners.GetProperty("id").GetGuid()}", new { language = "en" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Pos.FaultsAsync(new FaultSettings { Outage = true });

        await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await AcceptAsync(tenant, Fixtures.AcceptedDelivery, number: "C-2");
        (await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("перестав відповідати"), "Kyiv's circuit-open alert, in Ukrainian")).Text
            .ShouldContain("<b>POS у 5 точках видачі (типова інтеграція компанії) перестав відповідати</b> (Webhook)");
        (await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.Contains("stopped answering"), "the owners' circuit-open alert, in English")).Text
            .ShouldContain("<b>The POS at 5 pickup points (company default) stopped answering</b> (Webhook)");

        var row = await Factory.WithDbAsync(db => db.OrderActions.AsNoTracking().SingleAsync(a => a.CompanyId == tenant.CompanyId && a.Action == CircuitAlertObserver.CircuitOpenedAction));
        row.Message.ShouldBe("The POS (Webhook) of the company default (5 pickup points) stopped answering: its circuit opened.");
        OrderHub.Api.Messages.MessageCatalog.Render(row.MessageKey, row.MessageArgs, "", "en").ShouldBe(row.Message);
        OrderHub.Api.Messages.MessageCatalog.Render(row.MessageKey, row.MessageArgs, "", "uk")
            .ShouldBe("POS (Webhook) типової інтеграції компанії (5 точок видачі) перестав відповідати: його запобіжник розімкнено.");
    }

    [Fact]
    public async Task The_bot_token_is_write_only_checked_with_Telegram_and_chat_settings_are_validated()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var api = Factory.CreateApiClient();

        var refused = await api.PutAsJsonAsync($"/api/companies/{tenant.CompanyId}/telegram-bot", new { token = "123:unknown-token-for-the-simulator" });
        await refused.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        (await Factory.WithDbAsync(db => db.TelegramBots.CountAsync())).ShouldBe(0);
        var malformed = await api.PutAsJsonAsync($"/api/companies/{tenant.CompanyId}/telegram-bot", new { token = "no colon" });
        await malformed.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "token");

        await ConnectBotAsync(tenant);
        var body = await api.GetStringAsync($"/api/companies/{tenant.CompanyId}/telegram-bot");
        body.ShouldNotContain(TelegramSimulatorServer.BotToken.Split(':')[1]);
        JsonDocument.Parse(body).RootElement.GetProperty("hasToken").GetBoolean().ShouldBeTrue();
        var stored = await Factory.WithDbAsync(db => db.TelegramBots.AsNoTracking().SingleAsync());
        stored.TokenProtected.ShouldNotContain(TelegramSimulatorServer.BotToken.Split(':')[1]);
        stored.BotId.ShouldBe(7012345678);

        var bad = await api.PostAsJsonAsync($"/api/companies/{tenant.CompanyId}/telegram-chats", new { chatId = 5, alerts = new[] { "ExportFailed", "Everything" }, reportAt = "25:00" });
        var problem = await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "alerts[1]");
        problem.GetProperty("errors").TryGetProperty("reportAt", out _).ShouldBeTrue(problem.GetRawText());
        var otherPoint = await api.PostAsJsonAsync($"/api/companies/{tenant.CompanyId}/telegram-chats", new { chatId = 5, pickupPointId = Guid.NewGuid() });
        await otherPoint.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "pickupPointId");
        (await Factory.WithDbAsync(db => db.TelegramChats.CountAsync())).ShouldBe(0);

        var ok = await api.PostAsJsonAsync($"/api/companies/{tenant.CompanyId}/telegram-chats", new { chatId = 5, alerts = new[] { "ExportFailed", "CheckDeleted" }, minRegisterAmount = 100 });
        ok.StatusCode.ShouldBe(HttpStatusCode.Created);
        var chat = await ok.Content.ReadFromJsonAsync<JsonElement>();
        chat.GetProperty("alerts").EnumerateArray().Select(a => a.GetString()).ShouldBe(["ExportFailed", "CheckDeleted"]);
        (await api.PostAsJsonAsync($"/api/companies/{tenant.CompanyId}/telegram-chats", new { chatId = 5 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_order_Poster_received_but_no_cashier_accepted_is_alerted_once_past_the_threshold()
    {
        var tenant = await PosterTenantAsync();
        await ConnectChatsAsync(tenant);
        var waiting = await AcceptAsync(tenant, Fixtures.AcceptedDelivery, number: "P-<1>");
        var accepted = await AcceptAsync(tenant, Fixtures.AcceptedDelivery, number: "P-2");
        await WaitForExportAsync(waiting, accepted);

        // A cashier accepts P-2 at the register; Poster's signed incoming_order hook tells OrderHub, which reads the status back.
        var posOrderId = await Factory.WithDbAsync(db => db.Orders.Where(o => o.Id == accepted).Select(o => o.PosOrderId!).SingleAsync());
        Pos.Simulator.SetStatus("poster/" + PosSimulatorServer.PosterAccount, posOrderId, 1).ShouldBeTrue();
        (await PosterIncomingOrderHookAsync(posOrderId)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await WaitUntilAsync(async () => await Factory.WithDbAsync(db => db.Orders.AnyAsync(o => o.Id == accepted && o.PosStatus == "accepted")), "P-2 accepted");
        (await Factory.WithDbAsync(db => db.Orders.SingleAsync(o => o.Id == waiting))).PosStatus.ShouldBe("new");

        Factory.Clock.Advance(TimeSpan.FromMinutes(9));
        await TickAsync();
        await SettleAsync();
        (await Telegram.MessagesAsync(KyivChat)).ShouldNotContain(m => m.Text.Contains("accepted at the POS"), "9 min is below the 10 min threshold");

        Factory.Clock.Advance(TimeSpan.FromMinutes(2));
        var alert = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("accepted at the POS"), "the unaccepted alert");
        alert.Text.ShouldStartWith("⏳ <b>Order #P-&lt;1&gt; has not been accepted at the POS for 11 min</b> at <b>Kyiv &lt;Best&gt; &amp; &quot;Co&quot;</b>");
        alert.Text.ShouldContain($"<a href=\"https://orderhub.example/api/orders/{waiting}\">Open the order</a>");
        var owners = await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.Contains("accepted at the POS"), "the owners' copy");
        owners.Text.ShouldBe(alert.Text);

        Factory.Clock.Advance(TimeSpan.FromMinutes(5));
        await TickAsync();
        await SettleAsync();
        var kyiv = await Telegram.MessagesAsync(KyivChat);
        kyiv.Count(m => m.Text.Contains("accepted at the POS")).ShouldBe(1, "once per order");
        kyiv.ShouldNotContain(m => m.Text.Contains("#P-2"));
        kyiv.ShouldNotContain(m => m.Text.Contains("waiting for export"));
        (await Telegram.MessagesAsync(LvivChat)).ShouldNotContain(m => m.Text.Contains("accepted at the POS"));
    }

    [Fact]
    public async Task A_webhook_POS_is_alerted_for_unaccepted_orders_only_once_it_has_reported_a_status()
    {
        // The webhook POS simulator checks OrderHub's signature timestamps against the real clock.
        Factory.Clock.Set(DateTimeOffset.UtcNow);
        var tenant = await new TestTenant().WithWebhookPos(Pos.WebhookPosUrl, Pos.WebhookSecret).CreateAsync(Factory);
        await RenameKyivAsync(tenant);
        await ConnectChatsAsync(tenant);
        var first = await AcceptAsync(tenant, Fixtures.AcceptedDelivery, number: "W-1");
        var second = await AcceptAsync(tenant, Fixtures.AcceptedDelivery, number: "W-2");
        var third = await AcceptAsync(tenant, Fixtures.AcceptedDelivery, number: "W-3");
        await WaitForExportAsync(first, second, third);

        // This POS has never reported a status: its silence says nothing, so nothing is alerted.
        Factory.Clock.Advance(TimeSpan.FromMinutes(11));
        await TickAsync();
        await SettleAsync();
        (await Telegram.MessagesAsync(KyivChat)).ShouldNotContain(m => m.Text.Contains("accepted at the POS"));

        // Now it reports W-1 accepted: it is a POS that reports acceptance, and W-2 and W-3 still wait.
        var integrationId = await Factory.WithDbAsync(db => db.PosIntegrations.Where(i => i.PickupPointId == tenant.KyivPointId).Select(i => i.Id).SingleAsync());
        (await PosStatusReportAsync(integrationId, first, "accepted")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await TickAsync();

        var alert = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("accepted at the POS"), "the grouped unaccepted alert");
        alert.Text.ShouldStartWith("⏳ <b>2 orders not accepted at the POS at Kyiv &lt;Best&gt; &amp; &quot;Co&quot;</b>");
        alert.Text.ShouldContain("#W-2: 11 min");
        alert.Text.ShouldContain("#W-3: 11 min");
        alert.Text.ShouldNotContain("#W-1");
        await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.Contains("2 orders not accepted at the POS"), "the owners' grouped copy");
        await TickAsync();
        await SettleAsync();
        (await Telegram.MessagesAsync(KyivChat)).Count(m => m.Text.Contains("accepted at the POS")).ShouldBe(1);
    }

    [Fact]
    public async Task A_failed_fiscal_receipt_and_an_issued_refund_alert_both_chats_and_the_refund_is_in_the_day_s_report()
    {
        var tenant = await PosterTenantAsync();
        await ConnectChatsAsync(tenant);
        await CheckboxAsync(tenant.KyivPointId, pin: "9999");
        var employee = await Factory.CreateApiClient().PostAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/fiscal-employees",
            new { name = "Олена <Каса> & \"Co\"", userName = OrderHubFactory.ApiKeyName, fiscalNumber = "4000000017", isDefaultCashier = true });
        employee.StatusCode.ShouldBe(HttpStatusCode.Created, await employee.Content.ReadAsStringAsync());

        // A paid delivery order: its automatic sale receipt fails, Checkbox refuses the PIN.
        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        var failed = await WaitUntilReceiptAsync(order, r => r.Kind == "Sale" && r.State == "Error");
        var alert = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("Fiscal receipt failed"), "the fiscal failure alert");
        alert.Text.ShouldStartWith("🧾 <b>Fiscal receipt failed</b> for order #DT-104233 at <b>Kyiv &lt;Best&gt; &amp; &quot;Co&quot;</b>");
        alert.Text.ShouldContain($"Receipt: sale <code>{failed.Id}</code> (Checkbox, 819.00)");
        alert.Text.ShouldContain("Reason: <b>");
        alert.Text.ShouldContain("Checkbox refused the cashier's PIN");
        alert.Text.ShouldContain("Fix: Check the connection data: enter the cashier");
        alert.Text.ShouldContain($"<a href=\"https://orderhub.example/api/orders/{order}\">Open the order</a>");
        (await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.Contains("Fiscal receipt failed"), "the owners' copy")).Text.ShouldBe(alert.Text);

        // Fixed and retried: the sale goes through; one cola of three refunded (42.00 less its 2.69 share of the discount).
        await CheckboxAsync(tenant.KyivPointId);
        var retry = await Factory.CreateApiClient().PostAsync($"/api/receipts/{failed.Id}/retry", null);
        retry.StatusCode.ShouldBe(HttpStatusCode.Accepted, await retry.Content.ReadAsStringAsync());
        await WaitUntilReceiptAsync(order, r => r.Kind == "Sale" && r.State == "Successful");
        var refund = await Factory.CreateApiClient().PostAsJsonAsync($"/api/orders/{order}/refunds", new { lines = new[] { new { index = 2, quantity = 1 } } });
        refund.StatusCode.ShouldBe(HttpStatusCode.Accepted, await refund.Content.ReadAsStringAsync());
        var returned = await WaitUntilReceiptAsync(order, r => r.Kind == "Return" && r.State == "Successful");
        returned.Total.ShouldBe(39.31m);

        var refunded = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("Refund issued"), "the refund alert");
        refunded.Text.ShouldStartWith("↩️ <b>Refund issued</b> for order #DT-104233 at <b>Kyiv &lt;Best&gt; &amp; &quot;Co&quot;</b>: <b>39.31</b>");
        refunded.Text.ShouldContain($"Return receipt <code>{returned.Id}</code> (Checkbox), fiscal number <code>{returned.FiscalCode}</code>");
        refunded.Text.ShouldContain("cashier Олена &lt;Каса&gt; &amp; &quot;Co&quot;");
        (await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.Contains("Refund issued"), "the owners' copy")).Text.ShouldBe(refunded.Text);
        await SettleAsync();
        (await Telegram.MessagesAsync(KyivChat)).Count(m => m.Text.Contains("Fiscal receipt failed")).ShouldBe(1);
        (await Telegram.MessagesAsync(LvivChat)).ShouldNotContain(m => m.Text.Contains("Refund") || m.Text.Contains("Fiscal"));

        await Telegram.SayAsync(KyivChat, "/report");
        var report = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.StartsWith("📊"), "the report");
        report.Text.ShouldContain("Refunds: 1, 39.31");
        await Telegram.SayAsync(LvivChat, "/report");
        var lviv = await Telegram.WaitForMessageAsync(LvivChat, m => m.Text.StartsWith("📊"), "Lviv's report");
        lviv.Text.ShouldContain("Refunds: 0, 0.00");
    }

    [Fact]
    public async Task Every_report_figure_equals_the_sum_of_the_orders_sent_with_priced_modifiers_and_promotions()
    {
        var tenant = await new TestTenant().WithAutoSync(false).WithoutLvivPoint().CreateAsync(Factory);
        await ConnectChatsAsync(tenant);
        var sent = new List<JsonObject>();
        foreach (var (fixture, number) in new[] { (Fixtures.AcceptedDelivery, "R-1"), (Fixtures.AcceptedDelivery, "R-2"), (Fixtures.AcceptedPickupCash, "R-3") })
        {
            await AcceptAsync(tenant, fixture, number: number, address: Fixtures.KyivAddressId);
            sent.Add(Fixtures.Json(fixture)["order"]!.AsObject());
        }

        // The figures, from what was sent: each line with its priced modifiers, less promotions, plus delivery.
        static decimal D(JsonNode? n) => n!.GetValue<decimal>();
        var lines = sent.SelectMany(o => o["items"]!.AsArray()).Select(i => (
            Name: i!["name"]!.GetValue<string>(),
            Quantity: D(i["quantity"]),
            Total: D(i["quantity"]) * (D(i["price"]) + i["modifiers"]!.AsArray().Sum(m => D(m!["quantity"]) * D(m["price"]))))).ToList();
        var goods = lines.Sum(l => l.Total);
        var promotions = sent.Sum(o => o["promotions"]?.AsArray().Sum(p => D(p!["discount"])) ?? 0);
        var delivery = sent.Sum(o => D(o["deliveryPrice"]));
        var revenue = sent.Sum(o => D(o["total"]));
        (goods - promotions + delivery).ShouldBe(revenue, "the fixtures' totals add up");

        await Telegram.SayAsync(KyivChat, "/report");
        var report = (await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.StartsWith("📊"), "the report")).Text;
        static string M(decimal v) => v.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        report.ShouldContain($"Orders: <b>3</b> · revenue <b>{M(revenue)}</b> · average <b>{M(Math.Round(revenue / 3, 2))}</b>");
        report.ShouldContain($"Discounts (promotions): 2 orders, {M(promotions)}");
        report.ShouldContain($"Goods (with modifiers) {M(goods)} − promotions {M(promotions)} + delivery {M(delivery)} = {M(revenue)}");
        report.ShouldNotContain("orders' totals");
        foreach (var item in lines.GroupBy(l => l.Name).Select(g => (Name: g.Key, Quantity: g.Sum(l => l.Quantity), Total: g.Sum(l => l.Total)))
                     .OrderByDescending(x => x.Quantity).ThenByDescending(x => x.Total).Take(5))
        {
            report.ShouldContain($"• {item.Name} × {item.Quantity:0.###} — {M(item.Total)}");
        }

        // The pizza's extra mozzarella (35.00 × 2 per order) is in its figure: 2 orders × 2 × (245 + 35).
        report.ShouldContain("• Піца Маргарита 30 см × 4 — 1120.00");
    }

    [Fact]
    public async Task A_Bot_API_that_refuses_setMyCommands_still_connects_the_bot_and_it_answers_commands()
    {
        var tenant = await new TestTenant().WithAutoSync(false).WithoutLvivPoint().CreateAsync(Factory);
        await Telegram.FaultsAsync(new TelegramFaults { RefuseSetMyCommands = true });
        await ConnectChatsAsync(tenant);
        Telegram.Simulator.Bot(TelegramSimulatorServer.BotToken)!.Commands.ShouldBeNull();
        await Telegram.SayAsync(KyivChat, "/status");
        await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.StartsWith("🩺"), "the status answer");
    }

    [Fact]
    public async Task Two_refunds_close_together_make_one_alert_each_with_its_own_fiscal_number_and_cashier()
    {
        var tenant = await PosterTenantAsync();
        await ConnectChatsAsync(tenant);
        await CheckboxAsync(tenant.KyivPointId);
        (await Factory.CreateApiClient().PostAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/fiscal-employees",
            new { name = "Олена", userName = OrderHubFactory.ApiKeyName, fiscalNumber = "4000000017", isDefaultCashier = true })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var order = await AcceptAsync(tenant, Fixtures.AcceptedDelivery);
        await WaitUntilReceiptAsync(order, r => r.Kind == "Sale" && r.State == "Successful");

        // Two returns queued back to back: fiscalized in the same worker round, alerted together.
        var api = Factory.CreateApiClient();
        foreach (var index in new[] { 2, 3 })
        {
            (await api.PostAsJsonAsync($"/api/orders/{order}/refunds", new { lines = new[] { new { index, quantity = 1 } } })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        await WaitUntilAsync(async () => (await Receipts(order)).Count(r => r.Kind == "Return" && r.State == "Successful") == 2, "both returns");
        var returns = (await Receipts(order)).Where(r => r.Kind == "Return").ToList();
        foreach (var returned in returns)
        {
            var alert = await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains($"<code>{returned.Id}</code>"), "the alert of return " + returned.Id);
            alert.Text.ShouldStartWith("↩️ <b>Refund issued</b> for order #DT-104233");
            alert.Text.ShouldContain($"fiscal number <code>{returned.FiscalCode}</code>, cashier Олена");
        }

        await SettleAsync();
        (await Telegram.MessagesAsync(KyivChat)).Count(m => m.Text.Contains("Refund")).ShouldBe(2);
        await Telegram.SayAsync(KyivChat, "/report");
        (await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.StartsWith("📊"), "the report")).Text
            .ShouldContain($"Refunds: 2, {returns.Sum(r => r.Total).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}");
    }

    private async Task<List<ReceiptDto>> Receipts(Guid order) =>
        (await Factory.CreateApiClient().GetFromJsonAsync<List<ReceiptDto>>($"/api/orders/{order}/receipts", HttpAssertions.Json))!;

    // Helpers.
    protected Task TickAsync() => Factory.Services.GetRequiredService<AlertClock>().TickAsync(CancellationToken.None);

    protected async Task WaitForExportAsync(params Guid[] orders)
    {
        try
        {
            await WaitUntilAsync(async () => await Factory.WithDbAsync(db => db.Orders.CountAsync(o => orders.Contains(o.Id) && o.ExportState == ExportState.Exported)) == orders.Length,
                "the orders exported");
        }
        catch (ShouldAssertException)
        {
            var history = await Factory.WithDbAsync(db => db.OrderActions.Where(a => a.OrderId != null && orders.Contains(a.OrderId.Value)).Select(a => a.Action + ": " + a.Message).ToListAsync());
            throw new ShouldAssertException("The orders were not exported: " + string.Join("\n", history));
        }
    }

    protected async Task<HttpResponseMessage> PosterIncomingOrderHookAsync(string posOrderId)
    {
        const string time = "1764000000";
        var hook = new PosterWebhook(PosSimulatorServer.PosterAccount, "861052", "incoming_order", posOrderId, "changed", time, null, "");
        var verify = PosterWebhookVerifier.Compute(hook, PosSimulatorServer.PosterAppSecret);
        return await Factory.CreateClient().PostAsJsonAsync("/webhooks/poster", new
        {
            account = hook.Account, account_number = "861052", @object = "incoming_order", object_id = posOrderId, action = "changed", time, verify,
        });
    }

    /// <summary>A webhook POS's <c>pos-order-status v1</c> report, signed per Standard Webhooks with the integration's secret.</summary>
    protected async Task<HttpResponseMessage> PosStatusReportAsync(Guid integrationId, Guid order, string status)
    {
        var json = JsonSerializer.Serialize(new { orderId = order, status });
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var timestamp = Factory.Clock.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/pos/{integrationId}") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(StandardWebhookSignature.IdHeader, id);
        request.Headers.Add(StandardWebhookSignature.TimestampHeader, timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(StandardWebhookSignature.SignatureHeader, StandardWebhookSignature.Sign(Pos.WebhookSecret, id, timestamp, System.Text.Encoding.UTF8.GetBytes(json)));
        return await Factory.CreateClient().SendAsync(request);
    }

    protected async Task CheckboxAsync(Guid pointId, string pin = PosSimulatorServer.CheckboxPin)
    {
        var response = await Factory.CreateApiClient().PutAsJsonAsync($"/api/pickup-points/{pointId}/fiscal-connection",
            new { name = "Каса Checkbox", provider = "Checkbox", receiptsEnabled = true, pin, licenseKey = PosSimulatorServer.CheckboxLicenseKey, defaultTaxCode = "1" });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    protected async Task<ReceiptDto> WaitUntilReceiptAsync(Guid order, Func<ReceiptDto, bool> match)
    {
        ReceiptDto? found = null;
        await WaitUntilAsync(async () =>
            (found = (await Factory.CreateApiClient().GetFromJsonAsync<List<ReceiptDto>>($"/api/orders/{order}/receipts", HttpAssertions.Json))!.FirstOrDefault(match)) is not null,
            "the receipt");
        return found!;
    }
    protected async Task<TestTenant> PosterTenantAsync()
    {
        var tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).CreateAsync(Factory);
        await RenameKyivAsync(tenant);
        return tenant;
    }

    protected Task RenameKyivAsync(TestTenant tenant) => Factory.WithDbAsync(async db =>
    {
        var point = await db.PickupPoints.SingleAsync(p => p.Id == tenant.KyivPointId);
        point.Name = KyivName;
        return await db.SaveChangesAsync();
    });

    [Fact]
    public async Task A_bot_token_another_company_uses_is_refused_without_saying_that_another_company_uses_it()
    {
        var a = await new TestTenant().CreateAsync(Factory);
        var b = await new TestTenant().WithDotsCompanyId("dots-company-b").CreateAsync(Factory);
        await ConnectBotAsync(a);

        var refused = await Factory.CreateApiClient().PutAsJsonAsync($"/api/companies/{b.CompanyId}/telegram-bot", new { token = TelegramSimulatorServer.BotToken });

        var text = (await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict, "token")).GetRawText();
        text.ShouldContain("cannot be used");
        text.ShouldNotContain("already", Case.Insensitive);
        text.ShouldNotContain("another", Case.Insensitive);
        text.ShouldNotContain(TelegramSimulatorServer.BotToken.Split(':')[0]);
    }

    protected async Task ConnectBotAsync(TestTenant tenant)
    {
        var response = await Factory.CreateApiClient().PutAsJsonAsync($"/api/companies/{tenant.CompanyId}/telegram-bot", new { token = TelegramSimulatorServer.BotToken });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    protected async Task<ChatCodeDto> CodeAsync(TestTenant tenant, Guid? pointId)
    {
        var response = await Factory.CreateApiClient().PostAsJsonAsync($"/api/companies/{tenant.CompanyId}/telegram-chat-codes", new { pickupPointId = pointId });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ChatCodeDto>())!;
    }

    /// <summary>
    /// The bot, Kyiv's managers' chat and the owners' chat by <c>/start CODE</c>, Lviv's chat by id through the API;
    /// all three switched to <paramref name="language"/> through the API (a new chat reads Ukrainian).
    /// </summary>
    protected async Task ConnectChatsAsync(TestTenant tenant, string language = "en")
    {
        await ConnectBotAsync(tenant);
        await Telegram.SayAsync(KyivChat, (await CodeAsync(tenant, tenant.KyivPointId)).Command);
        await Telegram.SayAsync(OwnersChat, (await CodeAsync(tenant, null)).Command, "Owners");
        await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.StartsWith("✅"), "Kyiv's welcome");
        await Telegram.WaitForMessageAsync(OwnersChat, m => m.Text.Contains("чат власників"), "the owners' welcome, in Ukrainian");
        var api = Factory.CreateApiClient();
        if (language != "uk")
        {
            var chats = await api.GetFromJsonAsync<JsonElement>($"/api/companies/{tenant.CompanyId}/telegram-chats");
            foreach (var chat in chats.EnumerateArray())
            {
                chat.GetProperty("language").GetString().ShouldBe("uk");
                (await api.PutAsJsonAsync($"/api/telegram-chats/{chat.GetProperty("id").GetGuid()}", new { language }))
                    .StatusCode.ShouldBe(HttpStatusCode.OK);
            }
        }

        if (tenant.LvivPointId != Guid.Empty)
        {
            var added = await api.PostAsJsonAsync($"/api/companies/{tenant.CompanyId}/telegram-chats",
                new { chatId = LvivChat, pickupPointId = tenant.LvivPointId, title = "Lviv", language });
            added.StatusCode.ShouldBe(HttpStatusCode.Created);
        }
    }

    protected async Task<Guid> AcceptAsync(TestTenant tenant, string fixture, string? number = null, string? address = null)
    {
        var body = Fixtures.Json(fixture);
        if (number is not null)
        {
            body["eventId"] = "evt-" + number;
            body["order"]!["id"] = Guid.NewGuid().ToString();
            body["order"]!["number"] = number;
        }

        if (address is not null)
        {
            body["order"]!["companyAddressId"] = address;
        }

        var response = await tenant.Sender(Factory).SendAsync(body);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var dotsId = body["order"]!["id"]!.GetValue<string>();
        return await Factory.WithDbAsync(db => db.Orders.Where(o => o.DotsOrderId == dotsId).Select(o => o.Id).SingleAsync());
    }

    /// <summary>A signed Poster <c>transaction</c> hook; with a null <paramref name="type"/> it carries no data (OrderHub reads the check back).</summary>
    protected async Task<HttpResponseMessage> TransactionAsync(
        string check, string? type, long timeMs, decimal? value = null, decimal? value2 = null, decimal? value3 = null, string? valueText = null, string? secret = null)
    {
        if (type is null)
        {
            var at = (timeMs / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var bare = new PosterWebhook(PosSimulatorServer.PosterAccount, "861052", "transaction", check, "changed", at, null, "");
            return await Factory.CreateClient().PostAsJsonAsync("/webhooks/poster", new
            {
                account = bare.Account, account_number = "861052", @object = "transaction", object_id = check, action = "changed", time = at,
                verify = PosterWebhookVerifier.Compute(bare, secret ?? PosSimulatorServer.PosterAppSecret),
            });
        }

        var history = new JsonObject
        {
            ["type_history"] = type,
            ["time"] = timeMs,
            ["value"] = value ?? 0,
            ["value2"] = value2 ?? 0,
            ["value3"] = value3 ?? 0,
            ["value_text"] = valueText ?? "",
            ["user_id"] = 17,
            ["spot_tablet_id"] = 3,
        };
        var data = new JsonObject { ["spot_id"] = 1, ["transactions_history"] = history }.ToJsonString();
        var time = (timeMs / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var hook = new PosterWebhook(PosSimulatorServer.PosterAccount, "861052", "transaction", check, "changed", time, data, "");
        var verify = PosterWebhookVerifier.Compute(hook, secret ?? PosSimulatorServer.PosterAppSecret);
        return await Factory.CreateClient().PostAsJsonAsync("/webhooks/poster", new
        {
            account = hook.Account, account_number = "861052", @object = "transaction", object_id = check, action = "changed", time, data, verify,
        });
    }

    /// <summary>Gives the sender a few rounds to send anything it (wrongly) still would.</summary>
    protected static Task SettleAsync() => Task.Delay(400);

    protected static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int timeoutMs = 15_000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new ShouldAssertException($"Timed out waiting for: {what}");
            }

            await Task.Delay(50);
        }
    }
}

public sealed class SqliteTelegramAlertTests() : TelegramAlertTests(new SqliteTestDatabase());

public sealed class PostgresTelegramAlertTests() : TelegramAlertTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerTelegramAlertTests() : TelegramAlertTests(new SqlServerTestDatabase());
