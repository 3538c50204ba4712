using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderHub.Domain.History;
using OrderHub.Domain.Mappings;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Pos;
using OrderHub.Integrations.Resilience;

namespace OrderHub.Integrations.Poster;

/// <summary>
/// Poster through its HTTP API. Sends each create once: Poster has no idempotency key, so after an ambiguous
/// attempt the dispatcher must call <see cref="FindExistingAsync"/> (which matches the <c>[Dots #N]</c>
/// marker in the comment) before sending again.
/// </summary>
public sealed partial class PosterClient(
    IPosterApi api,
    IOptions<PosterOptions> options,
    TimeProvider timeProvider,
    ILogger<PosterClient> logger) : IPosClient
{
    public PosKind Kind => PosKind.Poster;

    public async Task<PosPushResult> CreateOrderAsync(PosTarget target, PosOrder order, CancellationToken cancellationToken)
    {
        if (CheckTarget(target, needSpot: true) is { } invalid)
        {
            return invalid;
        }

        var body = PosterRequestBuilder.Build(target, order, out var failure);
        if (failure is not null)
        {
            return new PosPushResult
            {
                Outcome = PosPushOutcome.Permanent,
                Reason = failure.Reason,
                Message = failure.Message + " Nothing was sent to Poster.",
                FixHint = failure.FixHint,
                MessageRef = failure.MessageRef is { } message ? MessageRef.Of("poster.notSent").With("problem", message) : null,
                FixHintRef = failure.FixHintRef,
            };
        }

        // Refit serializes the body with the same options (PosterJson.Options), so the excerpt shows what was sent.
        var excerpt = "POST incomingOrders.createIncomingOrder?token=*** " + PosHttp.MaskJson(JsonSerializer.Serialize(body, PosterJson.Options), PosterJson.PersonalKeys);

        var call = await SendAsync((account, circuit, token, ct) => api.CreateIncomingOrderAsync(account, circuit, token, body, ct), target, cancellationToken).ConfigureAwait(false);
        var result = call.Failure ?? Interpret(call, order, onSuccess: response =>
        {
            var id = PosterReply.ReadString(response, "incoming_order_id");
            return new PosPushResult
            {
                Outcome = PosPushOutcome.Delivered,
                PosOrderId = id,
                PosStatus = StatusName(PosterReply.ReadLong(response, "status")) ?? "new",
                Message = id is null
                    ? "Poster accepted the order but did not say its online order id."
                    : $"Poster accepted the order as online order {id}; a cashier accepts it on the register.",
            };
        });

        result = result with { RequestExcerpt = excerpt };
        Log.Call(logger, "createIncomingOrder", target.IntegrationId, result.Outcome, result.PosErrorCode, (long)result.Duration.TotalMilliseconds);
        return result;
    }

    public async Task<PosPushResult?> FindExistingAsync(PosTarget target, PosOrder order, DateTimeOffset attemptedSince, CancellationToken cancellationToken)
    {
        if (CheckTarget(target, needSpot: false) is { } invalid)
        {
            return invalid with { Outcome = PosPushOutcome.Retryable };
        }

        // Poster stamps the order with the time it received our attempt, which is after that attempt started:
        // the window runs from a margin before the first attempt to a margin after now, in the account's
        // wall-clock time. It lists only the orders of those minutes, however long ago the order was accepted
        // (an export by hand hours later) and however busy the account is.
        var margin = options.Value.LookupMargin;
        var from = PosterRequestBuilder.LocalTime(attemptedSince - margin, order.TimeZone);
        var to = PosterRequestBuilder.LocalTime(timeProvider.GetUtcNow() + margin, order.TimeZone);
        var call = await SendAsync((account, circuit, token, ct) => api.GetIncomingOrdersAsync(account, circuit, token, from, to, ct), target, cancellationToken).ConfigureAwait(false);
        var marker = PosterRequestBuilder.Marker(order.Number);
        PosPushResult? found = null;
        var notFound = false;
        var result = call.Failure ?? Interpret(call, order, onSuccess: response =>
        {
            if (response.ValueKind != JsonValueKind.Array)
            {
                return Unexpected("Poster's order list is not a list.");
            }

            foreach (var item in response.EnumerateArray())
            {
                var comment = PosterReply.ReadString(item, "comment");
                var spot = PosterReply.ReadLong(item, "spot_id");
                if (comment is not null && comment.Contains(marker, StringComparison.Ordinal)
                    && (spot is null || target.PosterSpotId is null || spot == target.PosterSpotId))
                {
                    var id = PosterReply.ReadString(item, "incoming_order_id");
                    found = new PosPushResult
                    {
                        Outcome = PosPushOutcome.Delivered,
                        FoundExisting = true,
                        PosOrderId = id,
                        PosStatus = StatusName(PosterReply.ReadLong(item, "status")),
                        Message = $"Poster already has this order as online order {id} (found by {marker}); not sent again.",
                    };
                    return found;
                }
            }

            notFound = true;
            return new PosPushResult { Outcome = PosPushOutcome.Delivered, Message = "not found" };
        });

        Log.Call(logger, "getIncomingOrders", target.IntegrationId, result.Outcome, result.PosErrorCode, (long)result.Duration.TotalMilliseconds);
        if (found is not null)
        {
            return found with { Duration = result.Duration, ResponseExcerpt = result.ResponseExcerpt, HttpStatus = result.HttpStatus };
        }

        if (notFound)
        {
            return null;
        }

        // The lookup failed: nothing may be sent until a lookup succeeds.
        return result with
        {
            Outcome = PosPushOutcome.Retryable,
            Message = "Could not check whether Poster already has the order: " + result.Message,
        };
    }

    public Task<PosPushResult> CancelOrderAsync(PosTarget target, PosOrder order, string? reason, CancellationToken cancellationToken) =>
        Task.FromResult(new PosPushResult
        {
            Outcome = PosPushOutcome.Permanent,
            Reason = FailureReason.CancelledAfterExport,
            Message = $"Poster has no call to cancel an online order: a person must cancel order #{order.Number} at the register."
                + (string.IsNullOrWhiteSpace(reason) ? "" : $" Dots reason: {reason}."),
            FixHint = $"Call the pickup point: reject online order {PosterRequestBuilder.Marker(order.Number)} on the Poster register, or void its check if it was accepted.",
            MessageRef = MessageRef.Of("poster.cannotCancel", ("number", order.Number),
                ("dotsReason", string.IsNullOrWhiteSpace(reason) ? "" : "@poster.dotsReason"), ("reason", reason)),
            FixHintRef = MessageRef.Of("hint.poster.rejectAtRegister", ("marker", PosterRequestBuilder.Marker(order.Number))),
        });

    public async Task<PosPushResult> GetOrderStatusAsync(PosTarget target, string posOrderId, CancellationToken cancellationToken)
    {
        if (CheckTarget(target, needSpot: false) is { } invalid)
        {
            return invalid;
        }

        var call = await SendAsync((account, circuit, token, ct) => api.GetIncomingOrderAsync(account, circuit, token, posOrderId, ct), target, cancellationToken).ConfigureAwait(false);
        var result = call.Failure ?? Interpret(call, order: null, onSuccess: response =>
        {
            var status = PosterReply.ReadLong(response, "status");
            var transaction = PosterReply.ReadString(response, "transaction_id");
            var name = StatusName(status);
            return name is null
                ? Unexpected($"Poster answered with an unknown online order status '{status}'.")
                : new PosPushResult
                {
                    Outcome = PosPushOutcome.Delivered,
                    PosOrderId = posOrderId,
                    PosStatus = name,
                    Message = $"Poster online order {posOrderId} is {name}" + (transaction is null or "0" ? "." : $" (check {transaction})."),
                    MessageRef = MessageRef.Of("poster.status", ("posOrderId", posOrderId), ("status", "@term.posStatus." + name),
                        ("check", transaction is null or "0" ? "" : "@poster.statusCheck"), ("transaction", transaction)),
                };
        });

        Log.Call(logger, "getIncomingOrder", target.IntegrationId, result.Outcome, result.PosErrorCode, (long)result.Duration.TotalMilliseconds);
        return result;
    }

    /// <summary>
    /// Reads a check (<c>dash.getTransaction</c>: its spot) and its history (<c>dash.getTransactionHistory</c>), for a
    /// <c>transaction</c> webhook that came without <c>data</c>.
    /// </summary>
    public async Task<PosterTransactionHistory> GetTransactionHistoryAsync(PosTarget target, string transactionId, CancellationToken cancellationToken)
    {
        if (CheckTarget(target, needSpot: false) is { } invalid)
        {
            return new PosterTransactionHistory(invalid, null, []);
        }

        long? spot = null;
        {
            var call = await SendAsync((account, circuit, token, ct) => api.GetTransactionAsync(account, circuit, token, transactionId, ct), target, cancellationToken).ConfigureAwait(false);
            var check = call.Failure ?? Interpret(call, order: null, onSuccess: response =>
            {
                var element = response.ValueKind == JsonValueKind.Array ? response.EnumerateArray().FirstOrDefault() : response;
                spot = element.ValueKind == JsonValueKind.Object ? PosterReply.ReadLong(element, "spot_id") : null;
                return new PosPushResult { Outcome = PosPushOutcome.Delivered, Message = $"Check {transactionId} read." };
            });
            if (check.Outcome != PosPushOutcome.Delivered)
            {
                return new PosterTransactionHistory(check, null, []);
            }
        }

        var rows = new List<PosterHistoryRow>();
        {
            var call = await SendAsync((account, circuit, token, ct) => api.GetTransactionHistoryAsync(account, circuit, token, transactionId, ct), target, cancellationToken).ConfigureAwait(false);
            var result = call.Failure ?? Interpret(call, order: null, onSuccess: response =>
            {
                if (response.ValueKind != JsonValueKind.Array)
                {
                    return Unexpected("Poster's transaction history is not a list.");
                }

                rows.AddRange(response.EnumerateArray().Select(r => PosterHistoryRow.From(r, spot)).OfType<PosterHistoryRow>());
                return new PosPushResult { Outcome = PosPushOutcome.Delivered, Message = $"{rows.Count} history rows of check {transactionId}." };
            });
            Log.Call(logger, "getTransactionHistory", target.IntegrationId, result.Outcome, result.PosErrorCode, (long)result.Duration.TotalMilliseconds);
            return new PosterTransactionHistory(result, spot, rows);
        }
    }

    public async Task<PosConnectionCheck> TestConnectionAsync(PosTarget target, CancellationToken cancellationToken)
    {
        if (CheckTarget(target, needSpot: true) is { } invalid)
        {
            return new PosConnectionCheck(false, invalid.Message, invalid.Reason, invalid.FixHint) { MessageRef = invalid.MessageRef, FixHintRef = invalid.FixHintRef };
        }

        var call = await SendAsync((account, circuit, token, ct) => api.GetSpotsAsync(account, circuit, token, ct), target, cancellationToken).ConfigureAwait(false);
        var spots = new List<string>();
        var result = call.Failure ?? Interpret(call, order: null, onSuccess: response =>
        {
            if (response.ValueKind != JsonValueKind.Array)
            {
                return Unexpected("Poster's spot list is not a list.");
            }

            foreach (var spot in response.EnumerateArray())
            {
                var id = PosterReply.ReadLong(spot, "spot_id");
                if (id == target.PosterSpotId)
                {
                    var name = PosterReply.ReadString(spot, "spot_name") ?? PosterReply.ReadString(spot, "name");
                    return new PosPushResult
                    {
                        Outcome = PosPushOutcome.Delivered,
                        Message = $"Connected to Poster account '{target.PosterAccount}'; spot {id} '{name}' exists.",
                        MessageRef = MessageRef.Of("poster.connected", ("account", target.PosterAccount), ("spot", id), ("name", name)),
                    };
                }

                spots.Add($"{id} '{PosterReply.ReadString(spot, "spot_name") ?? PosterReply.ReadString(spot, "name")}'");
            }

            return new PosPushResult
            {
                Outcome = PosPushOutcome.Permanent,
                Reason = FailureReason.PosSpotNotFound,
                Message = $"The token works, but spot {target.PosterSpotId} is not on Poster account '{target.PosterAccount}'.",
                FixHint = spots.Count == 0 ? "The account has no spots the token can see." : "Use one of: " + string.Join(", ", spots) + ".",
                MessageRef = MessageRef.Of("poster.spotMissing", ("spot", target.PosterSpotId), ("account", target.PosterAccount)),
                FixHintRef = spots.Count == 0 ? MessageRef.Of("hint.poster.noSpots") : MessageRef.Of("hint.poster.useSpots", ("spots", string.Join(", ", spots))),
            };
        });

        return new PosConnectionCheck(result.Outcome == PosPushOutcome.Delivered, result.Message, result.Reason, result.FixHint)
        {
            MessageRef = result.MessageRef,
            FixHintRef = result.FixHintRef,
        };
    }

    /// <summary>
    /// Reads the account's menu (<c>menu.getProducts</c>) as this spot sells it: products with the spot's price,
    /// product variants (<c>modifications</c>, prices in kopecks per spot) and dish modifiers
    /// (<c>group_modifications</c>, prices in currency units). Hidden products and products the spot does not
    /// show are left out. A dish modifier shared by several dishes is listed once.
    /// </summary>
    public async Task<PosCatalogRead> GetCatalogAsync(PosTarget target, CancellationToken cancellationToken)
    {
        if (CheckTarget(target, needSpot: true) is { } invalid)
        {
            return new PosCatalogRead(false, [], invalid.Message, invalid.Reason, invalid.FixHint);
        }

        var call = await SendAsync((account, circuit, token, ct) => api.GetProductsAsync(account, circuit, token, ct), target, cancellationToken).ConfigureAwait(false);
        var items = new List<PosCatalogEntry>();
        var result = call.Failure ?? Interpret(call, order: null, onSuccess: response =>
        {
            if (response.ValueKind != JsonValueKind.Array)
            {
                return Unexpected("Poster's product list is not a list.");
            }

            var seen = new HashSet<(ExternalIdKind, string)>();
            foreach (var product in response.EnumerateArray())
            {
                var productId = PosterReply.ReadString(product, "product_id");
                if (productId is null || PosterReply.ReadString(product, "hidden") == "1")
                {
                    continue;
                }

                var (shown, price) = SpotPrice(product, target.PosterSpotId);
                if (!shown)
                {
                    continue;
                }

                var productName = PosterReply.ReadString(product, "product_name") ?? "";
                Add(ExternalIdKind.Product, productId, productName, price is null ? null : price / 100m, null);
                if (product.TryGetProperty("modifications", out var variants) && variants.ValueKind == JsonValueKind.Array)
                {
                    foreach (var variant in variants.EnumerateArray())
                    {
                        if (PosterReply.ReadString(variant, "modificator_id") is not { } variantId)
                        {
                            continue;
                        }

                        var (_, variantPrice) = SpotPrice(variant, target.PosterSpotId);
                        var variantName = PosterReply.ReadString(variant, "modificator_name") ?? "";
                        Add(ExternalIdKind.Variant, variantId, $"{productName} {variantName}".Trim(), variantPrice is null ? null : variantPrice / 100m, productId);
                    }
                }

                if (product.TryGetProperty("group_modifications", out var groups) && groups.ValueKind == JsonValueKind.Array)
                {
                    foreach (var group in groups.EnumerateArray())
                    {
                        if (!group.TryGetProperty("modifications", out var modifiers) || modifiers.ValueKind != JsonValueKind.Array)
                        {
                            continue;
                        }

                        foreach (var modifier in modifiers.EnumerateArray())
                        {
                            if (PosterReply.ReadString(modifier, "dish_modification_id") is not { } modifierId)
                            {
                                continue;
                            }

                            decimal? modifierPrice = decimal.TryParse(PosterReply.ReadString(modifier, "price"), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : null;
                            Add(ExternalIdKind.Modifier, modifierId, PosterReply.ReadString(modifier, "name") ?? "", modifierPrice, productId);
                        }
                    }
                }
            }

            return new PosPushResult { Outcome = PosPushOutcome.Delivered, Message = $"Read {items.Count} items from Poster account '{target.PosterAccount}' for spot {target.PosterSpotId}." };

            void Add(ExternalIdKind kind, string id, string name, decimal? price, string? parent)
            {
                if (seen.Add((kind, id)))
                {
                    items.Add(new PosCatalogEntry(kind, id, name, price, parent));
                }
            }
        });

        Log.Call(logger, "menu.getProducts", target.IntegrationId, result.Outcome, result.PosErrorCode, (long)result.Duration.TotalMilliseconds);
        return result.Outcome == PosPushOutcome.Delivered
            ? new PosCatalogRead(true, items, result.Message)
            : new PosCatalogRead(false, [], result.Message, result.Reason ?? FailureReason.PosUnreachable,
                result.FixHint ?? "Check that Poster is reachable and the token is valid (\"test connection\"), then import again.");
    }

    /// <summary>Whether the spot shows the item (no spot list counts as shown) and its price there in kopecks.</summary>
    private static (bool Shown, decimal? Price) SpotPrice(JsonElement item, long? spotId)
    {
        if (!item.TryGetProperty("spots", out var spots) || spots.ValueKind != JsonValueKind.Array)
        {
            return (true, ReadDecimal(PosterReply.ReadString(item, "price")));
        }

        foreach (var spot in spots.EnumerateArray())
        {
            if (PosterReply.ReadLong(spot, "spot_id") == spotId)
            {
                return (PosterReply.ReadString(spot, "visible") != "0", ReadDecimal(PosterReply.ReadString(spot, "price")));
            }
        }

        return (false, null);

        static decimal? ReadDecimal(string? text) =>
            decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    private sealed record Call(HttpStatusCode? Status, string? Body, TimeSpan? RetryAfter, TimeSpan Duration, PosPushResult? Failure);

    /// <summary>One call through <see cref="IPosterApi"/> (account, circuit, token, cancellation); transport failures become outcomes.</summary>
    private async Task<Call> SendAsync(Func<string, string, string, CancellationToken, Task<HttpResponseMessage>> send, PosTarget target, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await send(target.PosterAccount!, PosResilience.PosterCircuit(target.IntegrationId), target.Secret, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return new Call(response.StatusCode, body, PosHttp.RetryAfter(response.Headers, timeProvider.GetUtcNow()), Stopwatch.GetElapsedTime(started), null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && PosHttp.Describe(ex) is { } failure)
        {
            return new Call(null, null, null, Stopwatch.GetElapsedTime(started), new PosPushResult
            {
                Outcome = failure.Failure == TransportFailure.NotSent ? PosPushOutcome.Retryable : PosPushOutcome.Ambiguous,
                Message = "Poster: " + MaskToken(failure.Message),
                MessageRef = failure.Ref("Poster", MaskToken),
                RetryAfter = failure.RetryAfter,
                Duration = Stopwatch.GetElapsedTime(started),
            });
        }
    }

    /// <summary>Judges by the body (Poster answers errors with 200), then by the status.</summary>
    private static PosPushResult Interpret(Call call, PosOrder? order, Func<JsonElement, PosPushResult> onSuccess)
    {
        var reply = PosterReply.Parse(call.Body);
        var result = reply switch
        {
            PosterReply.Success success => onSuccess(success.Response),
            PosterReply.Failure error when call.Status is { } s && (int)s >= 500 && error.Code is null => Transient(call, "Poster failed"),
            PosterReply.Failure error => Translate(error, order),
            _ when call.Status is { } s && !((int)s is >= 200 and < 300) => Transient(call, "Poster answered"),
            PosterReply.Unreadable unreadable => new PosPushResult
            {
                // poster.md: a body with neither response nor error is a retryable failure.
                Outcome = PosPushOutcome.Retryable,
                Reason = FailureReason.PosUnexpectedResponse,
                Message = $"Poster answered something unreadable ({unreadable.Why}); safe to send again.",
            },
            _ => throw new UnreachableException(),
        };

        return result with
        {
            HttpStatus = call.Status is { } status ? (int)status : null,
            ResponseExcerpt = call.Body is null ? null : PosHttp.MaskJson(call.Body, PosterJson.PersonalKeys),
            Duration = call.Duration,
            RetryAfter = result.RetryAfter ?? (result.Outcome == PosPushOutcome.Retryable ? call.RetryAfter : null),
        };
    }

    private static PosPushResult Transient(Call call, string what) => new()
    {
        Outcome = PosPushOutcome.Retryable,
        Message = $"{what} HTTP {(int)call.Status!.Value}; not accepted, safe to send again.",
        RetryAfter = call.RetryAfter,
    };

    private static PosPushResult Translate(PosterReply.Failure error, PosOrder? order)
    {
        var productHint = error.Code == 41 && order is not null ? ProductHint(order, error.Message) : null;
        var translation = PosterErrors.Translate(error.Code, error.Message, productHint);
        return new PosPushResult
        {
            Outcome = translation.Outcome,
            Reason = translation.Reason,
            Message = translation.Message,
            FixHint = translation.FixHint,
            MessageRef = translation.MessageRef,
            FixHintRef = translation.FixHintRef,
            PosErrorCode = error.Code?.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Names the product when Poster's message carries its id, or when the order has only one.</summary>
    private static string? ProductHint(PosOrder order, string? message)
    {
        var names = order.Lines.Select(l => (l.ExternalProductId, l.Name)).Distinct().ToList();
        if (message is not null)
        {
            foreach (Match m in DigitsPattern().Matches(message))
            {
                var line = names.FirstOrDefault(n => n.ExternalProductId == m.Value);
                if (line.Name is not null)
                {
                    return $"'{line.Name}' (Poster id {line.ExternalProductId})";
                }
            }
        }

        return names.Count == 1 ? $"'{names[0].Name}' (Poster id {names[0].ExternalProductId})" : null;
    }

    private static PosPushResult Unexpected(string message) => new()
    {
        Outcome = PosPushOutcome.Retryable,
        Reason = FailureReason.PosUnexpectedResponse,
        Message = message,
    };

    private static string? StatusName(long? status) => status switch
    {
        0 => "new",
        1 => "accepted",
        7 => "rejected",
        _ => null,
    };

    private static PosPushResult? CheckTarget(PosTarget target, bool needSpot)
    {
        if (target.Kind != PosKind.Poster)
        {
            throw new ArgumentException($"A {target.Kind} target was given to the Poster client.", nameof(target));
        }

        if (string.IsNullOrWhiteSpace(target.PosterAccount) || !AccountPattern().IsMatch(target.PosterAccount))
        {
            return Config(FailureReason.PosRequestInvalid, "The POS integration has no valid Poster account name.",
                "Set the Poster account name (the part before .joinposter.com) in the pickup point's POS integration.", "noAccount");
        }

        if (string.IsNullOrWhiteSpace(target.Secret))
        {
            return Config(FailureReason.PosAuthRejected, "The POS integration has no Poster token.",
                "Paste the Poster API token (Access → Integrations) into the pickup point's POS integration.", "noToken");
        }

        if (needSpot && target.PosterSpotId is null or <= 0)
        {
            return Config(FailureReason.PosSpotNotFound, "The POS integration has no Poster spot id.",
                "Set the pickup point's Poster spot id (Poster → Locations).", "noSpot");
        }

        return null;

        static PosPushResult Config(FailureReason reason, string message, string hint, string key) => new()
        {
            Outcome = PosPushOutcome.Permanent,
            Reason = reason,
            Message = message + " Nothing was sent to Poster.",
            FixHint = hint,
            MessageRef = MessageRef.Of("poster.config." + key),
            FixHintRef = MessageRef.Of("hint.poster.config." + key),
        };
    }

    private static string MaskToken(string text) => TokenPattern().Replace(text, "token=***");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,62}$")]
    private static partial Regex AccountPattern();

    [GeneratedRegex("token=[^&\\s]*")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("\\d+")]
    private static partial Regex DigitsPattern();

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Information,
            Message = "Poster {Method} for integration {IntegrationId}: {Outcome} (error {PosErrorCode}) in {ElapsedMs} ms")]
        public static partial void Call(ILogger logger, string method, Guid integrationId, PosPushOutcome outcome, string? posErrorCode, long elapsedMs);
    }
}
