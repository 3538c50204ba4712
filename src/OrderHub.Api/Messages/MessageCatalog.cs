using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrderHub.Api.Messages;

/// <summary>
/// Every message key OrderHub stores (history rows, hints) with its Ukrainian and English text; placeholders are the
/// argument names in braces (<c>{target}</c>). English is the API's default and the text stored beside the key,
/// so rows written before a key existed, or read by an older build, still read as today's English.
/// </summary>
public static partial class MessageCatalog
{
    public const string English = "en";
    public const string Ukrainian = "uk";

    internal static readonly JsonSerializerOptions ArgsJsonOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly IReadOnlyDictionary<string, (string Uk, string En)> Texts = new Dictionary<string, (string Uk, string En)>(StringComparer.Ordinal)
    {
        // Terms: words passed as arguments of other messages.
        ["term.noPos"] = ("без POS", "no POS"),

        // Cancellations after export (Dispatching/CancellationRouting).
        ["cancel.queued"] = ("Скасування в Dots{because} поставлено в чергу для POS.", "The cancellation in Dots{because} is queued for the POS."),
        ["cancel.posterCannot"] = ("Скасовано в Dots{because} після того, як замовлення дійшло до Poster, а Poster не має виклику скасування: потрібна дія на касі.",
            "Cancelled in Dots{because} after it reached Poster, which has no cancel call: the order needs action at the register."),
        ["cancel.posCannot"] = ("Скасовано в Dots{because} після того, як замовлення дійшло до POS, якому зараз не можна про це сказати: потрібна дія на касі.",
            "Cancelled in Dots{because} after it reached the POS, which cannot be told now: the order needs action at the register."),
        ["hint.cancelAtRegister"] = ("Зателефонуйте на точку видачі, щоб касир скасував (відхилив або видалив) замовлення на касі.",
            "Phone the pickup point and have the cashier cancel (reject or delete) the order at the register."),

        // Export outcomes (Dispatching/ExportOutcomeWriter).
        ["export.delivered"] = ("Передано в POS ({target}){posId} зі спроби {attempt}.", "Delivered to the POS ({target}){posId} on attempt {attempt}."),
        ["export.foundExisting"] = ("Знайдено в POS ({target}) після неясної спроби{posId}: повторно не надсилалося.",
            "Found at the POS ({target}) after an unclear attempt{posId}: not sent again."),
        ["export.cancelDelivered"] = ("POS ({target}) повідомлено, що замовлення скасовано в Dots{because}.",
            "The POS ({target}) was told that the order was cancelled in Dots{because}."),
        ["export.posId"] = (" як замовлення POS {posOrderId}", " as POS order {posOrderId}"),
        ["export.retrying"] = ("Спроба {attempt} не вдалася: {detail} Наступна спроба о {next} UTC.",
            "Attempt {attempt} failed: {detail} Next attempt at {next} UTC."),
        ["export.gaveUp"] = ("Спроба {attempt} не вдалася: {detail} Більше не пробуємо: POS ({target}) не приймає замовлення з {since} UTC.",
            "Attempt {attempt} failed: {detail} Gave up: the POS ({target}) has not taken it since {since} UTC."),
        ["export.refused"] = ("POS ({target}) відхилив замовлення: {detail}", "The POS ({target}) refused the order: {detail}"),
        ["export.cancelNotTold"] = ("Скасовано в Dots{because}; POS не повідомлено: {failure}", "Cancelled in Dots{because}; the POS was not told: {failure}"),
        ["hint.cancelNotTold"] = ("Зателефонуйте на точку видачі, щоб касир скасував замовлення на касі.", "Phone the pickup point and have the cashier cancel the order at the register."),
        ["hint.checkOrderAndPos"] = ("Перевірте товари замовлення й налаштування POS точки видачі, потім експортуйте замовлення знову.",
            "Check the order's items and the POS settings of the pickup point, then export the order again."),
        ["term.posterTarget"] = ("обліковий запис Poster «{account}», заклад {spot}", "Poster account '{account}', spot {spot}"),
        ["term.webhookTarget"] = ("webhook POS {host}", "webhook POS {host}"),
        ["term.otherTarget"] = ("POS {kind}", "{kind} POS"),
        ["hint.posUnreachable"] = ("Перевірте, що POS точки «{point}» увімкнений і доступний, потім експортуйте замовлення знову; OrderHub спершу шукає його в POS, тож двічі воно не потрапить.",
            "Check that the POS of pickup point '{point}' is online and reachable, then export the order again; OrderHub looks it up first, so it will not arrive twice."),

        // Orders: acceptance, resolution, export requests (Features/Orders).
        ["order.received"] = ("Замовлення {number} прийнято в Dots для точки видачі «{point}»: позицій {items}, сума {total} {currency}.",
            "Order {number} accepted in Dots for pickup point '{point}': {items} items, total {total} {currency}."),
        ["order.totalMismatch"] = ("Сума замовлення {total} відрізняється від суми його рядків на {difference} (округлення); прийнято, як надіслано.",
            "The order's total {total} differs from its lines by {difference} (rounding); accepted as sent."),
        ["hint.totalMismatch"] = ("Через копійку округлення нічого робити не треба; якщо повторюється, перевірте ціни в Dots.",
            "No action needed for a kopeck of rounding; check the prices in Dots if it recurs."),
        ["term.kind.product"] = ("товару", "product"),
        ["term.kind.variant"] = ("варіанта", "variant"),
        ["term.kind.modifier"] = ("модифікатора", "modifier"),
        ["term.kind.promotion"] = ("акції", "promotion"),
        ["mapping.missing"] = ("Немає зовнішнього ID для {kind} «{name}» ({dotsId}) у точці видачі «{point}».",
            "No external ID for {kind} '{name}' ({dotsId}) at pickup point '{point}'."),
        ["hint.addExternalId"] = ("Додайте зовнішній ID для {kind} «{name}» ({dotsId}) у точці видачі «{point}» (або як типовий для компанії), потім експортуйте замовлення знову.",
            "Add the external ID for {kind} '{name}' ({dotsId}) at pickup point '{point}' (or as a company default), then export the order again."),
        ["order.resolved"] = ("Усі позиції ({count}) зіставлено для точки видачі «{point}».", "All {count} items resolved for pickup point '{point}'."),
        ["export.noPos"] = ("Точка видачі «{point}» не має POS-інтеграції, тож замовлення не можна експортувати.",
            "Pickup point '{point}' has no POS integration, so the order cannot be exported."),
        ["hint.setUpPos"] = ("Налаштуйте POS-інтеграцію точки видачі «{point}», потім експортуйте замовлення.", "Set up the POS integration of pickup point '{point}', then export the order."),
        ["export.posDisabled"] = ("POS-інтеграцію точки видачі «{point}» вимкнено{why}.", "The POS integration of pickup point '{point}' is disabled{why}."),
        ["hint.enablePos"] = ("Перевірте й увімкніть POS-інтеграцію точки видачі «{point}», потім експортуйте замовлення.",
            "Check and enable the POS integration of pickup point '{point}', then export the order."),
        ["export.awaitingManual"] = ("У точці видачі «{point}» вимкнено автоматичну передачу після прийому: замовлення чекає ручного експорту.",
            "Auto-sync on acceptance is off at pickup point '{point}': the order waits for a manual export."),
        ["export.queued"] = ("Поставлено в чергу на експорт у POS точки видачі «{point}».", "Queued for export to the POS of pickup point '{point}'."),
        ["export.requested"] = ("Запитано експорт.", "Export requested."),
        ["export.redriven"] = ("Експорт запитано знову (масовий повторний запуск замовлень з помилкою).", "Export requested again (bulk re-drive of failed orders)."),
        ["export.forced"] = ("Надіслано знову примусово (надсилання {generation}): {reason}", "Sent again by force (send {generation}): {reason}"),
        ["export.cancelledBefore"] = ("Знято з експорту: замовлення скасували раніше, ніж воно дійшло до POS.", "Removed from export: the order was cancelled before it reached the POS."),

        // Dots status events (Features/Orders/ApplyStatusChange) and inbound events.
        ["dots.cancelled"] = ("Скасовано в Dots{reason}.", "Cancelled in Dots{reason}."),
        ["dots.statusChanged"] = ("Статус у Dots змінився з «{from}» на «{to}».", "Status changed in Dots from '{from}' to '{to}'."),
        ["dots.paid"] = ("Dots повідомляє, що замовлення оплачено{paymentType}.", "Dots reports the order paid{paymentType}."),
        ["dots.statusAfterExport"] = ("Статус змінився після експорту: POS не оновлено (тепер «{status}» у Dots).", "Status changed after export: the POS is not updated (now '{status}' in Dots)."),
        ["hint.statusAfterExport"] = ("Відтепер керуйте цим замовленням на касі: Dots і POS більше не узгоджуються щодо його статусу.",
            "Manage this order at the register from now on; Dots and the POS no longer agree on its status."),
        ["dots.cancelledInFlight"] = ("Скасовано в Dots, поки замовлення надсилалося в POS: POS повідомлять, щойно замовлення в ньому з'явиться.",
            "Cancelled in Dots while the order was being sent to the POS: the POS is told as soon as it has the order."),
        ["event.unrouted"] = ("Замовлення {number} вказує точку видачі (companyAddressId) «{address}», якої не налаштовано в компанії «{company}».",
            "Order {number} names pickup point (companyAddressId) '{address}', which is not configured for company '{company}'."),
        ["hint.addPickupPoint"] = ("Додайте точку видачі з companyAddressId «{address}» до компанії «{company}», потім повторіть цю подію зі списку подій без точки.",
            "Add a pickup point with companyAddressId '{address}' to company '{company}', then replay this event from the unrouted list."),
        ["event.replayed"] = ("Повторено після того, як точку видачі «{point}» налаштували.", "Replayed after pickup point '{point}' was configured."),
        ["event.ignored"] = ("Подія типу «{type}» не з тих, на які OrderHub реагує; її збережено без змін.", "Event type '{type}' is not one OrderHub acts on; it is kept unchanged."),
        ["hint.unknownEventType"] = ("Нічого робити не треба, хіба що Dots почав надсилати новий тип подій; тоді повідомте команду OrderHub.",
            "Nothing to do unless Dots started sending a new event type; then tell the OrderHub team."),

        // Statuses the POS reports (Features/Webhooks).
        ["pos.rejected"] = ("Каса відхилила замовлення{why}", "The register rejected the order{why}"),
        ["pos.accepted"] = ("Каса прийняла замовлення.", "The register accepted the order."),
        ["pos.closed"] = ("Замовлення закрито на касі.", "The order was closed at the register."),
        ["pos.cashierRejected"] = ("Касир відхилив замовлення на касі. {detail}", "The cashier rejected the order at the register. {detail}"),
        ["hint.posRejected"] = ("Зателефонуйте на точку видачі й дізнайтеся причину, потім повідомте клієнта або усуньте причину й експортуйте замовлення знову примусово.",
            "Phone the pickup point to learn why, then tell the customer or fix the cause and export the order again with force."),
        ["poster.status"] = ("Онлайн-замовлення Poster {posOrderId}: {status}{check}", "Poster online order {posOrderId} is {status}{check}"),
        ["poster.statusCheck"] = (" (чек {transaction}).", " (check {transaction})."),
        ["term.posStatus.new"] = ("нове", "new"),
        ["term.posStatus.accepted"] = ("прийняте", "accepted"),
        ["term.posStatus.rejected"] = ("відхилене", "rejected"),

        // Parking (Features/Parking).
        ["parking.unparked"] = ("Вилучено з відкладеної черги «{queue}».", "Taken out of parked queue '{queue}'."),
        ["parking.parked"] = ("Відкладено в чергу «{queue}» користувачем {actor}.", "Parked in queue '{queue}' by {actor}."),

        // Fiscal receipts (Fiscalization/, Features/Fiscal).
        ["term.saleReceipt"] = ("Чек продажу", "Sale receipt"),
        ["term.returnReceipt"] = ("Чек повернення", "Return receipt"),
        ["term.unknown"] = ("невідома", "unknown"),
        ["term.noDetails"] = ("без подробиць", "no details"),
        ["term.byEmail"] = ("електронною поштою", "e-mail"),
        ["term.bySms"] = ("SMS", "SMS"),
        ["term.payment.CASH"] = ("готівка", "CASH"),
        ["term.payment.CASHLESS"] = ("безготівкова", "CASHLESS"),
        ["fiscal.saleQueued"] = ("Чек продажу {receipt} поставлено в чергу для {provider} («{connection}»): товарів {goods}, сума {total} грн, оплата: {payment}.{copy}",
            "Sale receipt {receipt} queued for {provider} ('{connection}'): {goods} goods, total {total} UAH, payment {payment}.{copy}"),
        ["fiscal.copyNote"] = (" Копія: {note}.", " Copy: {note}."),
        ["fiscal.refundQueued"] = ("Чек повернення {receipt} поставлено в чергу до чека продажу {sale} (фіскальний номер {fiscalCode}): товарів {goods}, {total} грн{reasonPart}.",
            "Return receipt {receipt} queued for sale receipt {sale} (fiscal number {fiscalCode}): {goods} goods, {total} UAH{reasonPart}."),
        ["fiscal.refundReason"] = ("; причина: {reason}", "; reason: {reason}"),
        ["fiscal.markedPaid"] = ("Оператор позначив замовлення оплаченим ({payment}){noReceipts}.", "Marked paid ({payment}) by an operator{noReceipts}."),
        ["fiscal.noReceiptsPart"] = ("; точка видачі не видає фіскальних чеків", "; the pickup point issues no fiscal receipts"),
        ["fiscal.personalTaxNumber"] = ("Це схоже на особистий податковий номер (РНОКПП), а не на фіскальний номер каси (ФН ПРРО): скопіюйте ФН ПРРО з кабінету провайдера (картка каси).",
            "This looks like a personal tax number (РНОКПП), not the register's fiscal number (ФН ПРРО): copy the ФН ПРРО from the provider's cabinet (the register's card)."),
        ["fiscal.noUserLinked"] = ("Користувача не прив'язано: цей працівник може видавати лише автоматичні чеки як касир точки.",
            "No user is linked: this employee can only issue automatic receipts as the point's cashier."),
        ["fiscal.retried"] = ("Чек {receipt} повторено з тим самим ID, касир «{cashier}».", "Receipt {receipt} retried with the same id, cashier '{cashier}'."),
        ["fiscal.markedFound"] = ("{what} {receipt}: оператор знайшов його в кабінеті {provider}, фіскальний номер {fiscalCode}. Повторно не надсилається.",
            "{what} {receipt} marked found in the {provider} cabinet by an operator: fiscal number {fiscalCode}. Not sent again."),
        ["fiscal.sentAgainByOperator"] = ("Чек {receipt} надіслано знову: оператор не знайшов його в кабінеті {provider}.",
            "Receipt {receipt} sent again by an operator who found it absent in the {provider} cabinet."),
        ["fiscal.done"] = ("{what} {receipt} фіскалізовано через {by}{foundExisting}{sentAgain}: фіскальний номер {fiscalCode}.",
            "{what} {receipt} fiscalized by {by}{foundExisting}{sentAgain}: fiscal number {fiscalCode}."),
        ["fiscal.foundExisting"] = (" (знайдено після неясної спроби: повторно не надсилався)", " (found after an unclear attempt: not sent again)"),
        ["fiscal.sentAgainPart"] = (" ({sentAgainText})", " ({sentAgainText})"),
        ["fiscal.sentAgain.checkboxMissing"] = ("Checkbox не мав його після неясної спроби: надіслано знову з тим самим ID",
            "Checkbox did not have it after the unclear attempt: sent again with the same id"),
        ["fiscal.sentAgain.checkboxRefused"] = ("Checkbox відмовився його показати ({said}): надіслано знову з тим самим ID, який Checkbox відхилить, якщо чек у нього є",
            "Checkbox refused to show it ({said}): sent again with the same id, which Checkbox refuses if it has it"),
        ["fiscal.sentAgain.cashalot"] = ("Каса Cashalot {register} досі очікувала локальний номер {local}: неясна спроба чека не створила, тож його надіслано знову",
            "Cashalot's register {register} still expected local number {local}: the unclear attempt made no check, so it was sent again"),
        ["fiscal.sentToPrint"] = ("{what} {receipt} надіслано на друк: {detail}{sentAgain}", "{what} {receipt} sent to print: {detail}{sentAgain}"),
        ["fiscal.notIssued"] = ("{what} {receipt} не видано: {detail}", "{what} {receipt} not issued: {detail}"),
        ["fiscal.unclear"] = ("{what} {receipt}: невідомо, чи його фіскалізовано. {detail} Сам по собі повторно не надсилається; OrderHub і далі його шукає.",
            "{what} {receipt} is unclear: {detail} It is not sent again by itself; OrderHub keeps looking it up."),
        ["fiscal.stillUnclear"] = ("{what} {receipt} досі неясний після пошуку {lookup}: {detail} Наступний пошук о {next} UTC.",
            "{what} {receipt} still unclear after lookup {lookup}: {detail} Next lookup at {next} UTC."),
        ["fiscal.gaveUp"] = ("Більше не пробуємо після {attempts} спроб: {detail}", "Gave up after {attempts} attempts: {detail}"),
        ["fiscal.receiptFailed"] = ("{what} {receipt}: {failure}", "{what} {receipt}: {failure}"),
        ["hint.fiscal.unreachable"] = ("Перевірте, що фіскальний сервіс доступний, потім повторіть чек: його буде надіслано з тим самим ID {receipt}, тож двічі його не фіскалізують.",
            "Check that the fiscal provider is reachable, then retry the receipt: it is sent again with the same id {receipt}, so it cannot be fiscalized twice."),
        ["fiscal.retrying"] = ("{what} {receipt}, спроба {attempt} не вдалася: {detail} Наступна спроба о {next} UTC з тим самим ID.",
            "{what} {receipt}, attempt {attempt} failed: {detail} Next attempt at {next} UTC with the same id."),
        ["fiscal.noConnection"] = ("Точка видачі «{point}» більше не має фіскального підключення.", "Pickup point '{point}' has no fiscal connection any more."),
        ["hint.fiscal.setUpConnection"] = ("Налаштуйте фіскальне підключення «{point}» (або типове для компанії), потім повторіть чек.",
            "Set up the fiscal connection of '{point}' (or the company's default), then retry the receipt."),
        ["fiscal.linkYourUser"] = ("Прив'яжіть свого користувача до працівника", "Link your user to an employee"),
        ["fiscal.enterFiscalNumber"] = ("Введіть фіскальний номер працівника (ФН ПРРО)", "Enter the employee's fiscal number (ФН ПРРО)"),
        ["fiscal.noCashier"] = ("Прив'яжіть користувача до працівника: точка видачі «{point}» не має працівника-касира для автоматичних чеків.",
            "Link your user to an employee: pickup point '{point}' has no cashier employee for automatic receipts."),
        ["fiscal.noFiscalNumber"] = ("Введіть фіскальний номер працівника (ФН ПРРО): у працівника «{employee}» його немає.",
            "Enter the employee's fiscal number (ФН ПРРО): employee '{employee}' has none."),
        ["hint.fiscal.linkYourUser"] = ("Прив'яжіть свого користувача до працівника: додайте (або змініть) працівника точки видачі «{point}» з userName «{user}» (POST /api/pickup-points/{pointId}/fiscal-employees).",
            "Link your user to an employee: add (or edit) an employee of pickup point '{point}' with userName '{user}' (POST /api/pickup-points/{pointId}/fiscal-employees)."),
        ["hint.fiscal.enterFiscalNumber"] = ("Введіть фіскальний номер працівника (ФН ПРРО) для «{employee}»: фіскальний номер каси з кабінету провайдера, а не особистий податковий номер.",
            "Enter the employee's fiscal number (ФН ПРРО) for '{employee}': the register's fiscal number from the provider's cabinet, not the personal tax number."),
        ["hint.fiscal.noCashier"] = ("Прив'яжіть користувача до працівника точки видачі «{point}» і позначте його касиром (isDefaultCashier), потім повторіть чек (POST /api/pickup-points/{pointId}/fiscal-employees).",
            "Link a user to an employee at pickup point '{point}' and mark them as its cashier (isDefaultCashier), then retry the receipt (POST /api/pickup-points/{pointId}/fiscal-employees)."),
        ["fiscal.noCheckboxCredentials"] = ("Фіскальне підключення не має ліцензійного ключа Checkbox або PIN-коду касира.", "The fiscal connection has no Checkbox license key or cashier PIN."),
        ["hint.fiscal.enterLicenseAndPin"] = ("Перевірте дані підключення: введіть ліцензійний ключ каси й PIN-код касира у фіскальному підключенні «{point}».",
            "Check the connection data: enter the register's license key and the cashier's PIN in the fiscal connection of '{point}'."),
        ["fiscal.noCashalotKey"] = ("Фіскальне підключення не має ключа Cashalot.", "The fiscal connection has no Cashalot key."),
        ["hint.fiscal.uploadKey"] = ("Перевірте дані підключення: завантажте ключ (сертифікат, закритий ключ, пароль) у фіскальне підключення «{point}».",
            "Check the connection data: upload the key (certificate, private key, password) in the fiscal connection of '{point}'."),
        ["fiscal.checkboxHidesExisting"] = ("Checkbox має чек {receipt} (receipt.already_exists), але відмовляється його показати ({said}).",
            "Checkbox has receipt {receipt} (receipt.already_exists) but refuses to show it ({said})."),
        ["fiscal.cashalotNoLocalNumber"] = ("Чек Cashalot {receipt} надіслано без локального номера, за яким його можна знайти.", "Cashalot receipt {receipt} was sent without a local number to look it up by."),
        ["fiscal.cashalotClaimLost"] = ("Cashalot: чек узяла інша спроба; нічого не надіслано.", "Cashalot: the receipt was claimed by another attempt; nothing sent."),
        ["fiscal.cashalotShiftClosed"] = ("Cashalot: зміна закрилася перед самим чеком; наступна спроба її відкриє.", "Cashalot: the shift closed just before the check; the next attempt opens it."),
        ["fiscal.cashalotStateRefused"] = ("Cashalot відмовився показати стан каси {register} ({said}), тож чек {receipt} не можна знайти.",
            "Cashalot refused to show register {register}'s state ({said}), so receipt {receipt} cannot be looked up."),
        ["fiscal.cashalotStateUnread"] = ("Cashalot: не вдалося прочитати стан каси, щоб знайти чек ({said}); шукаємо пізніше, нічого не надіслано.",
            "Cashalot: the register's state could not be read to look the receipt up ({said}); looking again later, nothing sent."),
        ["fiscal.cashalotOtherDocument"] = ("Документ {local} каси {register} інший (фіскальний номер {fiscalNumber}, сума {sum}): чек {receipt} може бути, а може й не бути серед пізніших.",
            "Register {register}'s document {local} is another one (fiscal number {fiscalNumber}, sum {sum}): receipt {receipt} may or may not be among the later ones."),
        ["fiscal.cashalotMovedPast"] = ("Каса Cashalot {register} пішла далі за локальний номер {local} (наступний {nextLocal}) і відмовилася показати той документ ({said}).",
            "Cashalot's register {register} moved past local number {local} (next is {nextLocal}) and refused to show that document ({said})."),
        ["fiscal.cashalotDocumentUnread"] = ("Cashalot: не вдалося прочитати документ {local} ({said}); шукаємо пізніше, нічого не надіслано.",
            "Cashalot: document {local} could not be read ({said}); looking again later, nothing sent."),
        ["hint.fiscal.unclear"] = ("Пошукайте в кабінеті {provider} чек {receipt} ({total} грн{registerPart}{localPart}) точки «{point}»: якщо він там є, позначте його знайденим із фіскальним номером; якщо немає — надішліть знову. Сам по собі він повторно не надсилається.",
            "Check the {provider} cabinet for receipt {receipt} ({total} UAH{registerPart}{localPart}) at '{point}'; if it is there, mark it found with its fiscal number; if it is not, send it again. It is not sent again by itself."),
        ["fiscal.registerPart"] = (", каса {register}", ", register {register}"),
        ["fiscal.localPart"] = (", локальний номер {local}", ", local number {local}"),
        ["fiscal.couldNotFiscalize"] = ("{provider} не зміг фіскалізувати чек: {refusal}", "{provider} could not fiscalize the receipt: {refusal}"),
        ["fiscal.taken"] = ("{provider} прийняв чек ({status}); чекаємо на фіскальний номер.", "{provider} took the receipt ({status}); waiting for its fiscal number."),
        ["fiscal.ambiguous"] = ("{provider}: {said} Чек міг бути фіскалізований; наступна спроба спершу його перевірить.", "{provider}: {said} It may have been fiscalized; the next attempt reads it back first."),
        ["fiscal.providerSaid"] = ("{provider}: {said}", "{provider}: {said}"),
        ["fiscal.copy.noContact"] = ("Немає правильного контакту (контакт для чеків адреси, e-mail клієнта, мобільний телефон адреси): копію не надіслано.",
            "No valid contact (the address's receipt contact, the customer's e-mail, a mobile phone of the address): no copy sent."),
        ["fiscal.copy.cashalotPhoneOnly"] = ("Cashalot надсилає копії лише на телефон; контакт чека — e-mail ({contact}, {source}): копію не надіслано.",
            "Cashalot sends copies to a phone only; the receipt's contact is an e-mail ({contact}, {source}): no copy sent."),
        ["fiscal.copy.sent"] = ("Копію надіслано ({by}) на {contact} ({source}).", "Copy sent by {by} to {contact} ({source})."),
        ["fiscal.copy.failed"] = ("Не вдалося надіслати копію ({by}) на {contact}: {said}.", "The copy by {by} to {contact} failed: {said}."),

        // Provider refusals (Fiscalization/FiscalMessages): the provider's own words stay as they came.
        ["fiscal.refused.licenseKey"] = ("Checkbox не знає ліцензійного ключа каси ({said}).", "Checkbox does not know the register's license key ({said})."),
        ["fiscal.refused.pin"] = ("Checkbox не прийняв PIN-код касира ({said}).", "Checkbox refused the cashier's PIN ({said})."),
        ["fiscal.refused.staleToken"] = ("Checkbox не прийняв токен входу ({said}).", "Checkbox refused the sign-in token ({said})."),
        ["fiscal.refused.validation"] = ("{provider} відхилив чек: {said}", "{provider} refused the receipt: {said}"),
        ["fiscal.refused.noRegister"] = ("Cashalot не має каси з таким фіскальним номером ({said}).", "Cashalot has no register with this fiscal number ({said})."),
        ["fiscal.refused.noAccess"] = ("Власник ключа не має права працювати з цією касою ({said}).", "The key's owner may not operate this register ({said})."),
        ["fiscal.refused.tin"] = ("Податковий номер ключа не збігається з власником каси ({said}).", "The key's tax number does not match the register's owner ({said})."),
        ["fiscal.refused.cryptography"] = ("Cashalot не зміг використати ключ ({said}).", "Cashalot could not use the key ({said})."),
        ["fiscal.refused.shiftNotClosed"] = ("Попередню зміну каси не закрито ({said}).", "The register's previous shift was not closed ({said})."),
        ["fiscal.refused.localNumber"] = ("Локальна нумерація каси збилася ({said}).", "The register's local numbering is out of step ({said})."),
        ["fiscal.refused.documentValidation"] = ("Cashalot відхилив чек: {said}", "Cashalot refused the receipt: {said}"),
        ["fiscal.refused.offline"] = ("Каса не може працювати офлайн, поки податковий сервер недоступний ({said}).", "The register cannot work offline while the tax server is away ({said})."),
        ["fiscal.refused.license"] = ("Ліцензія Cashalot цієї каси цього не дозволяє ({said}).", "The register's Cashalot license does not allow this ({said})."),
        ["fiscal.refused.noDetails"] = ("{provider} відхилив запит без подробиць.", "{provider} refused the request without details."),
        ["fiscal.refused.other"] = ("{provider} відхилив запит: {said}", "{provider} refused the request: {said}"),
        ["hint.fiscal.licenseKey"] = ("Перевірте дані підключення: скопіюйте ліцензійний ключ каси з кабінету Checkbox у фіскальне підключення «{point}», потім перевірте підключення.",
            "Check the connection data: copy the register's license key from the Checkbox cabinet into the fiscal connection of '{point}', then check the connection."),
        ["hint.fiscal.pin"] = ("Перевірте дані підключення: введіть PIN-код касира з розділу керування касирами Checkbox у фіскальне підключення «{point}», потім перевірте підключення.",
            "Check the connection data: enter the cashier's PIN from Checkbox cashier management in the fiscal connection of '{point}', then check the connection."),
        ["hint.fiscal.retryThenCheck"] = ("Повторіть чек; якщо помилка повториться, перевірте дані підключення.", "Retry the receipt; if it recurs, check the connection data."),
        ["hint.fiscal.pricesAndTaxes"] = ("Перевірте ціни товарів і податкові коди в податкових налаштуваннях фіскального підключення, потім повторіть чек.",
            "Check the items' prices and the tax codes in the fiscal connection's tax settings, then retry the receipt."),
        ["hint.fiscal.registerNumber"] = ("Введіть фіскальний номер працівника (ФН ПРРО) точно так, як його показує картка каси в кабінеті Cashalot (не особистий податковий номер), потім повторіть.",
            "Enter the employee's fiscal number (ФН ПРРО) exactly as the register's card in the Cashalot cabinet shows it (not the personal tax number), then retry."),
        ["hint.fiscal.grantAccess"] = ("Надайте касиру ключа доступ до каси в кабінеті Cashalot, потім повторіть.", "Grant the key's cashier access to the register in the Cashalot cabinet, then retry."),
        ["hint.fiscal.ownersKey"] = ("Перевірте дані підключення: завантажте ключ власника каси, потім перевірте підключення.",
            "Check the connection data: upload the key of the register's owner, then check the connection."),
        ["hint.fiscal.uploadKeyAgain"] = ("Перевірте дані підключення: завантажте ключ (сертифікат і закритий ключ) ще раз і введіть його пароль, потім перевірте підключення.",
            "Check the connection data: upload the key (certificate and private key) again and enter its password, then check the connection."),
        ["hint.fiscal.closeShift"] = ("Закрийте попередню зміну Z-звітом у Cashalot, потім повторіть.", "Close the previous shift with a Z report in Cashalot, then retry."),
        ["hint.fiscal.synchronize"] = ("Синхронізуйте касу в кабінеті Cashalot, потім повторіть.", "Synchronize the register in the Cashalot cabinet, then retry."),
        ["hint.fiscal.taxServerBack"] = ("Повторіть чек, коли податковий сервер знову запрацює.", "Retry the receipt when the tax server is back."),
        ["hint.fiscal.renewLicense"] = ("Продовжте ліцензію каси в кабінеті Cashalot, потім повторіть.", "Renew the register's license in the Cashalot cabinet, then retry."),
        ["hint.fiscal.checkConnectionData"] = ("Перевірте дані підключення «{point}» і перевірте підключення.", "Check the connection data of '{point}' and check the connection."),
        ["hint.fiscal.checkConnectionThenRetry"] = ("Перевірте дані підключення «{point}», потім повторіть чек.", "Check the connection data of '{point}', then retry the receipt."),

        // Refusals people read (ProblemDetails title and detail).
        ["problem.validation"] = ("Запит містить помилки.", "One or more validation errors occurred."),
        ["problem.alreadyPaid"] = ("Уже оплачено", "Already paid"),
        ["problem.alreadyPaid.receipt"] = ("Замовлення оплачене й має чек продажу; див. GET /api/orders/{id}/receipts (чек з помилкою повторіть через POST /api/receipts/{id}/retry).",
            "The order is paid and has its sale receipt; see GET /api/orders/{id}/receipts (retry a failed one with POST /api/receipts/{id}/retry)."),
        ["problem.alreadyPaid.noReceipts"] = ("Замовлення вже оплачене, а його точка видачі не видає фіскальних чеків.", "The order is already paid, and its pickup point issues no fiscal receipts."),
        ["problem.alreadyPaid.race"] = ("Інший запит позначив замовлення оплаченим раніше; див. GET /api/orders/{id}/receipts.", "Another request marked the order paid first; see GET /api/orders/{id}/receipts."),
        ["problem.coverageUnknown"] = ("Покриття меню невідоме", "Mapping coverage is unknown"),
        ["problem.coverageBelow"] = ("Покриття меню нижче 100 %", "Mapping coverage is below 100 %"),
        ["problem.coverageUnknown.point"] = ("Автоматичну передачу не можна ввімкнути: для компанії не відомо жодної позиції Dots, тож покриття невідоме: імпортуйте меню Dots (PUT /api/companies/{companyId}/dots-menu) або зберіть його із замовлень (POST …/dots-menu/from-orders).",
            "Auto-sync cannot be switched on: no Dots item is known for the company, so coverage is unknown: import the Dots menu (PUT /api/companies/{companyId}/dots-menu) or collect it from orders (POST …/dots-menu/from-orders)."),
        ["hint.coverageUnknown"] = ("Імпортуйте меню Dots компанії (PUT /api/companies/{companyId}/dots-menu) або зберіть його із замовлень (POST /api/companies/{companyId}/dots-menu/from-orders), зіставте те, чого бракує (GET /api/pickup-points/{pointId}/coverage), або надішліть autoSyncOverrideReason із поясненням, чому передачу все одно треба ввімкнути.",
            "Import the company's Dots menu (PUT /api/companies/{companyId}/dots-menu) or collect it from orders (POST /api/companies/{companyId}/dots-menu/from-orders), map what is missing (GET /api/pickup-points/{pointId}/coverage), or send autoSyncOverrideReason saying why auto-sync must go on anyway."),
        ["problem.coverageBelow.point"] = ("Автоматичну передачу не можна ввімкнути: зовнішній ID у цій точці видачі мають лише {percent} % позицій Dots компанії; бракує {count}: {missing}.",
            "Auto-sync cannot be switched on: {percent} % of the company's Dots items have an external id at this pickup point; {count} missing: {missing}."),
        ["hint.mapMissing"] = ("Зіставте позиції, яких бракує (GET /api/pickup-points/{id}/coverage, потім POST …/coverage/accept), або надішліть autoSyncOverrideReason із поясненням, чому передачу все одно треба ввімкнути.",
            "Map the missing items (GET /api/pickup-points/{id}/coverage, then POST …/coverage/accept), or send autoSyncOverrideReason saying why auto-sync must go on anyway."),
        ["problem.coverage.companyDefault"] = ("Автоматичну передачу не можна ввімкнути для типової інтеграції компанії: точки видачі, що її використовують, зіставлено не повністю: {summary}.",
            "Auto-sync cannot be switched on for the company default: pickup points using it are not fully mapped: {summary}."),
        ["problem.cannotExport"] = ("Замовлення зараз не можна експортувати", "The order cannot be exported now"),
        ["problem.cannotExport.exported"] = ("POS уже має це замовлення. Щоб надіслати його знову (POS його втратив), експортуйте примусово із зазначенням причини.",
            "The POS already has this order. To send it again (the POS lost it), export with force and a reason."),
        ["problem.cannotExport.state"] = ("Замовлення в стані {state}; експортувати можна лише замовлення, яким бракує ID, що чекають експорту або з помилкою.",
            "The order is {state}; only orders that need mapping, await export or failed can be exported."),
        ["problem.alreadyExporting"] = ("Замовлення вже експортується", "The order is already being exported"),
        ["problem.alreadyExporting.detail"] = ("Інший запит на експорт поставив його в чергу раніше.", "Another export request queued it first."),
        ["problem.idsMissing"] = ("Бракує зовнішніх ID", "External IDs are missing"),
        ["problem.idsMissing.detail"] = ("Позицій без зовнішнього ID у точці видачі «{point}»: {count}; замовлення лишається в стані NeedsMapping.",
            "{count} item(s) have no external ID at pickup point '{point}'; the order stays in NeedsMapping."),
        ["problem.pointCannotTake"] = ("Точка видачі не може приймати замовлення", "The pickup point cannot take orders"),
        ["problem.pointCannotTake.noPos"] = ("Точка видачі «{point}» не має POS-інтеграції.", "Pickup point '{point}' has no POS integration."),
        ["problem.pointCannotTake.disabled"] = ("POS-інтеграцію точки видачі «{point}» вимкнено.", "The POS integration of pickup point '{point}' is disabled."),
        // Held pre-orders (issue 18): Shared/HeldPreOrders, Features/Orders/SendHeldOrder.
        ["export.held"] = ("Попереднє замовлення притримано до {time}: точка «{point}» надсилає його в POS за {minutes} хв до часу доставки.",
            "Pre-order held until {time}: pickup point '{point}' sends it to the POS {minutes} minutes before the delivery time."),
        ["export.sentEarly"] = ("Притримане до {time} замовлення надіслано в POS зараз, вручну.", "The order held until {time} was sent to the POS now, by hand."),
        ["problem.notHeld"] = ("Замовлення не притримане", "The order is not held"),
        ["problem.notHeld.detail"] = ("Надіслати зараз можна лише замовлення, що чекає свого часу в черзі до POS.",
            "Only an order waiting for its time in the queue to the POS can be sent now."),

        ["problem.sendingNow"] = ("Замовлення саме зараз надсилається", "The order is being sent right now"),
        ["problem.sendingNow.detail"] = ("Спробуйте ще раз за мить.", "Try again in a moment."),
        ["problem.noSale"] = ("Немає чека продажу", "No sale receipt"),
        ["problem.noSale.detail"] = ("Замовлення не має чека продажу, який можна повернути.", "The order has no sale receipt to refund."),
        ["problem.saleNotFiscalized"] = ("Продаж не фіскалізовано", "Sale not fiscalized"),
        ["problem.saleNotFiscalized.detail"] = ("Чек продажу в стані {state}; для повернення потрібен фіскалізований продаж (зачекайте на нього або повторіть його).",
            "The sale receipt is {state}; a refund needs a fiscalized sale (wait for it, or retry it)."),
        ["problem.noFiscalConnection"] = ("Немає фіскального підключення", "No fiscal connection"),
        ["problem.noFiscalConnection.detail"] = ("Точка видачі «{point}» не має фіскального підключення.", "Pickup point '{point}' has no fiscal connection."),
        ["problem.refundTooMuch"] = ("Повернення більше, ніж продано", "Refund beyond what was sold"),
        ["problem.refundTooMuch.detail"] = ("Повернення просить більше, ніж лишилося повернути за чеком продажу; нічого не повернено.",
            "The refund asks for more than the sale receipt has left to return; nothing was refunded."),
        ["problem.alreadyRefunded"] = ("Уже повернено", "Already refunded"),
        ["problem.alreadyRefunded.detail"] = ("Усе з чека продажу вже повернено.", "Everything on the sale receipt has been refunded."),
        ["problem.refundedConcurrently"] = ("Повернення одночасно з іншим", "Refunded concurrently"),
        ["problem.refundedConcurrently.detail"] = ("Інше повернення цього замовлення зроблено тієї самої миті; перегляньте чеки й спробуйте ще раз.",
            "Another refund of this order was made at the same moment; read the receipts and try again."),
        ["problem.receiptNotInError"] = ("Чек не в стані помилки", "Receipt not in error"),
        ["problem.receiptNotInError.detail"] = ("Чек у стані {state}; повторити можна лише чек у стані Error.", "The receipt is {state}; only a receipt in Error can be retried."),
        ["problem.parkOnlyWaiting"] = ("Відкласти можна лише замовлення, що чекають експорту", "Only orders waiting for export can be parked"),
        ["problem.parkOnlyWaiting.detail"] = ("Замовлення в стані {state}; у відкладених чергах лише замовлення, що чекають ручного експорту (AwaitingExport).",
            "The order is {state}; parked queues hold orders that wait for a manual export (AwaitingExport)."),
        ["problem.notParked"] = ("Подію не відкладено", "Not parked"),
        ["problem.notParked.detail"] = ("Подія в стані {state}; вручну повторюють лише відкладені події.", "The event is {state}; only parked events are retried by hand."),
        ["problem.alreadyHandled"] = ("Уже оброблено", "Already handled"),
        ["problem.alreadyHandled.detail"] = ("Подія в стані {state}; повторити можна лише події без точки видачі.", "The event is {state}; only unrouted events can be replayed."),
        ["problem.cannotReplay"] = ("Не можна повторити", "Cannot be replayed"),
        ["problem.cannotReplay.detail"] = ("Збережене тіло події не є прийнятим замовленням контракту v1.", "The kept payload is not an accepted order of contract v1."),
        ["problem.userNotLinked"] = ("Користувача «{user}» не прив'язано до працівника точки видачі «{point}», тож від його імені не можна видати чек.",
            "User '{user}' is not linked to an employee at pickup point '{point}', so no receipt can be issued in their name."),
        ["problem.noFiscalNumber"] = ("Працівник «{employee}» (користувач «{user}») не має фіскального номера (ФН ПРРО).", "Employee '{employee}' (user '{user}') has no fiscal number (ФН ПРРО)."),

        // A sentence only an older build or an outside system wrote, kept as it came.
        ["text"] = ("{text}", "{text}"),

        // Poster's refusals (Integrations/Poster/PosterErrors): Poster's own words stay quoted as they came.
        ["poster.said"] = (" Poster відповів: «{posterMessage}».", " Poster said: \"{posterMessage}\"."),
        ["poster.tokenExpired"] = ("Poster відхилив токен доступу (помилка {code}: строк дії токена минув).{said}", "Poster refused the access token (error {code}: token expired).{said}"),
        ["poster.noToken"] = ("Poster відхилив токен доступу (помилка {code}: токена немає).{said}", "Poster refused the access token (error {code}: no token).{said}"),
        ["poster.badToken"] = ("Poster відхилив токен доступу (помилка {code}: неправильний токен).{said}", "Poster refused the access token (error {code}: bad token).{said}"),
        ["poster.noRights"] = ("Poster відхилив запит: застосунок не має прав (помилка {code}).{said}", "Poster refused the request: the application lacks rights (error {code}).{said}"),
        ["poster.fieldMissing"] = ("Poster відхилив замовлення: бракує обов'язкового поля (помилка {code}).{said}", "Poster refused the order: a required field is missing (error {code}).{said}"),
        ["poster.idUnknown"] = ("Poster каже, що ID із запиту не існує (помилка {code}).{said}", "Poster says an id in the request does not exist (error {code}).{said}"),
        ["poster.phone"] = ("Poster не прийняв номер телефону клієнта (помилка {code}).{said}", "Poster refused the customer's phone number (error {code}).{said}"),
        ["poster.product"] = ("Poster не знає товару із замовлення (помилка {code}).{said}", "Poster does not know a product in the order (error {code}).{said}"),
        ["poster.modification"] = ("Poster не знає варіанта або модифікатора із замовлення (помилка {code}).{said}", "Poster does not know a variant or modifier in the order (error {code}).{said}"),
        ["poster.spot"] = ("Poster не знає закладу (локації) цієї точки видачі (помилка {code}).{said}", "Poster does not know the spot (location) of this pickup point (error {code}).{said}"),
        ["poster.paymentSum"] = ("Poster каже, що сума оплати відрізняється від суми товарів (помилка {code}).{said}", "Poster says the payment sum differs from the products' sum (error {code}).{said}"),
        ["poster.currency"] = ("Poster не прийняв валюту замовлення (помилка {code}).{said}", "Poster refused the order's currency (error {code}).{said}"),
        ["poster.duplicate"] = ("Poster повідомляє про дублікат (помилка {code}).{said}", "Poster reports a duplicate (error {code}).{said}"),
        ["poster.plan"] = ("Тарифний план цього облікового запису Poster не дозволяє такий виклик (помилка {code}).{said}", "Poster's pricing plan of this account does not allow this call (error {code}).{said}"),
        ["poster.other"] = ("Poster відхилив замовлення з помилкою {code}.{said}", "Poster refused the order with error {code}.{said}"),
        ["poster.cannotCancel"] = ("Poster не має виклику для скасування онлайн-замовлення: замовлення #{number} має скасувати людина на касі.{dotsReason}",
            "Poster has no call to cancel an online order: a person must cancel order #{number} at the register.{dotsReason}"),
        ["poster.dotsReason"] = (" Причина в Dots: {reason}.", " Dots reason: {reason}."),
        ["poster.config.noAccount"] = ("POS-інтеграція не має правильної назви облікового запису Poster. У Poster нічого не надіслано.",
            "The POS integration has no valid Poster account name. Nothing was sent to Poster."),
        ["poster.config.noToken"] = ("POS-інтеграція не має токена Poster. У Poster нічого не надіслано.", "The POS integration has no Poster token. Nothing was sent to Poster."),
        ["poster.config.noSpot"] = ("POS-інтеграція не має ID закладу Poster. У Poster нічого не надіслано.", "The POS integration has no Poster spot id. Nothing was sent to Poster."),
        ["hint.poster.config.noAccount"] = ("Вкажіть назву облікового запису Poster (частину перед .joinposter.com) у POS-інтеграції точки видачі.",
            "Set the Poster account name (the part before .joinposter.com) in the pickup point's POS integration."),
        ["hint.poster.config.noToken"] = ("Вставте API-токен Poster (Доступ → Інтеграції) у POS-інтеграцію точки видачі.",
            "Paste the Poster API token (Access → Integrations) into the pickup point's POS integration."),
        ["hint.poster.config.noSpot"] = ("Вкажіть ID закладу Poster для точки видачі (Poster → Заклади).", "Set the pickup point's Poster spot id (Poster → Locations)."),
        ["poster.notSent"] = ("{problem} У Poster нічого не надіслано.", "{problem} Nothing was sent to Poster."),
        ["poster.build.product"] = ("ID товару Poster «{id}» для «{name}» не є числом, тож Poster не може його знати.", "The Poster product id '{id}' of '{name}' is not a number, so Poster cannot know it."),
        ["poster.build.variant"] = ("ID варіанта Poster «{id}» для «{name}» не є числом.", "The Poster variant id '{id}' of '{name}' is not a number."),
        ["poster.build.modifier"] = ("ID модифікатора Poster «{id}» для «{modifier}» («{name}») не є числом.", "The Poster modifier id '{id}' of '{modifier}' ('{name}') is not a number."),
        ["hint.poster.build.product"] = ("Перевірте ID товару Poster для «{name}» у зовнішніх ID точки видачі.", "Check the Poster product id of '{name}' in the pickup point's external IDs."),
        ["hint.poster.build.variant"] = ("Перевірте ID варіанта (modificator) Poster для «{name}» у зовнішніх ID точки видачі.", "Check the Poster variant (modificator) id of '{name}' in the pickup point's external IDs."),
        ["hint.poster.build.modifier"] = ("Перевірте ID модифікатора страви Poster для «{modifier}» у зовнішніх ID точки видачі.", "Check the Poster dish modifier id of '{modifier}' in the pickup point's external IDs."),
        ["hint.poster.newToken"] = ("Створіть новий API-токен у Poster (Доступ → Інтеграції) і збережіть його в POS-інтеграції точки видачі.",
            "Issue a new API token in Poster (Access → Integrations) and save it in the pickup point's POS integration."),
        ["hint.poster.grantRights"] = ("Дайте інтеграції Poster доступ до онлайн-замовлень (вхідних замовлень) у Poster, потім експортуйте знову.",
            "Give the Poster integration access to online orders (incoming orders) in Poster, then export again."),
        ["hint.poster.fieldMissing"] = ("Перевірте, що замовлення має телефон клієнта й принаймні один зіставлений товар; потім експортуйте знову.",
            "Check that the order has a customer phone and at least one mapped product; then export again."),
        ["hint.poster.checkIds"] = ("Перевірте ID Poster у точці видачі (заклад, товари, модифікатори).", "Check the pickup point's Poster ids (spot, products, modifiers)."),
        ["hint.poster.phone"] = ("Виправте телефон клієнта (міжнародний формат, наприклад +380501234567) і експортуйте знову.",
            "Correct the customer's phone (international format, e.g. +380501234567) and export again."),
        ["hint.poster.products"] = ("Звірте ID товарів Poster у зовнішніх ID точки видачі з меню Poster.", "Check the Poster product ids in the pickup point's external IDs against Poster's menu."),
        ["hint.poster.product"] = ("Перевірте ID товару Poster для {product} у зовнішніх ID точки видачі.", "Check the Poster product id of {product} in the pickup point's external IDs."),
        ["hint.poster.modification"] = ("Перевірте ID варіантів (modificator) і модифікаторів страв Poster у зовнішніх ID точки видачі.",
            "Check the Poster variant (modificator) and dish modifier ids in the pickup point's external IDs."),
        ["hint.poster.spot"] = ("Вкажіть як ID закладу Poster у точці видачі локацію цього облікового запису Poster (Poster → Заклади).",
            "Set the pickup point's Poster spot id to a location of this Poster account (Poster → Locations)."),
        ["hint.poster.paymentSum"] = ("Порівняйте ціни товарів і модифікаторів у Poster і в Dots; замовлення оплачено онлайн на суму з Dots.",
            "Compare the product and modifier prices in Poster with Dots; the order was paid online for its Dots total."),
        ["hint.poster.currency"] = ("Обліковий запис Poster має іншу валюту, ніж компанія в Dots; перевірте, що інтеграція налаштована на правильний обліковий запис.",
            "The Poster account uses another currency than the Dots company; check the integration is for the right account."),
        ["hint.poster.duplicate"] = ("Пошукайте замовлення на касі, перш ніж експортувати знову.", "Look for the order on the register before exporting again."),
        ["hint.poster.plan"] = ("Закладу потрібен тарифний план Poster, що дозволяє приймати онлайн-замовлення через API.",
            "The restaurant must upgrade its Poster plan to accept online orders through the API."),
        ["hint.poster.other"] = ("Прочитайте відповідь Poster; усуньте причину в Poster або в налаштуваннях точки видачі, потім експортуйте знову.",
            "Read Poster's message; fix the cause in Poster or in the pickup point's settings, then export again."),
        ["hint.poster.rejectAtRegister"] = ("Зателефонуйте на точку видачі: нехай відхилять онлайн-замовлення {marker} на касі Poster або анулюють його чек, якщо його вже прийняли.",
            "Call the pickup point: reject online order {marker} on the Poster register, or void its check if it was accepted."),

        // Transport failures at a POS (Integrations/Pos/PosHttp): the exception's own words stay as they came.
        ["transport.via"] = ("{system}: {transport}", "{system}: {transport}"),
        ["transport.circuitOpen"] = ("Не надіслано: у цього POS забагато недавніх збоїв, тож виклики призупинено (запобіжник розімкнено), доки він не відновиться.",
            "Not sent: too many recent failures at this POS, so calls are paused (circuit open) until it recovers."),
        ["transport.timeout"] = ("POS не відповів вчасно; замовлення могло до нього дійти.", "No answer from the POS in time; it may have received the order."),
        ["transport.connect"] = ("Не вдалося з'єднатися з POS: {error}", "Could not connect to the POS: {error}"),
        ["transport.broken"] = ("З'єднання з POS обірвалося до відповіді: {error}", "The connection to the POS broke before it answered: {error}"),

        // A webhook POS's answers (Integrations/WebhookPos).
        ["term.webhook.order"] = ("замовлення", "order"),
        ["term.webhook.cancellation"] = ("скасування", "cancellation"),
        ["term.webhook.ping"] = ("перевірку зв'язку", "ping"),
        ["webhook.gone"] = ("Webhook POS відповів 410 Gone на {what}: він вимкнув цю інтеграцію.", "The webhook POS answered 410 Gone to the {what}: it disabled this integration."),
        ["webhook.auth"] = ("Webhook POS не прийняв підпис або доступ (HTTP {status}).", "The webhook POS refused the signature or access (HTTP {status})."),
        ["webhook.busy"] = ("Webhook POS перевантажений або збоїть (HTTP {status}); надіслати знову безпечно.", "The webhook POS is busy or failing (HTTP {status}); safe to send again."),
        ["webhook.redirect"] = ("Webhook POS відповів перенаправленням (HTTP {status}{to}); за перенаправленнями OrderHub не йде.", "The webhook POS answered a redirect (HTTP {status}{to}); redirects are not followed."),
        ["webhook.redirectTo"] = (" на {location}", " to {location}"),
        ["webhook.rejected"] = ("Webhook POS відхилив {what} (HTTP {status}).", "The webhook POS rejected the {what} (HTTP {status})."),
        ["webhook.unexpected"] = ("Webhook POS дав неочікувану відповідь HTTP {status}.", "The webhook POS answered an unexpected HTTP {status}."),
        ["webhook.noUrl"] = ("POS-інтеграція не має правильного URL вебхука. Нічого не надіслано.", "The POS integration has no valid webhook URL. Nothing was sent."),
        ["webhook.badSecret"] = ("Секрет підпису POS-інтеграції не є правильним секретом whsec_. Нічого не надіслано.", "The POS integration's signing secret is not a valid whsec_ secret. Nothing was sent."),
        ["hint.webhook.noUrl"] = ("Вкажіть абсолютний URL вебхука http(s) у POS-інтеграції точки видачі.", "Set an absolute http(s) webhook URL in the pickup point's POS integration."),
        ["hint.webhook.badSecret"] = ("Створіть новий секрет whsec_ для інтеграції й передайте його власнику POS.", "Generate a new whsec_ secret for the integration and give it to the POS owner."),
        ["hint.webhook.gone"] = ("Запитайте власника POS, чи змінилася адреса; оновіть URL вебхука або вимкніть інтеграцію.",
            "Ask the POS owner whether the endpoint moved; update the webhook URL or disable the integration."),
        ["hint.webhook.auth"] = ("Переконайтеся, що POS та інтеграція мають той самий секрет whsec_ і що годинник POS точний (±5 хвилин).",
            "Make sure the POS and the integration share the same whsec_ secret, and that the POS clock is right (±5 minutes)."),
        ["hint.webhook.redirect"] = ("Вкажіть як URL вебхука кінцеву адресу, яку дає POS.", "Set the webhook URL to the final address the POS gives."),
        ["hint.webhook.rejected"] = ("Прочитайте відповідь POS у фрагменті відповіді; усуньте причину разом із власником POS, потім експортуйте знову.",
            "Read the POS's answer in the response excerpt; fix the cause with the POS owner, then export again."),

        // ── Shadow mode and test orders (issue 18; Features/Shadow, Features/TestOrders) ──
        ["shadow.recordedClean"] = ("Тіньовий режим: запит до POS ({kind}) точки «{point}» зібрано й перевірено за каталогом POS, проблем немає. Нічого не надіслано.",
            "Shadow mode: the request to the POS ({kind}) of pickup point '{point}' was built and checked against the POS catalog: no problems. Nothing was sent."),
        ["shadow.recordedProblems"] = ("Тіньовий режим: запит до POS ({kind}) точки «{point}» зібрано й перевірено за каталогом POS; проблем: {count}. Нічого не надіслано.",
            "Shadow mode: the request to the POS ({kind}) of pickup point '{point}' was built and checked against the POS catalog: {count} problem(s). Nothing was sent."),
        ["hint.shadow.problems"] = ("Відкрийте готовність точки «{point}» до запуску (/panel/points/{id}/go-live): кожна проблема має своє виправлення.",
            "Open the go-live readiness of pickup point '{point}' (/panel/points/{id}/go-live): each problem has its fix."),
        ["shadow.problem.UnknownProduct"] = ("Товару «{name}» з ID POS {id} немає в імпортованому каталозі POS.", "Product '{name}' has POS id {id}, which is not in the imported POS catalog."),
        ["shadow.problem.UnknownVariant"] = ("Варіанта «{name}» з ID POS {id} немає в імпортованому каталозі POS.", "The variant of '{name}' has POS id {id}, which is not in the imported POS catalog."),
        ["shadow.problem.UnknownModifier"] = ("Модифікатора «{name}» з ID POS {id} немає в імпортованому каталозі POS.", "Modifier '{name}' has POS id {id}, which is not in the imported POS catalog."),
        ["shadow.problem.UnknownPromotion"] = ("Акції «{name}» з ID POS {id} немає в імпортованому каталозі POS.", "Promotion '{name}' has POS id {id}, which is not in the imported POS catalog."),
        ["shadow.problem.PriceDifference"] = ("«{name}» (ID POS {id}) коштує в POS {posPrice}, а в замовленні {orderPrice}.", "'{name}' (POS id {id}) costs {posPrice} at the POS and {orderPrice} in the order."),
        ["shadow.problem.NoPosCatalog"] = ("Каталог POS точки «{point}» не імпортовано: ID і ціни не перевірено.", "The POS catalog of pickup point '{point}' has not been imported: ids and prices were not checked."),
        ["shadow.problem.requestInvalid"] = ("Клієнт POS не надіслав би цей запит: {problem}", "The POS client would refuse to send this request: {problem}"),
        ["shadow.problem.requestInvalidText"] = ("Клієнт POS не надіслав би цей запит: {detail}", "The POS client would refuse to send this request: {detail}"),
        ["shadow.kind.UnknownProduct"] = ("Товари, яких немає в каталозі POS", "Products not in the POS catalog"),
        ["shadow.kind.UnknownVariant"] = ("Варіанти, яких немає в каталозі POS", "Variants not in the POS catalog"),
        ["shadow.kind.UnknownModifier"] = ("Модифікатори, яких немає в каталозі POS", "Modifiers not in the POS catalog"),
        ["shadow.kind.UnknownPromotion"] = ("Акції, яких немає в каталозі POS", "Promotions not in the POS catalog"),
        ["shadow.kind.PriceDifference"] = ("Ціна в POS інша, ніж у замовленні", "The POS price differs from the order's"),
        ["shadow.kind.RequestInvalid"] = ("Запит, який POS не прийняв би", "A request the POS client would refuse"),
        ["shadow.kind.NoPosCatalog"] = ("Каталог POS не імпортовано", "No POS catalog imported"),
        ["shadow.kind.MissingExternalId"] = ("Позиції без зовнішнього ID", "Items without an external id"),
        ["shadow.fix.UnknownProduct"] = ("Виправте зовнішній ID товару в зіставленнях точки «{point}» або оновіть каталог POS, якщо товар щойно додано.",
            "Correct the product's external id in the mappings of pickup point '{point}', or refresh the POS catalog if the product is new."),
        ["shadow.fix.UnknownVariant"] = ("Виправте зовнішній ID варіанта в зіставленнях точки «{point}» або оновіть каталог POS.",
            "Correct the variant's external id in the mappings of pickup point '{point}', or refresh the POS catalog."),
        ["shadow.fix.UnknownModifier"] = ("Виправте зовнішній ID модифікатора в зіставленнях точки «{point}» або оновіть каталог POS.",
            "Correct the modifier's external id in the mappings of pickup point '{point}', or refresh the POS catalog."),
        ["shadow.fix.UnknownPromotion"] = ("Виправте зовнішній ID акції в зіставленнях точки «{point}» або оновіть каталог POS.",
            "Correct the promotion's external id in the mappings of pickup point '{point}', or refresh the POS catalog."),
        ["shadow.fix.PriceDifference"] = ("Зрівняйте ціну в POS і в меню Dots (сторінка покриття точки «{point}» показує обидві), потім оновіть каталог POS.",
            "Make the price the same at the POS and in the Dots menu (the coverage page of pickup point '{point}' shows both), then refresh the POS catalog."),
        ["shadow.fix.RequestInvalid"] = ("Перевірте ID у зіставленнях точки «{point}»: Poster приймає лише числові ID.",
            "Check the ids in the mappings of pickup point '{point}': Poster takes numeric ids only."),
        ["shadow.fix.NoPosCatalog"] = ("Імпортуйте каталог POS точки «{point}» (оновлення каталогу на сторінці покриття або завантаження CSV).",
            "Import the POS catalog of pickup point '{point}' (refresh it on the coverage page, or upload a CSV)."),
        ["shadow.fix.MissingExternalId"] = ("Зіставте позиції, яких бракує, на сторінці покриття точки «{point}».", "Map the missing items on the coverage page of pickup point '{point}'."),
        ["term.posMode.Live"] = ("робочий", "live"),
        ["term.posMode.Shadow"] = ("тіньовий", "shadow"),
        ["shadow.modeChanged"] = ("Режим POS-інтеграції точки «{point}» змінено: {from} → {to}.", "The POS integration of pickup point '{point}' switched from {from} to {to} mode."),
        ["problem.shadowNoIntegration"] = ("Точка видачі не має власної POS-інтеграції", "The pickup point has no POS integration of its own"),
        ["problem.shadowNoIntegration.detail"] = ("Режим (робочий чи тіньовий) задається у власній POS-інтеграції точки «{point}»: спершу налаштуйте її.",
            "The mode (live or shadow) belongs to the pickup point's own POS integration: set one up for '{point}' first."),
        ["problem.shadowLiveCoverage"] = ("Покриття меню нижче 100 %", "Mapping coverage is below 100 %"),
        ["problem.shadowLiveCoverage.detail"] = ("Тіньовий режим не можна змінити на робочий: зовнішній ID у цій точці видачі мають лише {percent} % позицій Dots компанії; бракує {count}: {missing}.",
            "Cannot switch from shadow to live: only {percent} % of the company's Dots items have an external id at this pickup point; {count} missing: {missing}."),
        ["problem.shadowLiveCoverageUnknown.detail"] = ("Тіньовий режим не можна змінити на робочий: покриття точки «{point}» невідоме (меню Dots не завантажено).",
            "Cannot switch from shadow to live: the coverage of pickup point '{point}' is unknown (no Dots menu uploaded)."),
        ["hint.shadowLiveCoverage"] = ("Зіставте позиції, яких бракує (GET /api/pickup-points/{id}/coverage, потім POST …/coverage/accept), і перейдіть у робочий режим знову.",
            "Map the missing items (GET /api/pickup-points/{id}/coverage, then POST …/coverage/accept) and switch to live again."),
        ["testOrder.created"] = ("Тестове замовлення {number} для точки «{point}» створено вручну: позицій {items}, сума {total} {currency}.",
            "Test order {number} for pickup point '{point}' created by hand: {items} items, total {total} {currency}."),
        ["testOrder.cancelWebhook"] = ("Webhook POS отримає повідомлення pos-order.cancelled (скасування через чергу експорту).",
            "The webhook POS is sent the pos-order.cancelled message (through the export queue)."),
        ["testOrder.cancelPoster"] = ("Poster не має виклику, щоб скасувати онлайн-замовлення: на касі відхиліть онлайн-замовлення {marker}, а якщо його вже прийнято — видаліть його чек.",
            "Poster has no call to cancel an online order: at the register, reject online order {marker}, or, if it was accepted already, delete its check."),
        ["problem.testOrderNoPos"] = ("Точка видачі не має POS", "The pickup point has no POS"),
        ["problem.testOrderNoPos.detail"] = ("Налаштуйте POS-інтеграцію точки «{point}», потім надішліть тестове замовлення.", "Set up the POS integration of pickup point '{point}', then send the test order."),
        ["problem.testOrderPosDisabled"] = ("POS точки видачі вимкнено", "The pickup point's POS is disabled"),
        ["problem.testOrderPosDisabled.detail"] = ("Увімкніть POS-інтеграцію точки «{point}», потім надішліть тестове замовлення.", "Enable the POS integration of pickup point '{point}', then send the test order."),
        ["problem.testOrderNotAtPos"] = ("Тестового замовлення ще немає в POS", "The test order is not at the POS"),
        ["problem.testOrderNotAtPos.detail"] = ("Тестове замовлення {number} зараз у стані {state}: скасувати в POS можна лише те, що POS прийняв.",
            "Test order {number} is {state}: only an order the POS took can be cancelled there."),
        ["problem.testOrderCancelled"] = ("Тестове замовлення вже скасовано", "The test order is already cancelled"),
        ["problem.testOrderCancelled.detail"] = ("Скасування тестового замовлення {number} уже запитано.", "The cancellation of test order {number} was already asked for."),
        // Daily reconciliation (Features/Reconciliation).
        ["problem.reconciliationRunning"] = ("Звірка цього дня саме триває", "This day is being reconciled right now"),
        ["problem.reconciliationRunning.detail"] = ("Зачекайте, доки вона завершиться, і відкрийте її результат.", "Wait until it finishes, then open its result."),
        ["problem.reconciliationFuture"] = ("Цей день ще не минув", "This day has not ended yet"),
        ["problem.reconciliationFuture.detail"] = ("Звірити можна день, що вже почався; {day} ще попереду в часовому поясі точки.",
            "A day can be reconciled once it has begun; {day} is still ahead in the point's time zone."),
        ["problem.alreadyRedriven"] = ("Це замовлення вже надіслано знову з цієї звірки", "This order was already sent again from this reconciliation"),
        ["problem.alreadyRedriven.detail"] = ("Відкрийте замовлення, щоб побачити, чи дійшло воно до каси; за потреби звірте день ще раз.",
            "Open the order to see whether it reached the register; reconcile the day again if needed."),
        ["problem.notMissing"] = ("Цього замовлення немає серед відсутніх на касі", "This order is not among those missing at the register"),
        ["problem.notMissing.detail"] = ("Повторно надіслати зі звірки можна лише замовлення, яке вона знайшла відсутнім.",
            "Only an order the reconciliation found missing can be sent again from it."),
    };

    /// <summary>The reader's language for the current request: the panel's choice or the API's Accept-Language (English by default).</summary>
    public static string CurrentLanguage => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == Ukrainian ? Ukrainian : English;

    public static string Render(Msg message, string language) => Render(message.Key, message.Args, language) ?? message.Key;

    /// <summary>A stored row's text in <paramref name="language"/>: its key and arguments when the key is known, else the stored English.</summary>
    public static string Render(string? key, string? argsJson, string fallback, string language)
    {
        if (key is null)
        {
            return fallback;
        }

        Dictionary<string, string>? args;
        try
        {
            args = argsJson is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(argsJson, ArgsJsonOptions);
        }
        catch (JsonException)
        {
            return fallback;
        }

        return Render(key, args ?? [], language) ?? fallback;
    }

    /// <summary>
    /// One argument of a stored row rendered on its own in <paramref name="language"/> (e.g. the provider's refusal
    /// inside "Sale receipt … not issued: {detail}"), or null when the row has no such argument.
    /// </summary>
    public static string? RenderArgument(string? key, string? argsJson, string name, string language)
    {
        if (key is null || argsJson is null)
        {
            return null;
        }

        Dictionary<string, string>? args;
        try
        {
            args = JsonSerializer.Deserialize<Dictionary<string, string>>(argsJson, ArgsJsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }

        if (args is null || !args.TryGetValue(name, out var value))
        {
            return null;
        }

        return value.StartsWith(Msg.TermPrefix, StringComparison.Ordinal) ? Render(value[Msg.TermPrefix.Length..], args, language, 1) ?? value : value;
    }

    private const int MaxDepth = 4;

    private static string? Render(string key, IReadOnlyDictionary<string, string> args, string language, int depth = 0)
    {
        if (!Texts.TryGetValue(key, out var text))
        {
            return null;
        }

        var template = language == Ukrainian ? text.Uk : text.En;
        return Placeholder().Replace(template, m =>
        {
            if (!args.TryGetValue(m.Groups[1].Value, out var value))
            {
                return m.Value;
            }

            // Terms nest (a detail inside a sentence); the depth bound keeps a mistaken self-reference from looping.
            return depth < MaxDepth && value.StartsWith(Msg.TermPrefix, StringComparison.Ordinal) && Texts.ContainsKey(value[Msg.TermPrefix.Length..])
                ? Render(value[Msg.TermPrefix.Length..], args, language, depth + 1) ?? value
                : value;
        });
    }

    /// <summary>The placeholders of a template, e.g. <c>target</c> and <c>posId</c>.</summary>
    public static IReadOnlyList<string> Placeholders(string template) => Placeholder().Matches(template).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9]*)\}")]
    private static partial Regex Placeholder();
}
