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

/// <summary>Who may manage a user's API keys: the user themself, or an admin.</summary>
internal static class ApiKeyRules
{
    public static async Task<User> FindOwnerAsync(OrderHubDbContext db, ClaimsPrincipal caller, Guid userId, CancellationToken cancellationToken)
    {
        // Anyone else's keys are 404, as if the user did not exist: a manager must not learn user ids this way.
        if (!caller.IsInRole(AccessScope.AdminRole) && caller.UserId() != userId)
        {
            throw ProblemException.NotFound("User", userId);
        }

        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken)
               ?? throw ProblemException.NotFound("User", userId);
    }
}

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

public sealed record GetApiKeysQuery(Guid UserId, ClaimsPrincipal Caller) : IRequest<IReadOnlyList<ApiKeyDto>>;

public sealed class GetApiKeysHandler(OrderHubDbContext db) : IRequestHandler<GetApiKeysQuery, IReadOnlyList<ApiKeyDto>>
{
    public async Task<IReadOnlyList<ApiKeyDto>> Handle(GetApiKeysQuery request, CancellationToken cancellationToken)
    {
        var user = await ApiKeyRules.FindOwnerAsync(db, request.Caller, request.UserId, cancellationToken);
        var keys = await db.UserApiKeys.AsNoTracking().Where(k => k.UserId == user.Id).ToListAsync(cancellationToken);
        return keys.OrderBy(k => k.CreatedAt).Select(k => new ApiKeyDto(k.Id, k.UserId, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt)).ToList();
    }
}

/// <summary>Revokes a key: it stops working at once and stays listed as revoked.</summary>
public sealed record RevokeApiKeyCommand(Guid UserId, Guid KeyId, ClaimsPrincipal Caller) : IRequest<ApiKeyDto>;

public sealed class RevokeApiKeyHandler(OrderHubDbContext db, TimeProvider time) : IRequestHandler<RevokeApiKeyCommand, ApiKeyDto>
{
    public async Task<ApiKeyDto> Handle(RevokeApiKeyCommand request, CancellationToken cancellationToken)
    {
        var user = await ApiKeyRules.FindOwnerAsync(db, request.Caller, request.UserId, cancellationToken);
        var key = await db.UserApiKeys.FirstOrDefaultAsync(k => k.Id == request.KeyId && k.UserId == user.Id, cancellationToken)
                  ?? throw ProblemException.NotFound("API key", request.KeyId);
        if (key.RevokedAt is null)
        {
            key.RevokedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        return new ApiKeyDto(key.Id, key.UserId, key.Name, key.Prefix, key.CreatedAt, key.LastUsedAt, key.RevokedAt);
    }
}
