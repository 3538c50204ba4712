using Microsoft.Extensions.Options;
using OrderHub.Api.Alerts;
using OrderHub.Api.Features.Webhooks.ReceivePosterEvent;
using OrderHub.Api.Fiscalization;
using OrderHub.Api.Messages;
using OrderHub.Domain.Alerts;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.History;
using OrderHub.Integrations.Poster;
using OrderHub.Integrations.Telegram;

namespace OrderHub.UnitTests.Telegram;

public sealed class TelegramRulesTests
{
    [Theory]
    [InlineData(FiscalActions.Attempt, ActionOutcome.Failure, AlertKinds.FiscalReceiptFailed)]
    [InlineData(FiscalActions.Attempt, ActionOutcome.Warning, AlertKinds.None)]
    [InlineData(FiscalActions.Attempt, ActionOutcome.Success, AlertKinds.None)]
    [InlineData(FiscalActions.RefundIssued, ActionOutcome.Success, AlertKinds.RefundIssued)]
    [InlineData("export.attempt", ActionOutcome.Failure, AlertKinds.ExportFailed)]
    [InlineData("export.attempt", ActionOutcome.Warning, AlertKinds.None)]
    public void Fiscal_and_export_history_rows_raise_their_alerts(string action, ActionOutcome outcome, AlertKinds expected) =>
        AlertInterceptor.KindOf(new OrderAction { Action = action, Outcome = outcome }).ShouldBe(expected);

    [Fact]
    public void Html_escapes_every_character_Telegram_HTML_cares_about()
    {
        Html.E("Kyiv <Best> & \"Co\"").ShouldBe("Kyiv &lt;Best&gt; &amp; &quot;Co&quot;");
        Html.E(null).ShouldBe("");
        Html.Link("https://x/?a=1&b=\"2\"", "<open>").ShouldBe("<a href=\"https://x/?a=1&amp;b=&quot;2&quot;\">&lt;open&gt;</a>");
    }

    [Fact]
    public void Fiscal_alerts_name_the_receipt_reason_hint_and_amount_every_value_escaped()
    {
        var order = new OrderInfo(Guid.NewGuid(), Guid.NewGuid(), "A<1>", 819m, "accepted");
        var failed = new FiscalReceipt { Kind = FiscalReceiptKind.Sale, Provider = FiscalProvider.Checkbox, Total = 819m, Error = "PIN <wrong> & \"refused\"" };
        var row = new OrderAction
        {
            Action = FiscalActions.Attempt, Outcome = ActionOutcome.Failure, Reason = FailureReason.FiscalRejected,
            Message = $"Sale receipt {failed.Id} not issued: PIN <wrong>", FixHint = "Enter the <PIN> & retry",
        };

        var text = AlertTexts.ForOrder(MessageCatalog.English, AlertKinds.FiscalReceiptFailed, order, "Kyiv <Best>", [row], "https://x/o?a=1&b=2", failed).Text;

        text.ShouldStartWith("🧾 <b>Fiscal receipt failed</b> for order #A&lt;1&gt; at <b>Kyiv &lt;Best&gt;</b>\n");
        text.ShouldContain($"Receipt: sale <code>{failed.Id}</code> (Checkbox, 819.00)\n");
        text.ShouldContain("Reason: <b>Fiscal provider refused the receipt</b> — PIN &lt;wrong&gt; &amp; &quot;refused&quot;\n");
        text.ShouldContain("Fix: Enter the &lt;PIN&gt; &amp; retry\n");
        text.ShouldEndWith("<a href=\"https://x/o?a=1&amp;b=2\">Open the order</a>");

        var refund = new FiscalReceipt { Kind = FiscalReceiptKind.Return, Provider = FiscalProvider.Checkbox, Total = 39.31m, FiscalCode = "TEST<1>", CashierName = "Олена & Co" };
        var refunded = AlertTexts.ForOrder(MessageCatalog.English, AlertKinds.RefundIssued, order, "Kyiv <Best>",
            [new OrderAction { Action = FiscalActions.RefundIssued, Outcome = ActionOutcome.Success, Message = "Return receipt fiscalized" }], null, refund);
        refunded.Text.ShouldBe($"↩️ <b>Refund issued</b> for order #A&lt;1&gt; at <b>Kyiv &lt;Best&gt;</b>: <b>39.31</b>\n" +
                               $"Return receipt <code>{refund.Id}</code> (Checkbox), fiscal number <code>TEST&lt;1&gt;</code>, cashier Олена &amp; Co");
        // One alert per return receipt: never merged with another refund (which dropped each one's fiscal number and cashier).
        refunded.GroupKey.ShouldBeNull();
    }

    [Fact]
    public void Every_failure_reason_reads_in_plain_words_in_both_languages()
    {
        foreach (var reason in Enum.GetNames<FailureReason>())
        {
            MessageCatalog.Texts.ShouldContainKey("tg.reason." + reason);
            AlertTexts.ReasonOf(reason, MessageCatalog.Ukrainian).ShouldNotBe(AlertTexts.ReasonOf(reason, MessageCatalog.English), reason);
        }
    }

    [Theory]
    [InlineData("7012345678:AAH-abc", 7012345678L)]
    [InlineData("12:x", 12L)]
    [InlineData("no-colon", null)]
    [InlineData(":AAH", null)]
    [InlineData("12:", null)]
    [InlineData("-5:abc", null)]
    public void The_bot_id_is_the_token_s_numeric_prefix(string token, long? botId) => TelegramBotClient.BotIdOf(token).ShouldBe(botId);

    [Fact]
    public void A_count_lowered_after_the_kitchen_ticket_is_risky_with_the_removed_amount()
    {
        var earlier = new[] { Op("additem", 101, price: 24500), Op("additem", 101, price: 24500), Op("sendtokitchen", 101, value3: 2) };

        var (risk, amount, what) = RegisterOperationRecorder.Judge(Row("changeitemcount", 101, value2: 0), earlier);

        risk.ShouldBe(AlertKinds.ItemRemovedAfterKitchen);
        amount.ShouldBe(490m);
        MessageCatalog.Render(what, MessageCatalog.English).ShouldBe("removed (2 pcs)");
        MessageCatalog.Render(what, MessageCatalog.Ukrainian).ShouldBe("прибрано (2 шт.)");
    }

    [Fact]
    public void A_removal_after_the_pre_check_is_its_own_risk_and_one_before_the_kitchen_is_none()
    {
        var printed = new[] { Op("additem", 101, price: 10000), Op("sendtokitchen", 101), Op("print", 0) };
        RegisterOperationRecorder.Judge(Row("deleteitem", 101), printed).Risk.ShouldBe(AlertKinds.RemovedAfterPrecheck);

        var notSent = new[] { Op("additem", 101, price: 10000) };
        RegisterOperationRecorder.Judge(Row("deleteitem", 101), notSent).Risk.ShouldBeNull();

        var raised = new[] { Op("additem", 101, price: 10000), Op("sendtokitchen", 101) };
        RegisterOperationRecorder.Judge(Row("changeitemcount", 101, value2: 3), raised).Risk.ShouldBeNull();
    }

    [Fact]
    public void A_deleted_check_a_discount_and_a_closed_check_carry_their_figures()
    {
        var check = new[] { Op("additem", 101, price: 24500), Op("additem", 201, price: 4500) };
        English(RegisterOperationRecorder.Judge(Row("delete", 0), check)).ShouldBe((AlertKinds.CheckDeleted, 290m, "check deleted"));
        English(RegisterOperationRecorder.Judge(Row("setclient", 77, value2: 15), check)).ShouldBe((AlertKinds.DiscountSet, null, "discount 15 %"));
        RegisterOperationRecorder.Judge(Row("setclient", 77, value2: 0), check).Risk.ShouldBeNull();
        English(RegisterOperationRecorder.Judge(Row("close", 0, value2: 29000), check)).ShouldBe((AlertKinds.CheckClosed, 290m, "check closed"));
    }

    private static (AlertKinds?, decimal?, string) English((AlertKinds? Risk, decimal? Amount, Msg What) judged) =>
        (judged.Risk, judged.Amount, MessageCatalog.Render(judged.What, MessageCatalog.English));

    [Fact]
    public void The_transaction_history_is_read_from_Poster_s_data_string_numbers_as_strings_or_numbers()
    {
        var row = RegisterOperationRecorder.Parse("{\"spot_id\":\"2\",\"transactions_history\":{\"type_history\":\"deleteitem\",\"time\":\"1764000000000\",\"value\":101,\"value2\":\"0\",\"user_id\":17,\"spot_tablet_id\":\"3\"}}");

        row.ShouldNotBeNull();
        row.Type.ShouldBe("deleteitem");
        row.TimeMs.ShouldBe(1764000000000);
        row.Value.ShouldBe(101m);
        row.UserId.ShouldBe("17");
        row.TabletId.ShouldBe("3");
        row.SpotId.ShouldBe(2);
        RegisterOperationRecorder.Parse("not json").ShouldBeNull();
        RegisterOperationRecorder.Parse("{\"transactions_history\":{}}").ShouldBeNull();
    }

    [Fact]
    public void The_pacer_spaces_one_chat_limits_a_group_per_minute_and_holds_a_chat_after_a_429()
    {
        var time = new ManualTime();
        var pacer = new TelegramPacer(Options.Create(new TelegramOptions { PerChatInterval = TimeSpan.FromSeconds(1), PerGroupPerMinute = 20, GlobalPerSecond = 30 }), time);

        pacer.TryBook(5).ShouldBe(TimeSpan.Zero);
        pacer.TryBook(5).ShouldBe(TimeSpan.FromSeconds(1));
        pacer.TryBook(6).ShouldBe(TimeSpan.Zero, "another chat is not held by the first");

        for (var i = 0; i < 20; i++)
        {
            time.Elapse(TimeSpan.FromSeconds(1));
            pacer.TryBook(-100).ShouldBe(TimeSpan.Zero);
        }

        time.Elapse(TimeSpan.FromSeconds(1));
        pacer.TryBook(-100).ShouldBe(TimeSpan.FromSeconds(40), "the 21st message in a minute waits for the first to age out");

        pacer.HoldBack(7, time.GetUtcNow() + TimeSpan.FromSeconds(30));
        pacer.HeldUntil(7).ShouldBe(time.GetUtcNow() + TimeSpan.FromSeconds(30));
        time.Elapse(TimeSpan.FromSeconds(31));
        pacer.HeldUntil(7).ShouldBeNull();
    }

    [Fact]
    public void The_pacer_keeps_the_global_rate()
    {
        var time = new ManualTime();
        var pacer = new TelegramPacer(Options.Create(new TelegramOptions { PerChatInterval = TimeSpan.Zero, GlobalPerSecond = 3 }), time);

        pacer.TryBook(1).ShouldBe(TimeSpan.Zero);
        pacer.TryBook(2).ShouldBe(TimeSpan.Zero);
        pacer.TryBook(3).ShouldBe(TimeSpan.Zero);
        pacer.TryBook(4).ShouldBe(TimeSpan.FromSeconds(1));
        time.Elapse(TimeSpan.FromSeconds(1));
        pacer.TryBook(4).ShouldBe(TimeSpan.Zero);
    }

    private static RegisterOperation Op(string type, decimal value, long? price = null, decimal? value3 = null) => new()
    {
        TypeHistory = type,
        Value = value,
        Value3 = value3,
        ValueText = price is null ? null : $"{{\"price\":{price}}}",
    };

    private static PosterHistoryRow Row(string type, decimal value, decimal? value2 = null) =>
        new(type, 1_764_000_000_000, value, value2, null, null, "17", "3", null);

    /// <summary>Wall clock and monotonic timestamps both moved by hand.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        private long _ticks;

        public override DateTimeOffset GetUtcNow() => _now;

        public override long GetTimestamp() => _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Elapse(TimeSpan by)
        {
            _now += by;
            _ticks += by.Ticks;
        }
    }
}
