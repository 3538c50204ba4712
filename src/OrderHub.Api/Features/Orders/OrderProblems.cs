using OrderHub.Api.Infrastructure;

namespace OrderHub.Api.Features.Orders;

/// <summary>Refusals of inbound order events, each naming the field at fault.</summary>
public static class OrderProblems
{
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
