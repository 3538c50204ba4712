using MediatR;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Users;

public sealed record GetUserQuery(Guid Id) : IRequest<UserDto>;

public sealed class GetUserHandler(OrderHubDbContext db, AccessScope access, TimeProvider time) : IRequestHandler<GetUserQuery, UserDto>
{
    public async Task<UserDto> Handle(GetUserQuery request, CancellationToken cancellationToken) =>
        UserDto.From(await UserRules.FindVisibleAsync(db, access, request.Id, tracked: false, cancellationToken), time.GetUtcNow());
}
