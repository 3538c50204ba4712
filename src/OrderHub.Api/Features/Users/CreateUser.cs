using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Users;

namespace OrderHub.Api.Features.Users;

/// <summary>Adds a user with a password. Admin only.</summary>
public sealed record CreateUserCommand : IRequest<UserDto>
{
    /// <summary>3 to 64 of a-z, 0-9, '.', '_', '@', '-'; stored lowercase; unique.</summary>
    public string? LoginName { get; init; }
    public string? DisplayName { get; init; }

    /// <summary>admin, manager or support.</summary>
    public string? Role { get; init; }

    /// <summary>The companies a manager or support user works with; ignored for an admin (sees all).</summary>
    public IReadOnlyList<Guid>? CompanyIds { get; init; }

    /// <summary>At least 10 characters. Write-only.</summary>
    public string? Password { get; init; }

    /// <summary>uk (default) or en.</summary>
    public string? Language { get; init; }

    /// <summary>Default true.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Never written to logs: the record's generated ToString would print the password.</summary>
    public override string ToString() => $"{nameof(CreateUserCommand)} {{ LoginName = {LoginName} }}";
}

public sealed class CreateUserValidator : AbstractValidator<CreateUserCommand>
{
    public CreateUserValidator()
    {
        RuleFor(c => c.LoginName).LoginName();
        RuleFor(c => c.DisplayName).DisplayName();
        RuleFor(c => c.Role).Role();
        RuleFor(c => c.Password).Password();
        RuleFor(c => c.Language).Language().When(c => c.Language is not null);
        RuleFor(c => c.CompanyIds).Must(ids => ids is null || ids.Count <= 1000).WithMessageKey("valid.companies");
        RuleForEach(c => c.CompanyIds).NotEmpty();
    }
}

public sealed class CreateUserHandler(OrderHubDbContext db, IPasswordHasher<User> hasher, TimeProvider time, AuditTrail audit)
    : IRequestHandler<CreateUserCommand, UserDto>
{
    public async Task<UserDto> Handle(CreateUserCommand request, CancellationToken cancellationToken)
    {
        var login = UserRules.Normalize(request.LoginName!);
        if (await db.Users.AnyAsync(u => u.LoginName == login, cancellationToken))
        {
            throw TenancyRules.Taken("loginName", "User", login);
        }

        var companyIds = request.CompanyIds ?? [];
        await UserRules.EnsureCompaniesExistAsync(db, companyIds, cancellationToken);
        UserPrincipal.TryParseRole(request.Role, out var role);
        var now = time.GetUtcNow();
        var user = new User
        {
            LoginName = login,
            DisplayName = request.DisplayName!,
            Role = role,
            Enabled = request.Enabled ?? true,
            Language = request.Language ?? "uk",
            CreatedAt = now,
            UpdatedAt = now,
        };
        user.PasswordHash = hasher.HashPassword(user, request.Password!);
        UserRules.SetCompanies(user, companyIds);
        db.Users.Add(user);
        audit.Record(db, "User", user.Id.ToString(), null, "created", null, UserDto.AuditView(user));
        await SaveAsync(db, login, cancellationToken);
        return UserDto.From(user, now);
    }

    internal static async Task SaveAsync(OrderHubDbContext db, string login, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw TenancyRules.Taken("loginName", "User", login);
        }
    }
}
