using System.Security.Cryptography;
using System.Text.Json.Serialization;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderHub.Api.Alerts;
using OrderHub.Api.Features.Telegram.SaveTelegramBot;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Alerts;

namespace OrderHub.Api.Features.Telegram.CreateChatCode;

/// <summary>The code, shown once: send <see cref="Command"/> in the chat to connect it.</summary>
public sealed record ChatCodeDto(string Code, string Command, Guid? PickupPointId, DateTimeOffset ExpiresAt);

/// <summary>
/// A one-time code that connects the chat it is sent from: to a pickup point (its managers' chat) or, without
/// <c>pickupPointId</c>, as the company's owners' chat. Short-lived and single use; only its hash is stored.
/// </summary>
public sealed record CreateChatCodeCommand : IRequest<ChatCodeDto>
{
    [JsonIgnore]
    public Guid CompanyId { get; init; }

    /// <summary>The pickup point whose chat this is; omit for the owners' chat.</summary>
    public Guid? PickupPointId { get; init; }
}

public sealed class CreateChatCodeHandler(OrderHubDbContext db, AccessScope access, IOptions<TelegramOptions> options, TimeProvider time)
    : IRequestHandler<CreateChatCodeCommand, ChatCodeDto>
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public async Task<ChatCodeDto> Handle(CreateChatCodeCommand request, CancellationToken cancellationToken)
    {
        await TelegramAccess.EnsureCompanyAsync(db, access, request.CompanyId, cancellationToken);
        if (request.PickupPointId is { } pointId
            && !await db.PickupPoints.AsNoTracking().AnyAsync(p => p.Id == pointId && p.CompanyId == request.CompanyId, cancellationToken))
        {
            throw ProblemException.Invalid("pickupPointId", Msg.Of("refusal.notCompanyPoint"));
        }

        if (!await db.TelegramBots.AsNoTracking().AnyAsync(b => b.CompanyId == request.CompanyId, cancellationToken))
        {
            throw ProblemException.Conflict(Msg.Of("problem.noBot"), Msg.Of("problem.noBot.detail"));
        }

        // 10 characters of a 32-letter alphabet: 50 bits, for a code that lives minutes and works once.
        var code = string.Create(10, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
        });
        var now = time.GetUtcNow();
        var row = db.TelegramChatCodes.Add(new TelegramChatCode
        {
            CompanyId = request.CompanyId,
            PickupPointId = request.PickupPointId,
            CodePrefix = TelegramUpdateHandler.PrefixOf(code),
            CodeHash = TelegramUpdateHandler.HashCode(code),
            CreatedAt = now,
            ExpiresAt = now + options.Value.ChatCodeLifetime,
        }).Entity;
        await db.SaveChangesAsync(cancellationToken);
        return new ChatCodeDto(code, $"/start {code}", row.PickupPointId, row.ExpiresAt);
    }
}
