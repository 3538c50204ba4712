using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Simulators;

/// <summary>
/// A webhook POS at <c>{prefix}/pos/{path}</c> (each path is its own target): verifies the Standard Webhooks
/// signature over the raw body, deduplicates by <c>webhook-id</c>, answers <c>{"posOrderId": ...}</c>.
/// </summary>
internal static class WebhookPosSimulatorEndpoints
{
    public static void Map(IEndpointRouteBuilder group, PosSimulator simulator)
    {
        group.MapPost("/pos/{**path}", (HttpContext http, string path) => HandleAsync(http, simulator, path));
    }

    private static async Task<IResult> HandleAsync(HttpContext http, PosSimulator simulator, string path)
    {
        var target = "pos/" + path.Trim('/');
        var faults = simulator.FaultsFor(target);
        simulator.CountReceived(target);

        if (await SimulatorFaults.BeforeAsync(http, simulator, target, faults) is { } faulted)
        {
            return faulted;
        }

        if (faults.StatusCode is { } fixedStatus)
        {
            simulator.CountRejected(target);
            return Results.Json(new { error = $"simulated status {fixedStatus}" }, statusCode: fixedStatus);
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var raw = buffer.ToArray();
        var id = http.Request.Headers[StandardWebhookSignature.IdHeader].ToString();
        var verdict = StandardWebhookSignature.Verify(
            simulator.Options.WebhookSecrets,
            id,
            http.Request.Headers[StandardWebhookSignature.TimestampHeader].ToString(),
            http.Request.Headers[StandardWebhookSignature.SignatureHeader].ToString(),
            raw,
            simulator.Time.GetUtcNow());
        if (verdict != SignatureFailure.None)
        {
            simulator.CountRejected(target);
            return Results.Json(new { error = "signature", reason = verdict.ToString() }, statusCode: StatusCodes.Status401Unauthorized);
        }

        JsonObject? body;
        try
        {
            body = JsonNode.Parse(raw) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        var type = body?["type"]?.GetValueKind() == JsonValueKind.String ? body["type"]!.GetValue<string>() : null;
        var kind = type switch
        {
            "pos-order" => "order",
            "pos-order.cancelled" => "cancel",
            "ping" => "ping",
            _ => null,
        };
        if (kind is null || body?["version"]?.ToString() != "1")
        {
            simulator.CountRejected(target);
            return Results.Json(new { error = "unsupported type or version" }, statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        if (kind == "ping")
        {
            return Results.Json(new { ok = true });
        }

        var number = body!["order"]?["number"]?.ToString();
        var (order, duplicate) = simulator.Record(new SimulatedOrder(
            target, kind, "wh-" + simulator.NextId(), id, number is null ? null : $"[Dots #{number}]", simulator.Time.GetUtcNow(), body));

        if (await SimulatorFaults.DelayAnswerAsync(http, simulator, target, faults))
        {
            return Results.Empty;
        }

        return Results.Json(new { posOrderId = order.PosOrderId, duplicate });
    }
}
