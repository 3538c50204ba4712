using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Users;

/// <summary>Every user the caller may see (a manager: those of their companies), by login name.</summary>
public sealed record GetUsersQuery : IRequest<IReadOnlyList<UserDto>>;

public sealed class GetUsersHandler(OrderHubDbContext db, AccessScope access, TimeProvider time) : IRequestHandler<GetUsersQuery, IReadOnlyList<UserDto>>
{
    public async Task<IReadOnlyList<UserDto>> Handle(GetUsersQuery request, CancellationToken cancellationToken)
    {
        var query = db.Users.AsNoTracking().Include(u => u.Companies).AsQueryable();
        if (await access.CompanyIdsAsync(cancellationToken) is { } visibleIds)
        {
            var visible = visibleIds.ToList();
            query = query.Where(u => u.Companies.Any(c => visible.Contains(c.CompanyId)));
        }

        var now = time.GetUtcNow();
        return (await query.OrderBy(u => u.LoginName).Take(1000).ToListAsync(cancellationToken)).Select(u => UserDto.From(u, now)).ToList();
    }
}
