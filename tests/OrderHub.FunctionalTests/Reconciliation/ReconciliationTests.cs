using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Reconciliation;
using OrderHub.Domain.Orders;
using OrderHub.FunctionalTests.Infrastructure;
using static OrderHub.FunctionalTests.Infrastructure.Eventually;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Reconciliation;

public sealed class SqliteReconciliationTests() : ReconciliationTests(new SqliteTestDatabase());

public sealed class PostgresReconciliationTests() : ReconciliationTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerReconciliationTests() : ReconciliationTests(new SqlServerTestDatabase());

/// <summary>
/// The daily reconciliation through HTTP, the export worker, the simulated Poster and webhook POS, and the
/// Telegram simulator, on a test clock: what the register lost, holds twice or changed is found, the summary
/// reaches the end-of-day chat, and a missing order re-driven from the report reaches Poster once.
/// </summary>
public abstract class ReconciliationTests : ProviderTestBase
{
    private const long KyivChat = -700;

    /// <summary>19:00 in Kyiv (UTC+2 in November) on the day reconciled.</summary>
    private static readonly DateTimeOffset Evening = new(2026, 11, 20, 17, 0, 0, TimeSpan.Zero);

    /// <summary>04:30 in Kyiv the day after: past the default 04:00 run time.</summary>
    private static readonly DateTimeOffset NextMorning = new(2026, 11, 21, 2, 30, 0, TimeSpan.Zero);

    private const string Day = "2026-11-20";

    private readonly TelegramSimulatorServer _telegram = new();
    private readonly PosSimulatorServer _pos;

    protected ReconciliationTests(ITestDatabase database) : base(database) =>
        _pos = new PosSimulatorServer { Clock = () => Factory.Clock };

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Dispatcher:Enabled"] = "true",
        ["Dispatcher:PollInterval"] = "00:00:00.200",
        ["Dispatcher:DrainTimeout"] = "00:00:05",
        ["Poster:BaseUrlTemplate"] = _pos.PosterBaseUrlTemplate,
        ["Pos:Resilience:AttemptTimeout"] = "00:00:10",
        ["Pos:Resilience:MinimumThroughput"] = "1000",
        ["Telegram:Enabled"] = "true",
        ["Telegram:ApiBaseUrl"] = _telegram.ApiBaseUrl,
        ["Telegram:PublicBaseUrl"] = "https://orderhub.example",
        ["Telegram:GroupingDelay"] = "00:00:00",
        ["Telegram:PerChatInterval"] = "00:00:00.010",
        ["Telegram:SenderPollInterval"] = "00:00:00.100",
        ["Telegram:ClockInterval"] = "00:00:00.150",
        ["Telegram:PollTimeout"] = "00:00:01",
        ["Telegram:PollErrorDelay"] = "00:00:00.200",
        ["Reconciliation:Interval"] = "00:00:00.200",
    };

    public override async Task InitializeAsync()
    {
        await _telegram.StartAsync();
        await _pos.StartAsync();
        await base.InitializeAsync();
        Factory.Clock.Set(Evening);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _pos.DisposeAsync();
        await _telegram.DisposeAsync();
    }

    [Fact]
    public async Task The_run_after_the_day_finds_a_deleted_a_doubled_and_a_changed_order_tells_the_chat_and_a_redrive_reaches_Poster_once()
    {
        var tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).WithoutLvivPoint().CreateAsync(Factory);
        await ConnectChatAsync(tenant);
        var orders = new Dictionary<string, Guid>();
        foreach (var number in new[] { "R-1", "R-2", "R-3", "R-4" })
        {
            orders[number] = await AcceptAsync(tenant, number);
        }

        await WaitForExportAsync(orders.Values.ToArray());
        var control = _pos.Control;
        (await control.DeleteAsync($"control/poster/{PosSimulatorServer.PosterAccount}/orders/{PosterId("R-1")}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await control.PostAsync($"control/poster/{PosSimulatorServer.PosterAccount}/orders/{PosterId("R-2")}/duplicate", null)).EnsureSuccessStatusCode();
        (await control.PostAsJsonAsync($"control/poster/{PosSimulatorServer.PosterAccount}/orders/{PosterId("R-3")}/total", new { by = 1000 })).EnsureSuccessStatusCode();

        // The day ends; at 04:30 local the service reconciles it by itself.
        Factory.Clock.Set(NextMorning);
        var run = await WaitForRunAsync(tenant.KyivPointId, Day);
        run.State.ShouldBe("Done", run.Error);
        run.Trigger.ShouldBe("Automatic");
        run.PosKind.ShouldBe("Poster");
        (run.Expected, run.AtPos, run.Missing, run.Duplicates, run.TotalMismatches, run.Unknown, run.Clean).ShouldBe((4, 3, 1, 1, 1, 0, false));
        var findings = run.Findings!;
        var missing = findings.Single(f => f.Kind == "Missing");
        (missing.OrderNumber, missing.OrderId, missing.ExportState).ShouldBe(("R-1", orders["R-1"], "Exported"));
        var doubled = findings.Single(f => f.Kind == "Duplicate");
        (doubled.OrderNumber, doubled.Copies).ShouldBe(("R-2", 2));
        var changed = findings.Single(f => f.Kind == "TotalDiffers");
        // The first line is 2 pizzas: 1000 kopecks more on its unit price is 20.00 more on the check (805.00 sent).
        (changed.OrderNumber, changed.ExpectedTotal, changed.PosTotal).ShouldBe(("R-3", 80500L, 82500L));

        var summary = await _telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("Reconciliation with the register"), "the reconciliation summary");
        summary.Text.ShouldStartWith("⚠️ <b>Reconciliation with the register — Хрещатик</b>, 2026-11-20");
        summary.Text.ShouldContain("At the register: 3 of 4 orders. Exceptions:");
        summary.Text.ShouldContain($"• <a href=\"https://orderhub.example/api/orders/{orders["R-1"]}\">#R-1</a> — missing at the register");
        summary.Text.ShouldContain($"#R-2</a> — at the register 2 times ({doubled.PosOrderIds})");
        summary.Text.ShouldContain($"#R-3</a> — different total: sent 805.00, at the register 825.00 ({changed.PosOrderIds})");
        summary.Text.ShouldContain($"<a href=\"https://orderhub.example/panel/points/{tenant.KyivPointId}/reconciliations/{run.Id}\">Open the report</a>");

        // One press re-drives the missing order; a second is refused; Poster gets it once.
        var api = Factory.CreateApiClient();
        var redrive = $"/api/pickup-points/{tenant.KyivPointId}/reconciliations/{run.Id}/findings/{missing.Id}/redrive";
        (await api.PostAsync(redrive, null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await api.PostAsync(redrive, null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        await WaitUntilAsync(async () => await Factory.WithDbAsync(db => db.Orders.AnyAsync(o => o.Id == orders["R-1"] && o.ExportState == ExportState.Exported && o.PosOrderId != null && o.UpdatedAt >= NextMorning)),
            "the re-driven order exported");
        await Task.Delay(600);
        _pos.Orders("poster/" + PosSimulatorServer.PosterAccount).Count(o => o.Marker?.StartsWith("[Dots #R-1", StringComparison.Ordinal) == true)
            .ShouldBe(1, "the lost order once more, and only once");
        _pos.Orders("poster/" + PosSimulatorServer.PosterAccount).Single(o => o.Marker == "[Dots #R-1/2]").ShouldNotBeNull();

        // Reconciled again by hand: the re-driven order is at the register now; the other two exceptions remain.
        var again = await api.PostAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/reconciliations", new { day = Day });
        again.StatusCode.ShouldBe(HttpStatusCode.Created, await again.Content.ReadAsStringAsync());
        var rerun = (await again.Content.ReadFromJsonAsync<ReconciliationRunDto>(HttpAssertions.Json))!;
        rerun.Id.ShouldBe(run.Id, "one run per point and day");
        (rerun.Trigger, rerun.AtPos, rerun.Missing, rerun.Duplicates, rerun.TotalMismatches).ShouldBe(("Manual", 4, 0, 1, 1));
        var list = (await api.GetFromJsonAsync<List<ReconciliationRunDto>>($"/api/pickup-points/{tenant.KyivPointId}/reconciliations", HttpAssertions.Json))!;
        list.Select(r => r.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ShouldBe([Day]);

        // The next end-of-day report (22:00 local on the 21st) carries the last reconciled day in figures.
        Factory.Clock.Set(new DateTimeOffset(2026, 11, 21, 20, 0, 30, TimeSpan.Zero));
        var report = await _telegram.WaitForMessageAsync(KyivChat, m => m.Text.StartsWith("📊", StringComparison.Ordinal), "the end-of-day report");
        report.Text.ShouldEndWith("Register check of 2026-11-20: 4 of 4 orders at the register; <b>1 twice, 1 with another total</b>");
    }

    [Fact]
    public async Task A_clean_day_says_all_orders_are_at_the_register_and_a_cancelled_order_is_not_expected()
    {
        var tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).WithoutLvivPoint().CreateAsync(Factory);
        await ConnectChatAsync(tenant, "uk");
        var first = await AcceptAsync(tenant, "C-1");
        var second = await AcceptAsync(tenant, "C-2");
        await WaitForExportAsync(first, second);
        var cancelled = await AcceptAsync(tenant, "C-3");
        var cancel = Fixtures.Json(Fixtures.Cancelled);
        cancel["eventId"] = "evt-cancel-C-3";
        cancel["order"]!["id"] = await Factory.WithDbAsync(db => db.Orders.Where(o => o.Id == cancelled).Select(o => o.DotsOrderId).SingleAsync());
        cancel["order"]!["number"] = "C-3";
        (await tenant.Sender(Factory).SendAsync(cancel)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await WaitUntilAsync(async () => await Factory.WithDbAsync(db => db.Orders.AnyAsync(o => o.Id == cancelled && o.DotsStatus == "cancelled")), "the cancellation");
        // A [TEST] order that same day reaches the register too, but it is not one of the day's orders.
        var api = Factory.CreateApiClient();
        (await api.PutAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-catalog",
            new { products = new[] { new { id = "101", name = "Піца Маргарита", price = 245m } } })).EnsureSuccessStatusCode();
        var testOrder = await api.PostAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/test-orders", new { items = new[] { new { productId = "101" } } });
        testOrder.StatusCode.ShouldBe(HttpStatusCode.Created, await testOrder.Content.ReadAsStringAsync());
        await WaitUntilAsync(async () => await Factory.WithDbAsync(db => db.Orders.AnyAsync(o => o.IsTest && o.PickupPointId == tenant.KyivPointId && o.ExportState == ExportState.Exported)),
            "the test order at the register");

        var response = await Factory.CreateApiClient().PostAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/reconciliations", new { day = Day });

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var run = (await response.Content.ReadFromJsonAsync<ReconciliationRunDto>(HttpAssertions.Json))!;
        (run.State, run.Trigger, run.Expected, run.AtPos, run.Cancelled, run.Clean).ShouldBe(("Done", "Manual", 2, 2, 1, true), run.Error);
        run.Findings.ShouldBeEmpty();
        var summary = await _telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("Звірка з касою"), "the reconciliation summary");
        summary.Text.ShouldStartWith("✅ <b>Звірка з касою — Хрещатик</b>, 2026-11-20\nУсі 2 замовлення на касі.");
        summary.Text.ShouldContain("Скасовано в Dots (на касі не очікуються): 1.");

        // That evening's end-of-day report (22:00 local) says so too.
        Factory.Clock.Set(new DateTimeOffset(2026, 11, 20, 20, 0, 30, TimeSpan.Zero));
        var report = await _telegram.WaitForMessageAsync(KyivChat, m => m.Text.StartsWith("📊", StringComparison.Ordinal), "the end-of-day report");
        report.Text.ShouldEndWith("Звірка з касою за 2026-11-20: <b>на касі всі замовлення: 2</b>");

        var future = await Factory.CreateApiClient().PostAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/reconciliations", new { day = "2026-11-22" });
        future.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_day_Poster_could_not_be_read_fails_says_so_once_and_is_tried_again_an_hour_later()
    {
        var tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).WithoutLvivPoint().CreateAsync(Factory);
        await ConnectChatAsync(tenant);
        var order = await AcceptAsync(tenant, "F-1");
        await WaitForExportAsync(order);
        await _pos.FaultsAsync(new OrderHub.Simulators.FaultSettings { Outage = true });

        Factory.Clock.Set(NextMorning);
        var failed = await WaitForRunAsync(tenant.KyivPointId, Day);
        (failed.State, failed.Expected).ShouldBe(("Failed", 1));
        failed.Error.ShouldStartWith("Poster's online orders could not be read:");
        var alert = await _telegram.WaitForMessageAsync(KyivChat, m => m.Text.Contains("Reconciliation with the register"), "the failure");
        alert.Text.ShouldStartWith("❌ <b>Reconciliation with the register — Хрещатик</b>, 2026-11-20\nCould not reconcile: Poster's online orders could not be read:");
        // The stored reason is a key with its arguments: a Ukrainian reader gets it in Ukrainian, the Poster failure included.
        using (var inUkrainian = new HttpRequestMessage(HttpMethod.Get, $"/api/pickup-points/{tenant.KyivPointId}/reconciliations/{failed.Id}"))
        {
            inUkrainian.Headers.AcceptLanguage.ParseAdd("uk");
            var response = await Factory.CreateApiClient().SendAsync(inUkrainian);
            var error = (await response.Content.ReadFromJsonAsync<ReconciliationRunDto>(HttpAssertions.Json))!.Error!;
            error.ShouldStartWith("Не вдалося прочитати онлайн-замовлення Poster: ");
            error.ShouldNotContain("could not", Case.Insensitive);
            error.ShouldNotBe(failed.Error);
        }

        var stored = await Factory.WithDbAsync(db => db.ReconciliationRuns.AsNoTracking().SingleAsync(r => r.Id == failed.Id));
        stored.ErrorKey.ShouldBe("recon.error.posterUnreadable");
        OrderHub.Api.Messages.MessageCatalog.Render(stored.ErrorKey, stored.ErrorArgs, "", "en").ShouldBe(stored.Error);

        await _pos.ClearFaultsAsync();
        Factory.Clock.Set(NextMorning.AddMinutes(61));
        var api = Factory.CreateApiClient();
        ReconciliationRunDto? retried = null;
        await WaitUntilAsync(async () => (retried = await api.GetFromJsonAsync<ReconciliationRunDto>($"/api/pickup-points/{tenant.KyivPointId}/reconciliations/{failed.Id}", HttpAssertions.Json))!.State == "Done",
            "the retry an hour later");
        (retried!.Trigger, retried.Expected, retried.AtPos, retried.Clean).ShouldBe(("Automatic", 1, 1, true));
        await _telegram.WaitForMessageAsync(KyivChat, m => m.Text.StartsWith("✅", StringComparison.Ordinal), "the summary of the retry");
        (await _telegram.MessagesAsync(KyivChat)).Count(m => m.Text.StartsWith("❌", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task An_order_a_shadow_point_only_rehearsed_is_not_expected_at_the_register()
    {
        var tenant = await new TestTenant().WithPoster(PosSimulatorServer.PosterAccount, PosSimulatorServer.PosterToken).WithoutLvivPoint().CreateAsync(Factory);
        var live = await AcceptAsync(tenant, "S-1");
        await WaitForExportAsync(live);
        // The point goes back to shadow mode (no gate that way): its next order is rehearsed, not sent.
        var api = Factory.CreateApiClient();
        (await api.PutAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/pos-integration/mode", new { mode = "Shadow" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var shadowed = await AcceptAsync(tenant, "S-2");
        await WaitUntilAsync(async () => await Factory.WithDbAsync(db => db.Orders.AnyAsync(o => o.Id == shadowed && o.ExportState == ExportState.Shadowed)),
            "the shadowed order");
        _pos.Orders("poster/" + PosSimulatorServer.PosterAccount).ShouldNotContain(o => o.Marker == "[Dots #S-2]");

        var response = await api.PostAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/reconciliations", new { day = Day });

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var run = (await response.Content.ReadFromJsonAsync<ReconciliationRunDto>(HttpAssertions.Json))!;
        (run.State, run.Expected, run.AtPos, run.Missing, run.Unknown, run.Clean).ShouldBe(("Done", 1, 1, 0, 0, true), run.Error);
        run.Findings.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_webhook_POS_day_counts_the_orders_it_acknowledged_and_finds_one_it_never_got()
    {
        var tenant = await new TestTenant().WithWebhookPos(_pos.WebhookPosUrl, _pos.WebhookSecret).WithoutLvivPoint().CreateAsync(Factory);
        var delivered = await AcceptAsync(tenant, "W-1");
        await WaitForExportAsync(delivered);
        await _pos.FaultsAsync(new OrderHub.Simulators.FaultSettings { Outage = true });
        var lost = await AcceptAsync(tenant, "W-2");
        await WaitUntilAsync(async () => await Factory.WithDbAsync(db => db.OrderActions.AnyAsync(a => a.OrderId == lost && a.Action == "export.attempt")),
            "the failed attempt");

        var response = await Factory.CreateApiClient().PostAsJsonAsync($"/api/pickup-points/{tenant.KyivPointId}/reconciliations", new { day = Day });

        var run = (await response.Content.ReadFromJsonAsync<ReconciliationRunDto>(HttpAssertions.Json))!;
        (run.State, run.PosKind, run.Expected, run.AtPos, run.Missing, run.Duplicates).ShouldBe(("Done", "Webhook", 2, 1, 1, 0), run.Error);
        var missing = run.Findings!.Single();
        (missing.OrderId, missing.ExportState).ShouldBe((lost, "Queued"));

        // Still being retried: the export refuses a re-drive, and the finding is not marked as sent again.
        var api = Factory.CreateApiClient();
        var refused = await api.PostAsync($"/api/pickup-points/{tenant.KyivPointId}/reconciliations/{run.Id}/findings/{missing.Id}/redrive", null);
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict, await refused.Content.ReadAsStringAsync());
        var read = (await api.GetFromJsonAsync<ReconciliationRunDto>($"/api/pickup-points/{tenant.KyivPointId}/reconciliations/{run.Id}", HttpAssertions.Json))!;
        read.Findings!.Single().RedrivenAt.ShouldBeNull();
    }

    private string PosterId(string number) =>
        _pos.Orders("poster/" + PosSimulatorServer.PosterAccount).Single(o => o.Marker == $"[Dots #{number}]").PosOrderId;

    /// <summary>The point's end-of-day chat, in <paramref name="language"/> (a new chat reads Ukrainian).</summary>
    private async Task ConnectChatAsync(TestTenant tenant, string language = "en")
    {
        var api = Factory.CreateApiClient();
        var bot = await api.PutAsJsonAsync($"/api/companies/{tenant.CompanyId}/telegram-bot", new { token = TelegramSimulatorServer.BotToken });
        bot.StatusCode.ShouldBe(HttpStatusCode.OK, await bot.Content.ReadAsStringAsync());
        var chat = await api.PostAsJsonAsync($"/api/companies/{tenant.CompanyId}/telegram-chats",
            new { chatId = KyivChat, pickupPointId = tenant.KyivPointId, reports = new[] { "EndOfDay" }, reportAt = "22:00", language });
        chat.StatusCode.ShouldBe(HttpStatusCode.Created, await chat.Content.ReadAsStringAsync());
    }

    /// <summary>The delivery fixture at the Kyiv point under another number (and Dots id).</summary>
    private async Task<Guid> AcceptAsync(TestTenant tenant, string number)
    {
        var body = Fixtures.Json(Fixtures.AcceptedDelivery);
        body["eventId"] = "evt-" + number;
        body["order"]!["id"] = Guid.NewGuid().ToString();
        body["order"]!["number"] = number;
        var response = await tenant.Sender(Factory).SendAsync(body);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var dotsId = body["order"]!["id"]!.GetValue<string>();
        Guid id = default;
        await WaitUntilAsync(async () => (id = await Factory.WithDbAsync(db => db.Orders.Where(o => o.DotsOrderId == dotsId).Select(o => o.Id).FirstOrDefaultAsync())) != default,
            "the order stored");
        return id;
    }

    private async Task WaitForExportAsync(params Guid[] orders) =>
        await WaitUntilAsync(async () => await Factory.WithDbAsync(db => db.Orders.CountAsync(o => orders.Contains(o.Id) && o.ExportState == ExportState.Exported)) == orders.Length,
            "the orders exported");

    private async Task<ReconciliationRunDto> WaitForRunAsync(Guid pointId, string day)
    {
        var api = Factory.CreateApiClient();
        ReconciliationRunDto? finished = null;
        await WaitUntilAsync(async () =>
        {
            var runs = (await api.GetFromJsonAsync<List<ReconciliationRunDto>>($"/api/pickup-points/{pointId}/reconciliations", HttpAssertions.Json))!;
            finished = runs.FirstOrDefault(r => r.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) == day && r.State != "Running");
            return finished is not null;
        }, "the automatic reconciliation");
        return (await api.GetFromJsonAsync<ReconciliationRunDto>($"/api/pickup-points/{pointId}/reconciliations/{finished!.Id}", HttpAssertions.Json))!;
    }

}
