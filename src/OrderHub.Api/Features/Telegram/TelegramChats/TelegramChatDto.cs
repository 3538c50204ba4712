using System.Globalization;
using OrderHub.Domain.Alerts;

namespace OrderHub.Api.Features.Telegram.TelegramChats;

/// <summary>A registered chat and what it gets.</summary>
public sealed record TelegramChatDto(
    Guid Id,
    Guid CompanyId,
    Guid? PickupPointId,
    long ChatId,
    string Title,
    IReadOnlyList<string> Alerts,
    IReadOnlyList<string> Reports,
    string ReportAt,
    decimal? MinRegisterAmount,
    decimal? MinDiscountPercent,
    int? WaitingAlertMinutes,
    string Language)
{
    public static TelegramChatDto From(TelegramChat c) => new(
        c.Id, c.CompanyId, c.PickupPointId, c.ChatId, c.Title,
        ChatSettings.Names(c.Alerts), ChatSettings.Names(c.Reports),
        TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(c.ReportAtMinute)).ToString("HH:mm", CultureInfo.InvariantCulture),
        c.MinRegisterAmount, c.MinDiscountPercent, c.WaitingAlertMinutes, c.Language);
}
