using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Telegram.SaveTelegramBot;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Telegram.TelegramChats;

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
