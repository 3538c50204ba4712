using OrderHub.Api.ControlPanel.Orders;
using OrderHub.Domain.History;

namespace OrderHub.UnitTests.Panel;

public sealed class OrderTextsTests
{
    /// <summary>The orders filter and the problem box name every reason in plain words, never as a raw key.</summary>
    [Fact]
    public void Every_failure_reason_has_a_name_and_a_help_text_in_Ukrainian_and_English()
    {
        var texts = OrderTexts.All;
        var missing = Enum.GetNames<FailureReason>()
            .SelectMany(name => new[] { "reason." + name, "reasonHelp." + name })
            .Where(key => !texts.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text.Uk) || string.IsNullOrWhiteSpace(text.En))
            .ToList();

        missing.ShouldBeEmpty();
    }
}
