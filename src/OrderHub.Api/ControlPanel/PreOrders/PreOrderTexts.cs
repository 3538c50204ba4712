namespace OrderHub.Api.ControlPanel.PreOrders;

/// <summary>The texts of held pre-orders (point setting, order page and list) and of the webhook POS catch-up feed's status.</summary>
public static class PreOrderTexts
{
    public static Dictionary<string, (string Uk, string En)> All => new()
    {
        ["held.title"] = ("Попередні замовлення", "Pre-orders"),
        ["held.mode"] = ("Замовлення на певний час", "Orders for a set time"),
        ["held.atOnce"] = ("надсилати в POS одразу", "send to the POS at once"),
        ["held.hold"] = ("притримувати до часу доставки мінус час приготування", "hold until the delivery time minus the preparation time"),
        ["held.preparation"] = ("Час приготування, хв", "Preparation time, minutes"),
        ["held.help"] = ("Притримане замовлення стоїть у черзі й надходить у POS за стільки хвилин до часу доставки; замовлення без часу доставки або з уже пройденим часом іде одразу.",
            "A held order waits in the queue and reaches the POS this many minutes before its delivery time; an order without a delivery time, or whose time has passed, goes at once."),
        ["held.saved"] = ("Налаштування попередніх замовлень збережено.", "Pre-order settings saved."),
        ["held.until"] = ("притримано до {0}", "held until {0}"),
        ["held.untilLong"] = ("Попереднє замовлення притримано: надійде в POS о {0}.", "Pre-order held: it goes to the POS at {0}."),
        ["held.sendNow"] = ("Надіслати зараз", "Send now"),
        ["held.sent"] = ("Замовлення надіслано в POS раніше часу.", "The order is on its way to the POS ahead of time."),
        // The dashboard keeps held pre-orders apart from orders stuck in the queue, and so do the lists it links to.
        ["dashboard.held"] = ("попередніх замовлень відкладено до свого часу", "pre-orders held until their time"),
        ["orders.heldOnly"] = ("Лише притримані попередні замовлення: кожне піде в POS у зазначений час.", "Held pre-orders only: each goes to the POS at the time shown."),
        ["orders.heldLeftOut"] = ("Без притриманих попередніх замовлень: вони чекають свого часу, а не каси.", "Held pre-orders left out: they wait for their time, not for the register."),

        ["feed.title"] = ("Стрічка наздоганяння", "Catch-up feed"),
        ["feed.help"] = ("Каса, що була недоступна, забирає пропущені повідомлення з GET /api/pos-feed/{0} і підтверджує прочитане.",
            "A register that was down pulls the messages it missed from GET /api/pos-feed/{0} and acknowledges what it stored."),
        ["feed.acked"] = ("Останнє підтверджене", "Last acknowledged"),
        ["feed.never"] = ("ще нічого не підтверджено", "nothing acknowledged yet"),
        ["feed.latest"] = ("Останнє повідомлення", "Latest message"),
        ["feed.behind"] = ("Непідтверджених", "Not acknowledged"),
        ["feed.upToDate"] = ("усе підтверджено", "all acknowledged"),
        ["feed.behindSince"] = ("{0}; найстаріше від {1}", "{0}; the oldest since {1}"),
    };
}
