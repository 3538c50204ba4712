using OrderHub.Api.Infrastructure;
using OrderHub.Integrations.Dots;

namespace OrderHub.Api.Features.Orders;

/// <summary>Refusals of inbound order events, each naming the field at fault.</summary>
public static class OrderProblems
{
    /// <summary>A kopeck of rounding is normal; more means the order does not add up.</summary>
    public const decimal TotalTolerance = 0.01m;

    /// <summary>
    /// The checks an event must pass before it is stored (422): it belongs to the company of the URL, and an accepted
    /// order's total adds up. Pure: the webhook runs them without a database round trip.
    /// </summary>
    public static void EnsureAcceptable(DotsEvent dotsEvent, string companyDotsId)
    {
        if (dotsEvent.CompanyId is { } claimed && !string.Equals(claimed, companyDotsId, StringComparison.Ordinal))
        {
            throw WrongCompany(claimed);
        }

        if (dotsEvent is { EventType: DotsEventTypes.OrderAccepted, Order: { } order } && Math.Abs(order.ComputedTotal - order.Total) > TotalTolerance)
        {
            throw TotalDoesNotAddUp(order.Total, order.ComputedTotal);
        }
    }

    public static ProblemException WrongCompany(string dotsCompanyId) => new(
        StatusCodes.Status422UnprocessableEntity,
        "The order belongs to another company",
        $"order.companyId '{dotsCompanyId}' is not the company this webhook URL and secret belong to.",
        new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["order.companyId"] = ["Does not match the company of this webhook endpoint."] } });

    public static ProblemException TotalDoesNotAddUp(decimal declared, decimal computed) => new(
        StatusCodes.Status422UnprocessableEntity,
        "The order's total does not add up",
        $"order.total is {declared} but lines − promotions + delivery make {computed}.",
        new Dictionary<string, object?>
        {
            ["errors"] = new Dictionary<string, string[]>
            {
                ["order.total"] = [$"Expected {computed} (lines − promotions + delivery), got {declared}."],
            },
        });
}
