using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
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
        RuleFor(c => c.CompanyIds).Must(ids => ids is null || ids.Count <= 1000).WithMessage("At most 1000 companies.");
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
            .WithMessage("Must be All, Own or SameRole.");
        RuleFor(c => c.CompanyIds).Must(ids => ids is null || ids.Count <= 1000).WithMessage("At most 1000 companies.");
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

/// <summary>Sets a new password (an admin resetting it); the user's lockout ends too.</summary>
public sealed record ResetPasswordCommand : IRequest<UserDto>
{
    [JsonIgnore]
    public Guid Id { get; init; }

    /// <summary>At least 10 characters. Write-only.</summary>
    public string? Password { get; init; }

    /// <summary>Never written to logs.</summary>
    public override string ToString() => $"{nameof(ResetPasswordCommand)} {{ Id = {Id} }}";
}

public sealed class ResetPasswordValidator : AbstractValidator<ResetPasswordCommand>
{
    public ResetPasswordValidator() => RuleFor(c => c.Password).Password();
}

public sealed class ResetPasswordHandler(OrderHubDbContext db, AccessScope access, IPasswordHasher<User> hasher, TimeProvider time, AuditTrail audit)
    : IRequestHandler<ResetPasswordCommand, UserDto>
{
    public async Task<UserDto> Handle(ResetPasswordCommand request, CancellationToken cancellationToken)
    {
        var user = await UserRules.FindVisibleAsync(db, access, request.Id, tracked: true, cancellationToken);
        var before = UserDto.AuditView(user);
        user.PasswordHash = hasher.HashPassword(user, request.Password!);
        user.SecurityStamp = User.NewSecurityStamp();
        user.FailedSignInCount = 0;
        user.LockedUntil = null;
        user.UpdatedAt = time.GetUtcNow();
        var after = new { user.LoginName, Password = AuditTrail.SecretChanged, user.LockedUntil };
        audit.Record(db, "User", user.Id.ToString(), null, "password-reset", before, after);
        await db.SaveChangesAsync(cancellationToken);
        return UserDto.From(user, time.GetUtcNow());
    }
}

/// <summary>Ends every panel session of the user (a lost laptop, a copied cookie): the security stamp changes.</summary>
public sealed record SignOutEverywhereCommand(Guid Id) : IRequest<UserDto>;

public sealed class SignOutEverywhereHandler(OrderHubDbContext db, AccessScope access, TimeProvider time, AuditTrail audit)
    : IRequestHandler<SignOutEverywhereCommand, UserDto>
{
    public async Task<UserDto> Handle(SignOutEverywhereCommand request, CancellationToken cancellationToken)
    {
        var user = await UserRules.FindVisibleAsync(db, access, request.Id, tracked: true, cancellationToken);
        user.SecurityStamp = User.NewSecurityStamp();
        user.UpdatedAt = time.GetUtcNow();
        audit.Record(db, "User", user.Id.ToString(), null, "signed-out-everywhere", null, new { user.LoginName });
        await db.SaveChangesAsync(cancellationToken);
        return UserDto.From(user, time.GetUtcNow());
    }
}

/// <summary>Ends a lockout after too many failed sign-ins.</summary>
public sealed record UnlockUserCommand(Guid Id) : IRequest<UserDto>;

public sealed class UnlockUserHandler(OrderHubDbContext db, AccessScope access, TimeProvider time, AuditTrail audit)
    : IRequestHandler<UnlockUserCommand, UserDto>
{
    public async Task<UserDto> Handle(UnlockUserCommand request, CancellationToken cancellationToken)
    {
        var user = await UserRules.FindVisibleAsync(db, access, request.Id, tracked: true, cancellationToken);
        var before = UserDto.AuditView(user);
        user.FailedSignInCount = 0;
        user.LockedUntil = null;
        user.UpdatedAt = time.GetUtcNow();
        audit.Record(db, "User", user.Id.ToString(), null, "unlocked", before, UserDto.AuditView(user));
        await db.SaveChangesAsync(cancellationToken);
        return UserDto.From(user, time.GetUtcNow());
    }
}

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

public sealed record GetUserQuery(Guid Id) : IRequest<UserDto>;

public sealed class GetUserHandler(OrderHubDbContext db, AccessScope access, TimeProvider time) : IRequestHandler<GetUserQuery, UserDto>
{
    public async Task<UserDto> Handle(GetUserQuery request, CancellationToken cancellationToken) =>
        UserDto.From(await UserRules.FindVisibleAsync(db, access, request.Id, tracked: false, cancellationToken), time.GetUtcNow());
}
