using System.Globalization;
using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Telegram.SaveTelegramBot;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Alerts;

namespace OrderHub.Api.Features.Telegram.TelegramChats;

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
            throw ProblemException.Invalid("pickupPointId", Msg.Of("refusal.notCompanyPoint"));
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
