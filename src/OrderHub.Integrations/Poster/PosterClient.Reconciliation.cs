using System.Globalization;
using System.Text.Json;
using OrderHub.Integrations.Pos;

namespace OrderHub.Integrations.Poster;

/// <summary>One online order as <c>incomingOrders.getIncomingOrders</c> lists it.</summary>
/// <param name="Total">
/// Products' <c>price</c> × <c>count</c> plus <c>delivery_price</c>, in kopecks: the part of the check OrderHub
/// sends (Poster adds dish modifiers and promotions by its own rules). Null when a product has no price.
/// </param>
public sealed record PosterIncomingOrder(string Id, long? SpotId, int? Status, string? Comment, long? Total, string? CreatedAt);

/// <summary>The online orders of a time window, or why they could not be read (<see cref="Result"/> not Delivered).</summary>
public sealed record PosterIncomingOrderList(PosPushResult Result, IReadOnlyList<PosterIncomingOrder> Orders)
{
    public bool Ok => Result.Outcome == PosPushOutcome.Delivered;
}

public sealed partial class PosterClient
{
    /// <summary>
    /// The account's online orders between two wall-clock times of the account (<c>yyyy-MM-dd HH:mm:ss</c>), for
    /// a reconciliation: every spot's, with their markers (in <c>comment</c>) and totals.
    /// </summary>
    public async Task<PosterIncomingOrderList> ListIncomingOrdersAsync(PosTarget target, string from, string to, CancellationToken cancellationToken)
    {
        if (CheckTarget(target, needSpot: false) is { } invalid)
        {
            return new PosterIncomingOrderList(invalid, []);
        }

        var call = await SendAsync((account, circuit, token, ct) => api.GetIncomingOrdersAsync(account, circuit, token, from, to, ct), target, cancellationToken).ConfigureAwait(false);
        var orders = new List<PosterIncomingOrder>();
        var result = call.Failure ?? Interpret(call, order: null, onSuccess: response =>
        {
            if (response.ValueKind != JsonValueKind.Array)
            {
                return Unexpected("Poster's order list is not a list.");
            }

            foreach (var item in response.EnumerateArray())
            {
                if (PosterReply.ReadString(item, "incoming_order_id") is not { } id)
                {
                    continue;
                }

                orders.Add(new PosterIncomingOrder(id, PosterReply.ReadLong(item, "spot_id"), PosterReply.ReadInt(item.TryGetProperty("status", out var s) ? s : default),
                    PosterReply.ReadString(item, "comment"), Total(item), PosterReply.ReadString(item, "created_at")));
            }

            return new PosPushResult { Outcome = PosPushOutcome.Delivered, Message = $"{orders.Count} online orders from {from} to {to}." };
        });

        Log.Call(logger, "getIncomingOrders", target.IntegrationId, result.Outcome, result.PosErrorCode, (long)result.Duration.TotalMilliseconds);
        return new PosterIncomingOrderList(result, result.Outcome == PosPushOutcome.Delivered ? orders : []);
    }

    private static long? Total(JsonElement order)
    {
        if (!order.TryGetProperty("products", out var products) || products.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var total = 0m;
        foreach (var product in products.EnumerateArray())
        {
            if (!decimal.TryParse(PosterReply.ReadString(product, "price"), NumberStyles.Float, CultureInfo.InvariantCulture, out var price)
                || !decimal.TryParse(PosterReply.ReadString(product, "count"), NumberStyles.Float, CultureInfo.InvariantCulture, out var count))
            {
                return null;
            }

            total += price * count;
        }

        if (decimal.TryParse(PosterReply.ReadString(order, "delivery_price"), NumberStyles.Float, CultureInfo.InvariantCulture, out var delivery))
        {
            total += delivery;
        }

        return (long)Math.Round(total, MidpointRounding.AwayFromZero);
    }
}
