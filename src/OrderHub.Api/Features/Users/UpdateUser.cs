using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Users;

namespace OrderHub.Api.Features.Users;

/// <summary>Changes a user's display name, role, companies, enabled flag or language; omitted fields keep their values. Admin only.</summary>
public sealed record UpdateUserCommand : IRequest<UserDto>
{
    [JsonIgnore]
    public Guid Id { get; init; }
    public string? DisplayName { get; init; }
    public string? Role { get; init; }
    public IReadOnlyList<Guid>? CompanyIds { get; init; }
    public bool? Enabled { get; init; }
    public string? Language { get; init; }

    /// <summary>Which parked orders the user sees: <c>All</c>, <c>Own</c> or <c>SameRole</c>.</summary>
    public string? ParkedVisibility { get; init; }
}

public sealed class UpdateUserValidator : AbstractValidator<UpdateUserCommand>
{
    public UpdateUserValidator()
    {
        RuleFor(c => c.DisplayName).DisplayName().When(c => c.DisplayName is not null);
        RuleFor(c => c.Role).Role().When(c => c.Role is not null);
        RuleFor(c => c.Language).Language().When(c => c.Language is not null);
        RuleFor(c => c.ParkedVisibility).Must(v => v is null || Enum.GetNames<Domain.Parking.ParkedVisibility>().Contains(v))
            .WithMessageKey("valid.scope");
        RuleFor(c => c.CompanyIds).Must(ids => ids is null || ids.Count <= 1000).WithMessageKey("valid.companies");
        RuleForEach(c => c.CompanyIds).NotEmpty();
    }
}

public sealed class UpdateUserHandler(OrderHubDbContext db, AccessScope access, TimeProvider time, AuditTrail audit)
    : IRequestHandler<UpdateUserCommand, UserDto>
{
    public async Task<UserDto> Handle(UpdateUserCommand request, CancellationToken cancellationToken)
    {
        var user = await UserRules.FindVisibleAsync(db, access, request.Id, tracked: true, cancellationToken);
        var before = UserDto.AuditView(user);
        if (request.CompanyIds is not null)
        {
            await UserRules.EnsureCompaniesExistAsync(db, request.CompanyIds, cancellationToken);
        }

        var role = user.Role;
        if (request.Role is not null)
        {
            UserPrincipal.TryParseRole(request.Role, out role);
        }

        var enabled = request.Enabled ?? user.Enabled;
        if (user is { Role: UserRole.Admin, Enabled: true } && (role != UserRole.Admin || !enabled))
        {
            await UserRules.EnsureNotLastAdminAsync(db, user, cancellationToken);
        }

        var companies = request.CompanyIds ?? user.Companies.Select(c => c.CompanyId).ToList();
        if (role != user.Role || enabled != user.Enabled || !companies.ToHashSet().SetEquals(user.Companies.Select(c => c.CompanyId)))
        {
            // What the user may do changed: sessions opened under the old rights end.
            user.SecurityStamp = User.NewSecurityStamp();
        }

        user.Role = role;
        user.Enabled = enabled;
        user.DisplayName = request.DisplayName ?? user.DisplayName;
        user.Language = request.Language ?? user.Language;
        if (request.ParkedVisibility is not null)
        {
            var visibility = Enum.Parse<Domain.Parking.ParkedVisibility>(request.ParkedVisibility);
            user.ParkedVisibility = visibility == Domain.Parking.ParkedVisibility.All ? null : visibility;
        }

        UserRules.SetCompanies(user, companies);
        user.UpdatedAt = time.GetUtcNow();
        audit.Record(db, "User", user.Id.ToString(), null, "updated", before, UserDto.AuditView(user));
        await db.SaveChangesAsync(cancellationToken);
        return UserDto.From(user, time.GetUtcNow());
    }
}
