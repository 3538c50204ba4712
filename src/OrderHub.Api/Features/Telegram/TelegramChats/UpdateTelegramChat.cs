using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Telegram.TelegramChats;

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
