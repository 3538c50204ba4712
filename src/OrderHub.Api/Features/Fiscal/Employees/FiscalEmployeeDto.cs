using OrderHub.Api.Fiscalization;
using OrderHub.Api.Messages;
using OrderHub.Domain.Fiscal;

namespace OrderHub.Api.Features.Fiscal.Employees;

/// <summary>An employee who fiscalizes, with the warnings about their setup (empty or suspicious ФН ПРРО).</summary>
public sealed record FiscalEmployeeDto
{
    public Guid Id { get; init; }
    public Guid PickupPointId { get; init; }
    public string Name { get; init; } = "";

    /// <summary>The linked user's login name.</summary>
    public string? UserName { get; init; }

    /// <summary>The register's fiscal number (ФН ПРРО).</summary>
    public string? FiscalNumber { get; init; }
    public bool IsDefaultCashier { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public static FiscalEmployeeDto From(FiscalEmployee e) => new()
    {
        Id = e.Id,
        PickupPointId = e.PickupPointId,
        Name = e.Name,
        UserName = e.UserName,
        FiscalNumber = e.FiscalNumber,
        IsDefaultCashier = e.IsDefaultCashier,
        Warnings = WarningsFor(e),
        CreatedAt = e.CreatedAt,
        UpdatedAt = e.UpdatedAt,
    };

    public static IReadOnlyList<string> WarningsFor(FiscalEmployee e)
    {
        var warnings = new List<string>();
        if (string.IsNullOrWhiteSpace(e.FiscalNumber))
        {
            warnings.Add(MessageCatalog.Render(FiscalMessages.EnterFiscalNumberHint(e.Name), MessageCatalog.CurrentLanguage));
        }
        else if (FiscalNumberRule.LooksLikePersonalTaxNumber(e.FiscalNumber))
        {
            warnings.Add(MessageCatalog.Render(Msg.Of("fiscal.personalTaxNumber"), MessageCatalog.CurrentLanguage));
        }

        if (e.UserName is null)
        {
            warnings.Add(MessageCatalog.Render(Msg.Of("fiscal.noUserLinked"), MessageCatalog.CurrentLanguage));
        }

        return warnings;
    }
}
