using System.Security.Claims;
using MediatR;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Users;

public static class UserEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/me", async (ClaimsPrincipal user, AccessScope access, CancellationToken ct) =>
                TypedResults.Ok(new CurrentUserDto(user.Identity?.Name ?? "", user.UserId(), user.FindFirstValue(ClaimTypes.Role) ?? "",
                    await access.CompanyIdsAsync(ct))))
            .WithTags("Users").WithName("GetCurrentUser")
            .WithSummary("Who the caller is: name, user id (database users), role, and the companies they see (null: all)")
            .Produces<CurrentUserDto>();

        var users = api.MapGroup("/users").WithTags("Users");
        users.MapGet("/", (IMediator m, CancellationToken ct) => m.Send(new GetUsersQuery(), ct))
            .RequireAuthorization(AccessScope.ReadUsersPolicy)
            .WithName("GetUsers").WithSummary("Users by login name (a manager sees those of their companies); never passwords or hashes")
            .Produces<IReadOnlyList<UserDto>>();
        users.MapPost("/", async (IMediator m, CreateUserCommand command, CancellationToken ct) =>
            {
                var user = await m.Send(command, ct);
                return TypedResults.Created($"/api/users/{user.Id}", user);
            })
            .RequireAuthorization(AccessScope.AdminPolicy)
            .WithName("CreateUser").WithSummary("Add a user with a role, companies and a password (at least 10 characters)")
            .Produces<UserDto>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        users.MapGet("/{id:guid}", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetUserQuery(id), ct))
            .RequireAuthorization(AccessScope.ReadUsersPolicy)
            .WithName("GetUser").WithSummary("One user")
            .Produces<UserDto>().ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPut("/{id:guid}", (IMediator m, Guid id, UpdateUserCommand command, CancellationToken ct) => m.Send(command with { Id = id }, ct))
            .RequireAuthorization(AccessScope.AdminPolicy)
            .WithName("UpdateUser").WithSummary("Change a user's display name, role, companies, enabled flag or language; omitted fields keep their values")
            .Produces<UserDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        users.MapPost("/{id:guid}/password", (IMediator m, Guid id, ResetPasswordCommand command, CancellationToken ct) =>
                m.Send(command with { Id = id }, ct))
            .RequireAuthorization(AccessScope.AdminPolicy)
            .WithName("ResetUserPassword").WithSummary("Set a new password (at least 10 characters); ends a lockout")
            .Produces<UserDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPost("/{id:guid}/unlock", (IMediator m, Guid id, CancellationToken ct) => m.Send(new UnlockUserCommand(id), ct))
            .RequireAuthorization(AccessScope.AdminPolicy)
            .WithName("UnlockUser").WithSummary("End a lockout after too many failed sign-ins")
            .Produces<UserDto>().ProducesProblem(StatusCodes.Status404NotFound);

        users.MapPost("/{id:guid}/sign-out-everywhere", (IMediator m, Guid id, CancellationToken ct) => m.Send(new SignOutEverywhereCommand(id), ct))
            .RequireAuthorization(AccessScope.AdminPolicy)
            .WithName("SignOutUserEverywhere").WithSummary("End every panel session of the user at once (their cookies stop working)")
            .Produces<UserDto>().ProducesProblem(StatusCodes.Status404NotFound);

        // A user manages their own keys; an admin anyone's. Others get 404.
        users.MapGet("/{id:guid}/api-keys", (IMediator m, Guid id, ClaimsPrincipal user, CancellationToken ct) => m.Send(new GetApiKeysQuery(id, user), ct))
            .WithName("GetApiKeys").WithSummary("A user's API keys: name, prefix, created, last used, revoked; never the key")
            .Produces<IReadOnlyList<ApiKeyDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPost("/{id:guid}/api-keys", async (IMediator m, Guid id, CreateApiKeyCommand command, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var key = await m.Send(command with { UserId = id, Caller = user }, ct);
                return TypedResults.Created($"/api/users/{id}/api-keys/{key.Id}", key);
            })
            .WithName("CreateApiKey").WithSummary("Create a named API key for the user; the key is returned this once")
            .Produces<CreatedApiKeyDto>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        users.MapDelete("/{id:guid}/api-keys/{keyId:guid}", (IMediator m, Guid id, Guid keyId, ClaimsPrincipal user, CancellationToken ct) =>
                m.Send(new RevokeApiKeyCommand(id, keyId, user), ct))
            .WithName("RevokeApiKey").WithSummary("Revoke an API key; it stops working at once")
            .Produces<ApiKeyDto>().ProducesProblem(StatusCodes.Status404NotFound);
    }
}
