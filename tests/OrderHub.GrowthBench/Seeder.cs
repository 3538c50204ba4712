using System.Diagnostics;
using OrderHub.Domain.Export;
using OrderHub.Domain.History;
using OrderHub.Domain.Orders;

namespace OrderHub.GrowthBench;

/// <summary>One table the seeder fills, with its columns in the order rows give them.</summary>
public sealed record SeedTable(string Name, string[] Columns);

/// <summary>Where seeded rows go: a provider's bulk path.</summary>
public interface ISeedSink : IAsyncDisposable
{
    ValueTask AddAsync(SeedTable table, object?[] row);

    Task CompleteAsync();
}

/// <summary>
/// Generates orders as OrderHub would have stored them over a span of days: lines with modifiers, a promotion,
/// four history rows, the accepting inbound event (and a status event for some), export queue rows for orders
/// that reached the queue. Rows are written in ReceivedAt order with version-7 ids of that time.
/// </summary>
public sealed class Seeder(BenchTenant tenant, string acceptedTemplate, string statusTemplate)
{
    public static readonly SeedTable Orders = new("Orders",
    [
        "Id", "CompanyId", "PickupPointId", "DotsOrderId", "Number", "DotsStatus", "ExportState", "Problem", "DeliveryType",
        "PaymentType", "Paid", "Currency", "DeliveryPrice", "Total", "Persons", "Comment", "DeliveryTime", "AcceptedBy",
        "PosOrderId", "PosStatus", "ExportedAt", "AcceptedAt", "ReceivedAt", "UpdatedAt", "CustomerName", "CustomerPhone",
        "CustomerEmail", "AddressStreet", "AddressHouse", "AddressEntrance", "AddressFloor", "AddressApartment",
        "AddressComment", "AddressReceiptContact", "AddressPhones", "RawPayload", "RawPayloadPrunedAt", "IsTest",
    ]);

    public static readonly SeedTable Lines = new("OrderLines",
        ["Id", "OrderId", "Position", "DotsProductId", "DotsVariantId", "Name", "Quantity", "Price", "ExternalProductId", "ExternalVariantId"]);

    public static readonly SeedTable Modifiers = new("OrderLineModifiers",
        ["Id", "OrderLineId", "Position", "DotsModifierId", "DotsGroupId", "Name", "Quantity", "Price", "ExternalId"]);

    public static readonly SeedTable Promotions = new("OrderPromotions",
        ["Id", "OrderId", "Position", "DotsPromotionId", "Name", "Discount", "ExternalId"]);

    public static readonly SeedTable Actions = new("OrderActions",
        ["CompanyId", "OrderId", "InboundEventId", "At", "Action", "Outcome", "Actor", "Reason", "FixHint", "Message", "Details"]);

    public static readonly SeedTable Events = new("InboundEvents",
        ["Id", "CompanyId", "WebhookId", "DedupKey", "EventType", "DotsOrderId", "DotsAddressId", "OrderId", "State", "OccurredAt", "ReceivedAt", "RawPayload", "RawPayloadPrunedAt"]);

    public static readonly SeedTable Queue = new("ExportQueue",
        ["Id", "OrderId", "PickupPointId", "Kind", "Generation", "State", "Attempts", "NextAttemptAt", "LeaseUntil", "LeaseOwner", "LastError", "LastAttemptAt", "CreatedAt", "UpdatedAt", "MayHaveReachedPos"]);

    public static readonly SeedTable[] All = [Orders, Lines, Modifiers, Promotions, Actions, Events, Queue];

    private static readonly (ExportState State, double Share)[] StateMix =
    [
        (ExportState.Exported, 0.80), (ExportState.Cancelled, 0.07), (ExportState.AwaitingExport, 0.06),
        (ExportState.Failed, 0.03), (ExportState.NeedsMapping, 0.03), (ExportState.Queued, 0.01),
    ];

    /// <summary>Ids of seeded orders, about one in every <c>n / 5000</c>, for the timeline requests.</summary>
    public List<Guid> SampleIds { get; } = [];

    public async Task<TimeSpan> SeedAsync(ISeedSink sink, int orders, TimeSpan span, DateTimeOffset end)
    {
        var stopwatch = Stopwatch.StartNew();
        var random = new Random(42);
        var start = end - span;
        var step = span.Ticks / orders;
        var sampleEvery = Math.Max(1, orders / 5000);
        for (var i = 0; i < orders; i++)
        {
            var receivedAt = new DateTimeOffset(start.UtcTicks + i * step + random.NextInt64(Math.Max(1, step)), TimeSpan.Zero);
            await SeedOrderAsync(sink, random, i, receivedAt, end);
            if (i % sampleEvery == 0)
            {
                SampleIds.Add(_lastId);
            }

            if (i > 0 && i % 100_000 == 0)
            {
                Console.WriteLine($"  seeded {i:N0} orders, {stopwatch.Elapsed.TotalSeconds:F0} s");
            }
        }

        await sink.CompleteAsync();
        return stopwatch.Elapsed;
    }

    private Guid _lastId;

    private async Task SeedOrderAsync(ISeedSink sink, Random random, int index, DateTimeOffset receivedAt, DateTimeOffset end)
    {
        var id = Guid.CreateVersion7(receivedAt);
        _lastId = id;
        var point = tenant.Points[random.Next(tenant.Points.Count)];
        var state = PickState(random.NextDouble());
        if (state == ExportState.Queued && end - receivedAt > TimeSpan.FromHours(1))
        {
            state = ExportState.Exported; // only recent orders still wait in the queue
        }

        var dotsOrderId = Guid.NewGuid().ToString();
        var webhookId = "evt_" + id.ToString("N");
        var number = "DT-" + (1_000_000 + index);
        var acceptedAt = receivedAt.AddSeconds(-1);
        var updatedAt = receivedAt.AddSeconds(random.Next(2, 600));
        var exported = state == ExportState.Exported;
        var problem = state switch
        {
            ExportState.Failed => nameof(FailureReason.PosRejected),
            ExportState.NeedsMapping => nameof(FailureReason.MissingExternalId),
            _ => null,
        };
        var payload = acceptedTemplate
            .Replace("evt_01JD8ZK4Q3V7T2M5N6P8R9S0AB", webhookId)
            .Replace("5d0f6c1e-8a3b-4f7e-9c21-3b6a1d2e4f50", dotsOrderId)
            .Replace("DT-104233", number)
            .Replace("a7e2d9c4-1b3f-4e6a-8d5c-9f0b1a2c3d4e", point.DotsAddressId);
        var delivery = random.Next(3) > 0;
        object? Nul(object value) => delivery ? value : null;

        await sink.AddAsync(Orders,
        [
            id, tenant.CompanyId, point.Id, dotsOrderId, number, state == ExportState.Cancelled ? "cancelled" : "accepted",
            state.ToString(), problem, delivery ? "delivery" : "pickup", "online", true, "UAH", 60.00m, 819.00m, 2,
            "Без цибулі, будь ласка", null, "manager:olena.k", exported ? (100_000 + index).ToString() : null, exported ? "1" : null,
            exported ? updatedAt : null, acceptedAt, receivedAt, updatedAt, "Андрій Коваленко", "+380671234567",
            "andrii.kovalenko@example.com", Nul("вул. Хрещатик"), Nul("22"), Nul("2"), Nul("5"), Nul("17"),
            Nul("Домофон 17, не працює дзвінок"), Nul("andrii.receipts@example.com"), Nul("+380671234567,+380501112233"), payload, null, false,
        ]);

        var mapped = state != ExportState.NeedsMapping;
        var pizza = Guid.CreateVersion7(receivedAt);
        await sink.AddAsync(Lines, [pizza, id, 0, "dots-prod-pizza-margherita", null, "Піца Маргарита 30 см", 2m, 245.00m, "101", null]);
        await sink.AddAsync(Modifiers, [Guid.CreateVersion7(receivedAt), pizza, 0, "dots-mod-extra-mozzarella", "dots-grp-extras", "Додаткова моцарела", 1m, 35.00m, "11"]);
        await sink.AddAsync(Modifiers, [Guid.CreateVersion7(receivedAt), pizza, 1, "dots-mod-thin-crust", "dots-grp-crust", "Тонке тісто", 1m, 0.00m, mapped ? "12" : null]);
        await sink.AddAsync(Lines, [Guid.CreateVersion7(receivedAt), id, 1, "dots-prod-cola", "dots-var-cola-05", "Coca-Cola 0,5 л", 3m, 42.00m, "201", "2011"]);
        await sink.AddAsync(Lines, [Guid.CreateVersion7(receivedAt), id, 2, "dots-prod-tiramisu", null, "Тірамісу", 1m, 129.00m, "301", null]);
        await sink.AddAsync(Promotions, [Guid.CreateVersion7(receivedAt), id, 0, "dots-promo-2nd-pizza-20", "Друга піца -20%", 56.00m, "7"]);

        var acceptedEvent = Guid.CreateVersion7(receivedAt);
        await sink.AddAsync(Events,
        [
            acceptedEvent, tenant.CompanyId, webhookId, "order.accepted:" + dotsOrderId, "order.accepted", dotsOrderId, point.DotsAddressId,
            id, "Processed", acceptedAt, receivedAt, null, null,
        ]);

        await AddActionAsync(sink, id, receivedAt, "order.received", "Info", "dots:manager:olena.k", null, null,
            $"Order {number} received from Dots", $$"""{"eventId":"{{webhookId}}","items":3,"total":819.00}""");
        await AddActionAsync(sink, id, receivedAt, mapped ? "order.resolved" : "mapping.missing", mapped ? "Success" : "Warning",
            "system", mapped ? null : nameof(FailureReason.MissingExternalId),
            mapped ? null : "Add the external ID for modifier dots-mod-thin-crust at pickup point Point 1",
            mapped ? "Every item has its external id" : "1 item has no external id", null);
        switch (state)
        {
            case ExportState.Exported or ExportState.Failed or ExportState.Queued:
                await AddActionAsync(sink, id, receivedAt, "export.queued", "Info", "system", null, null, "Queued for the POS", null);
                await AddActionAsync(sink, id, updatedAt, "export.attempt", exported ? "Success" : "Failure", "system",
                    state == ExportState.Failed ? nameof(FailureReason.PosRejected) : null,
                    state == ExportState.Failed ? "Check the order at the POS and export it again" : null,
                    exported ? "Delivered to the POS" : "The POS refused the order",
                    $$"""{"target":"webhook","status":{{(exported ? 200 : 422)}},"durationMs":84,"posOrderId":"{{100_000 + index}}","request":"{\"orderId\":\"{{dotsOrderId}}\",\"phone\":\"***\"}","response":"{\"ok\":{{(exported ? "true" : "false")}}}"}""");
                await sink.AddAsync(Queue,
                [
                    Guid.CreateVersion7(receivedAt), id, point.Id, "Create", 1,
                    (state switch { ExportState.Exported => ExportQueueState.Done, ExportState.Failed => ExportQueueState.Failed, _ => ExportQueueState.Pending }).ToString(),
                    state == ExportState.Queued ? 0 : 1, state == ExportState.Queued ? receivedAt.AddSeconds(5) : updatedAt,
                    null, null, state == ExportState.Failed ? "422 PosRejected" : null, state == ExportState.Queued ? null : updatedAt, receivedAt, updatedAt,
                    state != ExportState.Queued,
                ]);
                break;
            case ExportState.Cancelled:
                await AddActionAsync(sink, id, receivedAt, "export.awaiting", "Info", "system", null, null, "Waiting for an operator to export it", null);
                await AddStatusEventAsync(sink, id, point.DotsAddressId, dotsOrderId, number, "cancelled", updatedAt);
                await AddActionAsync(sink, id, updatedAt, "dots.cancelled", "Info", "dots:manager:olena.k", null, null, "Cancelled in Dots before export", null);
                break;
            default:
                await AddActionAsync(sink, id, receivedAt, mapped ? "export.awaiting" : "export.refused", "Info", "system", null, null,
                    mapped ? "Waiting for an operator to export it" : "Not queued: items without external ids", null);
                await AddStatusEventAsync(sink, id, point.DotsAddressId, dotsOrderId, number, "cooking", updatedAt);
                await AddActionAsync(sink, id, updatedAt, "dots.status_changed", "Info", "dots:manager:olena.k", null, null, "Status in Dots: cooking", null);
                break;
        }
    }

    private async Task AddStatusEventAsync(ISeedSink sink, Guid orderId, string address, string dotsOrderId, string number, string status, DateTimeOffset at)
    {
        var webhookId = "evt_" + Guid.CreateVersion7(at).ToString("N");
        var eventType = status == "cancelled" ? "order.cancelled" : "order.status_changed";
        var payload = statusTemplate
            .Replace("evt_01JD90A7B8C9D0E1F2G3H4J5K6", webhookId)
            .Replace("5d0f6c1e-8a3b-4f7e-9c21-3b6a1d2e4f50", dotsOrderId)
            .Replace("DT-104233", number)
            .Replace("a7e2d9c4-1b3f-4e6a-8d5c-9f0b1a2c3d4e", address)
            .Replace("on_the_way", status);
        await sink.AddAsync(Events,
        [
            Guid.CreateVersion7(at), tenant.CompanyId, webhookId, status == "cancelled" ? $"{eventType}:{dotsOrderId}" : $"{eventType}:{dotsOrderId}:{status}",
            eventType, dotsOrderId, address, orderId, "Processed", at, at, payload, null,
        ]);
    }

    private ValueTask AddActionAsync(ISeedSink sink, Guid orderId, DateTimeOffset at, string action, string outcome, string actor,
        string? reason, string? hint, string message, string? details) =>
        sink.AddAsync(Actions, [tenant.CompanyId, orderId, null, at, action, outcome, actor, reason, hint, message, details]);

    private static ExportState PickState(double roll)
    {
        foreach (var (state, share) in StateMix)
        {
            if ((roll -= share) < 0)
            {
                return state;
            }
        }

        return ExportState.Exported;
    }
}
