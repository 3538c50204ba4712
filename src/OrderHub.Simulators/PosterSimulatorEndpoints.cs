using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OrderHub.Simulators;

/// <summary>
/// Poster's API as OrderHub uses it: <c>{prefix}/poster/{account}/api/{section}.{method}?token=</c>. Answers
/// like Poster: HTTP 200 with <c>response</c> or <c>error</c>, numbers as strings.
/// </summary>
internal static class PosterSimulatorEndpoints
{
    private const string DateFormat = "yyyy-MM-dd HH:mm:ss";

    public static void Map(IEndpointRouteBuilder group, PosSimulator simulator)
    {
        group.MapMethods("/poster/{account}/api/{method}", ["GET", "POST"], (HttpContext http, string account, string method) =>
            HandleAsync(http, simulator, account, method));
    }

    private static async Task<IResult> HandleAsync(HttpContext http, PosSimulator simulator, string account, string method)
    {
        var target = "poster/" + account;
        var faults = simulator.FaultsFor(target);
        var creating = method == "incomingOrders.createIncomingOrder";
        if (creating)
        {
            simulator.CountReceived(target);
        }

        if (await SimulatorFaults.BeforeAsync(http, simulator, target, faults) is { } faulted)
        {
            return faulted;
        }

        if (faults.PosterErrorCode is { } forced)
        {
            simulator.CountRejected(target);
            return Error(forced, $"Simulated error {forced}", faults.PosterErrorShape);
        }

        var config = simulator.Options.PosterAccounts.FirstOrDefault(a => string.Equals(a.Account, account, StringComparison.OrdinalIgnoreCase));
        var token = http.Request.Query["token"].ToString();
        if (string.IsNullOrEmpty(token))
        {
            return Reject(10, "Access token is required");
        }

        if (config is null || !string.Equals(token, config.Token, StringComparison.Ordinal))
        {
            return Reject(11, "Invalid access token");
        }

        return method switch
        {
            "incomingOrders.createIncomingOrder" when HttpMethods.IsPost(http.Request.Method) => await CreateAsync(http, simulator, target, config, faults),
            "incomingOrders.getIncomingOrders" => List(http, simulator, target, config),
            "incomingOrders.getIncomingOrder" => One(http, simulator, target, config),
            "access.getSpots" => Response(new JsonArray(config.Spots.Select(s => (JsonNode)new JsonObject
            {
                ["spot_id"] = Str(s.SpotId),
                ["spot_name"] = s.Name,
            }).ToArray())),
            "menu.getProducts" => Response(Menu(config)),
            "dash.getTransaction" => simulator.Transactions.Find(account, http.Request.Query["transaction_id"].ToString()) is { } check
                ? Response(new JsonArray(new JsonObject { ["transaction_id"] = http.Request.Query["transaction_id"].ToString(), ["spot_id"] = Str(check.SpotId) }))
                : Error(32, "Transaction not found", "nested"),
            "dash.getTransactionHistory" => simulator.Transactions.Find(account, http.Request.Query["transaction_id"].ToString()) is { } history
                ? Response(history.History)
                : Response(new JsonArray()),
            _ => Error(32, $"Unknown method {method}", "nested"),
        };

        IResult Reject(int code, string message)
        {
            if (creating)
            {
                simulator.CountRejected(target);
            }

            return Error(code, message, faults.PosterErrorShape);
        }
    }

    /// <summary>
    /// <c>menu.getProducts</c> as Poster answers it: numbers as strings, spot prices in kopecks, variants in
    /// <c>modifications</c> (type 3 products), dish modifiers in <c>group_modifications</c> (type 2 dishes,
    /// prices in currency units). Serves the account's configured menu as it is at the moment of the call.
    /// </summary>
    private static JsonArray Menu(SimulatedPosterAccount config)
    {
        lock (config.Products)
        {
            return new JsonArray(config.Products.Select(p => (JsonNode)new JsonObject
            {
                ["product_id"] = Str(p.ProductId),
                ["product_name"] = p.Name,
                ["type"] = p.AllDishModifierIds.Any() ? "2" : "3",
                ["hidden"] = p.Hidden ? "1" : "0",
                ["spots"] = SpotPrices(config, p.Price),
                ["modifications"] = new JsonArray(p.ModificatorIds.Select(m => (JsonNode)new JsonObject { ["modificator_id"] = Str(m) })
                    .Concat(p.Variants.Select(v => (JsonNode)new JsonObject
                    {
                        ["modificator_id"] = Str(v.Id),
                        ["modificator_name"] = v.Name,
                        ["spots"] = SpotPrices(config, (long)v.Price),
                    })).ToArray()),
                ["group_modifications"] = new JsonArray(!p.AllDishModifierIds.Any() ? [] : [new JsonObject
                {
                    ["dish_modification_group_id"] = "1",
                    ["name"] = "Modifiers",
                    ["num_min"] = "0",
                    ["num_max"] = "10",
                    ["modifications"] = new JsonArray(p.DishModificationIds.Select(m => (JsonNode)new JsonObject { ["dish_modification_id"] = Str(m) })
                        .Concat(p.DishModifiers.Select(d => (JsonNode)new JsonObject
                        {
                            ["dish_modification_id"] = Str(d.Id),
                            ["name"] = d.Name,
                            ["price"] = d.Price.ToString(CultureInfo.InvariantCulture),
                        })).ToArray()),
                }]),
            }).ToArray());
        }
    }

    private static JsonArray SpotPrices(SimulatedPosterAccount config, long price) =>
        new(config.Spots.Select(s => (JsonNode)new JsonObject
        {
            ["spot_id"] = Str(s.SpotId),
            ["price"] = Str(price),
            ["visible"] = "1",
        }).ToArray());

    private static async Task<IResult> CreateAsync(HttpContext http, PosSimulator simulator, string target, SimulatedPosterAccount config, FaultSettings faults)
    {
        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        var failure = Validate(body, config);
        if (failure is { } f)
        {
            simulator.CountRejected(target);
            return Error(f.Code, f.Message, faults.PosterErrorShape);
        }

        var now = simulator.Time.GetUtcNow();
        var comment = body!["comment"]?.GetValue<string>();
        var marker = comment is null ? null : System.Text.RegularExpressions.Regex.Match(comment, @"\[Dots #[^\]]+\]").Value is { Length: > 0 } m ? m : null;
        var (order, _) = simulator.Record(new SimulatedOrder(target, "order", simulator.NextId(), null, marker, now, body.DeepClone())
        {
            LocalCreatedAt = Local(now, config.TimeZone),
            SpotId = Long(body["spot_id"]),
        });

        if (await SimulatorFaults.DelayAnswerAsync(http, simulator, target, faults))
        {
            return Results.Empty;
        }

        return Response(Describe(order, withProducts: true));
    }

    private static (int Code, string Message)? Validate(JsonObject? body, SimulatedPosterAccount config)
    {
        if (body is null)
        {
            return (34, "Request body must be a JSON object");
        }

        var spot = Long(body["spot_id"]);
        if (spot is null)
        {
            return (34, "spot_id is required");
        }

        if (config.Spots.All(s => s.SpotId != spot))
        {
            return (60, $"Spot {spot} not found");
        }

        var phone = body["phone"] is JsonValue p ? p.ToString() : null;
        if (string.IsNullOrWhiteSpace(phone) && body["client_id"] is null)
        {
            return (34, "phone is required");
        }

        if (phone is not null && !ValidPhone(phone))
        {
            return (37, "Invalid phone number");
        }

        if (body["products"] is not JsonArray products || products.Count == 0)
        {
            return (34, "products are required");
        }

        foreach (var item in products.OfType<JsonObject>())
        {
            var productId = Long(item["product_id"]);
            if (productId is null || item["count"] is null)
            {
                return (34, "product_id and count are required");
            }

            if (config.Products.Count == 0)
            {
                continue;
            }

            var product = config.Products.FirstOrDefault(x => x.ProductId == productId);
            if (product is null)
            {
                return (41, $"Product {productId} not found");
            }

            if (Long(item["modificator_id"]) is { } variant && !product.AllVariantIds.Contains(variant))
            {
                return (42, $"Modification {variant} of product {productId} not found");
            }

            if (item["modification"] is { } modification)
            {
                if (modification.GetValueKind() != JsonValueKind.String)
                {
                    return (34, "modification must be a JSON string");
                }

                JsonArray? parsed;
                try
                {
                    parsed = JsonNode.Parse(modification.GetValue<string>()) as JsonArray;
                }
                catch (JsonException)
                {
                    parsed = null;
                }

                if (parsed is null)
                {
                    return (34, "modification must be a JSON array string");
                }

                foreach (var m in parsed.OfType<JsonObject>())
                {
                    if (Long(m["m"]) is not { } id || !product.AllDishModifierIds.Contains(id))
                    {
                        return (42, $"Dish modification {m["m"]} of product {productId} not found");
                    }
                }
            }
        }

        if (body["payment"] is JsonObject payment
            && !string.Equals(payment["currency"]?.ToString(), config.Currency, StringComparison.OrdinalIgnoreCase))
        {
            return (4001, "Invalid currency");
        }

        return null;
    }

    private static IResult List(HttpContext http, PosSimulator simulator, string target, SimulatedPosterAccount config)
    {
        var from = ParseLocal(http.Request.Query["date_from"]);
        var to = ParseLocal(http.Request.Query["date_to"]);
        var status = http.Request.Query["status"].ToString();
        var list = simulator.Orders(target)
            .Where(o => o.Kind == "order")
            .Where(o => from is null || o.LocalCreatedAt >= from)
            .Where(o => to is null || o.LocalCreatedAt <= to)
            .Where(o => status.Length == 0 || o.Status.ToString(CultureInfo.InvariantCulture) == status)
            .Select(o => (JsonNode)Describe(o, withProducts: true))
            .ToArray();
        return Response(new JsonArray(list));
    }

    private static IResult One(HttpContext http, PosSimulator simulator, string target, SimulatedPosterAccount config)
    {
        var id = http.Request.Query["incoming_order_id"].ToString();
        return simulator.Find(target, id) is { } order
            ? Response(Describe(order, withProducts: true))
            : Error(32, $"Incoming order {id} not found", "nested");
    }

    private static JsonObject Describe(SimulatedOrder order, bool withProducts)
    {
        var body = order.Body as JsonObject;
        var result = new JsonObject
        {
            ["incoming_order_id"] = order.PosOrderId,
            ["spot_id"] = order.SpotId is { } s ? Str(s) : null,
            ["status"] = Str(order.Status),
            ["transaction_id"] = order.Status == 1 ? Str(long.Parse(order.PosOrderId, CultureInfo.InvariantCulture) + 5000) : null,
            ["phone"] = body?["phone"]?.DeepClone(),
            ["first_name"] = body?["first_name"]?.DeepClone(),
            ["comment"] = body?["comment"]?.DeepClone(),
            ["created_at"] = order.LocalCreatedAt.ToString(DateFormat, CultureInfo.InvariantCulture),
            ["delivery_price"] = body?["delivery_price"]?.ToString(),
        };

        if (withProducts && body?["products"] is JsonArray products)
        {
            var n = 0;
            result["products"] = new JsonArray(products.OfType<JsonObject>().Select(p => (JsonNode)new JsonObject
            {
                ["io_product_id"] = Str(++n),
                ["product_id"] = p["product_id"]?.ToString(),
                ["modificator_id"] = p["modificator_id"]?.ToString(),
                ["count"] = p["count"]?.ToString(),
                ["price"] = p["price"]?.ToString(),
            }).ToArray());
        }

        return result;
    }

    private static IResult Response(JsonNode response) => Results.Json(new JsonObject { ["response"] = response });

    /// <summary>Poster answers errors with HTTP 200, nested (docs) or flat (seen in the wild).</summary>
    private static IResult Error(int code, string message, string shape) =>
        Results.Json(string.Equals(shape, "flat", StringComparison.OrdinalIgnoreCase)
            ? new JsonObject { ["error"] = code, ["message"] = message }
            : new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    private static bool ValidPhone(string phone)
    {
        if (phone.Any(c => !(char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')')))
        {
            return false;
        }

        var digits = phone.Count(char.IsAsciiDigit);
        return digits is >= 10 and <= 15;
    }

    private static long? Long(JsonNode? node) => node is JsonValue v
        && long.TryParse(v.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static DateTime Local(DateTimeOffset at, string timeZone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) ? TimeZoneInfo.ConvertTime(at, zone).DateTime : at.UtcDateTime;

    private static DateTime? ParseLocal(string? text) =>
        DateTime.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;
}
