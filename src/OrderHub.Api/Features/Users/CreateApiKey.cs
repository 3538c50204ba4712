using System.Security.Claims;
using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Users;

namespace OrderHub.Api.Features.Users;

/// <summary>Creates a named API key for a user; the key is in the response once and stored only as a hash.</summary>
public sealed record CreateApiKeyCommand : IRequest<CreatedApiKeyDto>
{
    [JsonIgnore]
    public Guid UserId { get; init; }

    [JsonIgnore]
    public ClaimsPrincipal? Caller { get; init; }

    /// <summary>What the key is for, e.g. "reporting script"; unique among the user's active keys.</summary>
    public string? Name { get; init; }

    public override string ToString() => $"{nameof(CreateApiKeyCommand)} {{ UserId = {UserId} }}";
}

public sealed class CreateApiKeyValidator : AbstractValidator<CreateApiKeyCommand>
{
    public CreateApiKeyValidator() => RuleFor(c => c.Name).DisplayName();
}

public sealed class CreateApiKeyHandler(OrderHubDbContext db, TimeProvider time) : IRequestHandler<CreateApiKeyCommand, CreatedApiKeyDto>
{
    public const int MaxActiveKeys = 20;

    public async Task<CreatedApiKeyDto> Handle(CreateApiKeyCommand request, CancellationToken cancellationToken)
    {
        var user = await ApiKeyRules.FindOwnerAsync(db, request.Caller!, request.UserId, cancellationToken);
        var active = await db.UserApiKeys.Where(k => k.UserId == user.Id && k.RevokedAt == null).Select(k => k.Name).ToListAsync(cancellationToken);
        if (active.Contains(request.Name!))
        {
            throw TenancyRules.Taken("name", "API key", request.Name!);
        }

        if (active.Count >= MaxActiveKeys)
        {
            throw ProblemException.Conflict(Msg.Of("problem.tooManyKeys"), Msg.Of("problem.tooManyKeys.detail", ("max", MaxActiveKeys)));
        }

        var (key, prefix, hash) = ApiKeyHashing.Generate();
        var entity = new UserApiKey { UserId = user.Id, Name = request.Name!, Prefix = prefix, KeyHash = hash, CreatedAt = time.GetUtcNow() };
        db.UserApiKeys.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKeyDto(entity.Id, user.Id, entity.Name, prefix, entity.CreatedAt, key);
    }
}
