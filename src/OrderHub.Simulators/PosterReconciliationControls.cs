using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OrderHub.Simulators;

/// <summary>
/// Test-only controls, like the fault controls: what a reconciliation must find at a Poster register. An online
/// order lost (deleted), held twice (duplicated under a new id) or changed by the cashier (a product's price).
/// </summary>
internal static class PosterReconciliationControls
{
    public static void Map(IEndpointRouteBuilder group, PosSimulator simulator)
    {
        group.MapDelete("/control/poster/{account}/orders/{id}", (string account, string id) =>
            simulator.Remove("poster/" + account, id) ? Results.NoContent() : Results.NotFound());

        group.MapPost("/control/poster/{account}/orders/{id}/duplicate", (string account, string id) =>
            simulator.Duplicate("poster/" + account, id) is { } copy ? Results.Ok(new { incomingOrderId = copy.PosOrderId }) : Results.NotFound());

        // Adds `by` kopecks to the first product's unit price: the check's total changes by by × its count.
        group.MapPost("/control/poster/{account}/orders/{id}/total", (string account, string id, TotalChange change) =>
            simulator.ChangeBody("poster/" + account, id, body =>
            {
                if (body["products"] is JsonArray { Count: > 0 } products && products[0] is JsonObject first)
                {
                    var price = long.TryParse(first["price"]?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : 0;
                    first["price"] = price + change.By;
                }
            })
                ? Results.NoContent()
                : Results.NotFound());
    }

    /// <param name="By">Kopecks added to the first product's unit price (negative lowers it).</param>
    internal sealed record TotalChange(long By);
}
