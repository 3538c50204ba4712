using System.Globalization;
using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Telegram.SaveTelegramBot;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
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
    int? WaitingAlertMinutes)
{
    public static TelegramChatDto From(TelegramChat c) => new(
        c.Id, c.CompanyId, c.PickupPointId, c.ChatId, c.Title,
        ChatSettings.Names(c.Alerts), ChatSettings.Names(c.Reports),
        TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(c.ReportAtMinute)).ToString("HH:mm", CultureInfo.InvariantCulture),
        c.MinRegisterAmount, c.MinDiscountPercent, c.WaitingAlertMinutes);
}

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
    }

    public static void Rules<T>(AbstractValidator<T> validator)
        where T : TelegramChatSettings
    {
        validator.RuleForEach(c => c.Alerts).Must(IsName<AlertKinds>)
            .WithMessage($"Must be one of: {string.Join(", ", Enum.GetValues<AlertKinds>().Where(IsSingle))}.");
        validator.RuleFor(c => c.Alerts!.Count).LessThanOrEqualTo(32).When(c => c.Alerts is not null).OverridePropertyName("alerts");
        validator.RuleForEach(c => c.Reports).Must(IsName<ReportKinds>).WithMessage("Must be one of: EndOfDay, OnRequest, Status.");
        validator.RuleFor(c => c.Reports!.Count).LessThanOrEqualTo(8).When(c => c.Reports is not null).OverridePropertyName("reports");
        validator.RuleFor(c => c.ReportAt)
            .Must(t => TimeOnly.TryParseExact(t, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            .When(c => c.ReportAt is not null).WithMessage("Must be a local time HH:mm, e.g. 22:30.");
        validator.RuleFor(c => c.MinRegisterAmount).GreaterThanOrEqualTo(0).LessThan(100_000_000);
        validator.RuleFor(c => c.MinDiscountPercent).InclusiveBetween(0, 100);
        validator.RuleFor(c => c.WaitingAlertMinutes).InclusiveBetween(1, 24 * 60);
    }
}

/// <summary>Registers a chat by its Telegram id (as <c>/start CODE</c> does from the chat itself).</summary>
public sealed record AddTelegramChatCommand : TelegramChatSettings, IRequest<TelegramChatDto>
{
    [JsonIgnore]
    public Guid CompanyId { get; init; }

    /// <summary>Telegram's chat id (negative for groups).</summary>
    public long? ChatId { get; init; }

    /// <summary>The pickup point whose managers' chat this is; omit for the owners' chat.</summary>
    public Guid? PickupPointId { get; init; }

    public string? Title { get; init; }
}

public sealed class AddTelegramChatValidator : AbstractValidator<AddTelegramChatCommand>
{
    public AddTelegramChatValidator()
    {
        RuleFor(c => c.ChatId).NotNull().NotEqual(0);
        RuleFor(c => c.Title).MaximumLength(256);
        ChatSettings.Rules(this);
    }
}

public sealed class AddTelegramChatHandler(OrderHubDbContext db, AccessScope access, TimeProvider time) : IRequestHandler<AddTelegramChatCommand, TelegramChatDto>
{
    public async Task<TelegramChatDto> Handle(AddTelegramChatCommand request, CancellationToken cancellationToken)
    {
        await TelegramAccess.EnsureCompanyAsync(db, access, request.CompanyId, cancellationToken);
        if (request.PickupPointId is { } pointId
            && !await db.PickupPoints.AsNoTracking().AnyAsync(p => p.Id == pointId && p.CompanyId == request.CompanyId, cancellationToken))
        {
            throw ProblemException.Invalid("pickupPointId", "No pickup point of this company has this id.");
        }

        if (await db.TelegramChats.AnyAsync(c => c.CompanyId == request.CompanyId && c.ChatId == request.ChatId, cancellationToken))
        {
            throw TenancyRules.Taken("chatId", "Telegram chat", request.ChatId!.Value.ToString(CultureInfo.InvariantCulture));
        }

        var now = time.GetUtcNow();
        var chat = new TelegramChat
        {
            CompanyId = request.CompanyId,
            PickupPointId = request.PickupPointId,
            ChatId = request.ChatId!.Value,
            Title = request.Title ?? "",
            CreatedAt = now,
            UpdatedAt = now,
        };
        ChatSettings.Apply(chat, request);
        db.TelegramChats.Add(chat);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw TenancyRules.Taken("chatId", "Telegram chat", request.ChatId.Value.ToString(CultureInfo.InvariantCulture));
        }

        return TelegramChatDto.From(chat);
    }
}

public sealed record UpdateTelegramChatCommand : TelegramChatSettings, IRequest<TelegramChatDto>
{
    [JsonIgnore]
    public Guid Id { get; init; }

    public string? Title { get; init; }
}

public sealed class UpdateTelegramChatValidator : AbstractValidator<UpdateTelegramChatCommand>
{
    public UpdateTelegramChatValidator()
    {
        RuleFor(c => c.Title).MaximumLength(256);
        ChatSettings.Rules(this);
    }
}

public sealed class UpdateTelegramChatHandler(OrderHubDbContext db, AccessScope access, TimeProvider time) : IRequestHandler<UpdateTelegramChatCommand, TelegramChatDto>
{
    public async Task<TelegramChatDto> Handle(UpdateTelegramChatCommand request, CancellationToken cancellationToken)
    {
        var chat = await db.TelegramChats.FirstOrDefaultAsync(c => c.Id == request.Id, cancellationToken) ?? throw ProblemException.NotFound("Telegram chat", request.Id);
        await access.EnsureCanSeeAsync(chat.CompanyId, "Telegram chat", request.Id, cancellationToken);
        ChatSettings.Apply(chat, request);
        chat.Title = request.Title ?? chat.Title;
        chat.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TelegramChatDto.From(chat);
    }
}

public sealed record DeleteTelegramChatCommand(Guid Id) : IRequest<Unit>;

public sealed class DeleteTelegramChatHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<DeleteTelegramChatCommand, Unit>
{
    public async Task<Unit> Handle(DeleteTelegramChatCommand request, CancellationToken cancellationToken)
    {
        var chat = await db.TelegramChats.FirstOrDefaultAsync(c => c.Id == request.Id, cancellationToken) ?? throw ProblemException.NotFound("Telegram chat", request.Id);
        await access.EnsureCanSeeAsync(chat.CompanyId, "Telegram chat", request.Id, cancellationToken);
        db.TelegramChats.Remove(chat);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}

public sealed record GetTelegramChatsQuery(Guid CompanyId) : IRequest<IReadOnlyList<TelegramChatDto>>;

public sealed class GetTelegramChatsHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<GetTelegramChatsQuery, IReadOnlyList<TelegramChatDto>>
{
    public async Task<IReadOnlyList<TelegramChatDto>> Handle(GetTelegramChatsQuery request, CancellationToken cancellationToken)
    {
        await TelegramAccess.EnsureCompanyAsync(db, access, request.CompanyId, cancellationToken);
        var chats = await db.TelegramChats.AsNoTracking().Where(c => c.CompanyId == request.CompanyId).OrderBy(c => c.CreatedAt).ToListAsync(cancellationToken);
        return [.. chats.Select(TelegramChatDto.From)];
    }
}
