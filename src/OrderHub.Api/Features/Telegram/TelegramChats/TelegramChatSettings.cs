using System.Globalization;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Messages;
using OrderHub.Api.Shared;
using OrderHub.Domain.Alerts;

namespace OrderHub.Api.Features.Telegram.TelegramChats;

/// <summary>The settings of a chat; on update an omitted field keeps its value.</summary>
public abstract record TelegramChatSettings
{
    /// <summary>Alerts switched on: ExportFailed, NeedsMapping, WaitingTooLong, ChangedAfterExport, PosCircuit, UnroutedEvent, CheckDeleted, ItemRemovedAfterKitchen, DiscountSet, RemovedAfterPrecheck, CheckClosed, FiscalReceiptFailed, RefundIssued.</summary>
    public IReadOnlyList<string>? Alerts { get; init; }

    /// <summary>Reports: EndOfDay, OnRequest, Status.</summary>
    public IReadOnlyList<string>? Reports { get; init; }

    /// <summary>Local time of the end-of-day report, <c>HH:mm</c> in each pickup point's time zone (default 23:00).</summary>
    public string? ReportAt { get; init; }

    /// <summary>Register operations that move less money than this are not alerted.</summary>
    public decimal? MinRegisterAmount { get; init; }

    /// <summary>Discounts below this percent are not alerted.</summary>
    public decimal? MinDiscountPercent { get; init; }

    /// <summary>
    /// Minutes an order may wait for export, or for the POS to accept it, before this chat gets a WaitingTooLong
    /// alert (1–1440); omit or null for the instance's default (10 minutes unless configured otherwise).
    /// </summary>
    public int? WaitingAlertMinutes { get; init; }

    /// <summary>The language of the chat's alerts, reports and replies: <c>uk</c> (default) or <c>en</c>.</summary>
    public string? Language { get; init; }
}

public static class ChatSettings
{
    public static IReadOnlyList<string> Names<T>(T flags)
        where T : struct, Enum =>
        [.. Enum.GetValues<T>().Where(v => IsSingle(v) && flags.HasFlag(v)).Select(v => v.ToString())];

    public static bool IsSingle<T>(T value)
        where T : struct, Enum
    {
        var bits = Convert.ToInt64(value, CultureInfo.InvariantCulture);
        return bits != 0 && (bits & (bits - 1)) == 0;
    }

    public static T Parse<T>(IReadOnlyList<string> names)
        where T : struct, Enum =>
        names.Aggregate(default(T), (all, name) => (T)Enum.ToObject(typeof(T),
            Convert.ToInt64(all, CultureInfo.InvariantCulture) | Convert.ToInt64(Enum.Parse<T>(name, ignoreCase: true), CultureInfo.InvariantCulture)));

    public static bool IsName<T>(string? name)
        where T : struct, Enum => TenancyRules.TryParseName<T>(name, out var value) && IsSingle(value);

    public static void Apply(TelegramChat chat, TelegramChatSettings settings)
    {
        if (settings.Alerts is not null)
        {
            chat.Alerts = Parse<AlertKinds>(settings.Alerts);
        }

        if (settings.Reports is not null)
        {
            chat.Reports = Parse<ReportKinds>(settings.Reports);
        }

        if (settings.ReportAt is not null)
        {
            var at = TimeOnly.ParseExact(settings.ReportAt, "HH:mm", CultureInfo.InvariantCulture);
            chat.ReportAtMinute = at.Hour * 60 + at.Minute;
        }

        chat.MinRegisterAmount = settings.MinRegisterAmount ?? chat.MinRegisterAmount;
        chat.MinDiscountPercent = settings.MinDiscountPercent ?? chat.MinDiscountPercent;
        chat.WaitingAlertMinutes = settings.WaitingAlertMinutes ?? chat.WaitingAlertMinutes;
        chat.Language = settings.Language ?? chat.Language;
    }

    public static void Rules<T>(AbstractValidator<T> validator)
        where T : TelegramChatSettings
    {
        validator.RuleForEach(c => c.Alerts).Must(IsName<AlertKinds>)
            .WithMessageKey("valid.oneOf", ("values", string.Join(", ", Enum.GetValues<AlertKinds>().Where(IsSingle))));
        validator.RuleFor(c => c.Alerts!.Count).LessThanOrEqualTo(32).When(c => c.Alerts is not null).OverridePropertyName("alerts");
        validator.RuleForEach(c => c.Reports).Must(IsName<ReportKinds>).WithMessageKey("valid.reports");
        validator.RuleFor(c => c.Reports!.Count).LessThanOrEqualTo(8).When(c => c.Reports is not null).OverridePropertyName("reports");
        validator.RuleFor(c => c.ReportAt)
            .Must(t => TimeOnly.TryParseExact(t, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            .When(c => c.ReportAt is not null).WithMessageKey("valid.localTime");
        validator.RuleFor(c => c.MinRegisterAmount).GreaterThanOrEqualTo(0).LessThan(100_000_000);
        validator.RuleFor(c => c.MinDiscountPercent).InclusiveBetween(0, 100);
        validator.RuleFor(c => c.WaitingAlertMinutes).InclusiveBetween(1, 24 * 60);
        validator.RuleFor(c => c.Language).Must(l => l is "uk" or "en").When(c => c.Language is not null).WithMessageKey("valid.language");
    }
}
