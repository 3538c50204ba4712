using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Telegram.TelegramChats;

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
