namespace OrderHub.Api.Features.Reconciliation;

/// <summary>The reconciliation's texts in Ukrainian and English: the panel's report and the Telegram summary.</summary>
public static class ReconciliationTexts
{
    public static Dictionary<string, (string Uk, string En)> All => new()
    {
        ["tg.title"] = ("Звірка з касою", "Reconciliation with the register"),
        ["tg.allAtRegister"] = ("Усі {0} замовлень на касі.", "All {0} orders at the register."),
        ["tg.allAtRegister.few"] = ("Усі {0} замовлення на касі.", "All {0} orders at the register."),
        ["tg.allAtRegister.one"] = ("Єдине замовлення дня на касі.", "The day's only order is at the register."),
        ["tg.noOrders"] = ("Замовлень за день не було.", "No orders that day."),
        ["tg.atRegister"] = ("На касі {0} з {1} замовлень. Розбіжності:", "At the register: {0} of {1} orders. Exceptions:"),
        ["tg.more"] = ("…і ще {0} у звіті в панелі.", "…and {0} more in the panel's report."),
        ["tg.cancelled"] = ("Скасовано в Dots (на касі не очікуються): {0}.", "Cancelled in Dots (not expected at the register): {0}."),
        ["tg.failed"] = ("Звірити не вдалося:", "Could not reconcile:"),
        ["tg.open"] = ("Відкрити звіт", "Open the report"),
        ["finding.Missing"] = ("немає на касі", "missing at the register"),
        ["finding.Duplicate"] = ("на касі {0} рази ({1})", "at the register {0} times ({1})"),
        ["finding.TotalDiffers"] = ("інша сума: надіслано {0}, на касі {1} ({2})", "different total: sent {0}, at the register {1} ({2})"),
        ["finding.UnknownAtPos"] = ("на касі з міткою OrderHub, але такого замовлення точки немає ({0})", "at the register with OrderHub's marker, but the point has no such order ({0})"),

        ["recon.title"] = ("Звірка з касою", "Reconciliation with the register"),
        ["recon.help"] = ("Щодня після завершення дня (у часовому поясі точки) OrderHub порівнює прийняті в Dots замовлення з тим, що має каса: відсутні, подвійні й з іншою сумою.",
            "Every day, once it has ended (in the point's time zone), OrderHub compares the orders Dots accepted with what the register has: missing, doubled and with another total."),
        ["recon.run"] = ("Звірити", "Reconcile"),
        ["recon.day"] = ("День", "Day"),
        ["recon.history"] = ("Історія звірок", "Past reconciliations"),
        ["recon.none"] = ("Звірок ще не було.", "No reconciliations yet."),
        ["recon.state"] = ("Стан", "State"),
        ["recon.state.Running"] = ("триває", "running"),
        ["recon.state.Done"] = ("готово", "done"),
        ["recon.state.Failed"] = ("не вдалася", "failed"),
        ["recon.trigger.Automatic"] = ("автоматично", "automatic"),
        ["recon.trigger.Manual"] = ("вручну", "by hand"),
        ["recon.expected"] = ("Очікувалось", "Expected"),
        ["recon.atPos"] = ("На касі", "At the register"),
        ["recon.cancelled"] = ("Скасовано", "Cancelled"),
        ["recon.exceptions"] = ("Розбіжності", "Exceptions"),
        ["recon.finding"] = ("Що знайдено", "Finding"),
        ["recon.order"] = ("Замовлення", "Order"),
        ["recon.exportState"] = ("Стан експорту", "Export state"),
        ["recon.redrive"] = ("Надіслати на касу знову", "Send to the register again"),
        ["recon.redriven"] = ("Надіслано знову {0}", "Sent again by {0}"),
        ["recon.redriveDone"] = ("Замовлення #{0} знову поставлено в чергу на касу.", "Order #{0} is queued for the register again."),
        ["recon.ran"] = ("Звірку за {0} виконано.", "The reconciliation of {0} is done."),
        ["recon.busy"] = ("Звірка цього дня саме триває; оновіть сторінку за мить.", "This day is being reconciled right now; reload the page in a moment."),
        ["recon.noFindings"] = ("Розбіжностей немає.", "No exceptions."),
        ["recon.back"] = ("До звірок", "Back to reconciliations"),
        ["recon.error"] = ("Помилка", "Error"),
        ["recon.finishedAt"] = ("Завершено", "Finished"),
    };

    /// <summary>"All N orders at the register", with the Ukrainian noun agreeing with N (замовлення / замовлень).</summary>
    public static string AllAtRegister(int count, string language) => string.Format(System.Globalization.CultureInfo.InvariantCulture,
        Get(count == 1 ? "tg.allAtRegister.one" : count % 10 is >= 2 and <= 4 && count % 100 is < 12 or > 14 || count % 10 == 1 && count % 100 != 11 ? "tg.allAtRegister.few" : "tg.allAtRegister", language),
        count);

    private static readonly Dictionary<string, (string Uk, string En)> Texts = All;

    /// <summary>The text in <paramref name="language"/> (<c>uk</c> or anything else for English).</summary>
    public static string Get(string key, string language) =>
        Texts.TryGetValue(key, out var text) ? language == "uk" ? text.Uk : text.En : key;
}
