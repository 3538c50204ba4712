using System.Text.Json.Serialization;
using AutoMapper;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Persistence.Configurations;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Api.Features.Tenancy.Companies;

/// <summary>Adds a company and generates its inbound signing secret, returned once.</summary>
public sealed record CreateCompanyCommand : IRequest<CompanyWithSecretDto>
{
    public Guid? CityId { get; init; }

    /// <summary>The Dots company id; unique.</summary>
    public string? DotsCompanyId { get; init; }

    /// <summary>The webhook URL key: 3 to 64 of a-z, 0-9 and '-'; unique, and fixed once created.</summary>
    public string? Key { get; init; }
    public string? Name { get; init; }
}

public sealed class CreateCompanyValidator : AbstractValidator<CreateCompanyCommand>
{
    public CreateCompanyValidator()
    {
        RuleFor(c => c.CityId).NotEmpty();
        RuleFor(c => c.DotsCompanyId).DotsId();
        RuleFor(c => c.Key).NotEmpty().Length(3, Limits.Key).Matches(TenancyRules.UrlSafe())
            .WithMessageKey("valid.companyKey");
        RuleFor(c => c.Name).DisplayName();
    }
}

public sealed class CreateCompanyHandler(OrderHubDbContext db, IMapper mapper, SecretProtector protector, TimeProvider time)
    : IRequestHandler<CreateCompanyCommand, CompanyWithSecretDto>
{
    public async Task<CompanyWithSecretDto> Handle(CreateCompanyCommand request, CancellationToken cancellationToken)
    {
        await CompanyRules.EnsureCityExistsAsync(db, request.CityId!.Value, cancellationToken);
        if (await db.Companies.AnyAsync(c => c.Key == request.Key, cancellationToken))
        {
            throw TenancyRules.Taken("key", "Company", request.Key!);
        }

        await CompanyRules.EnsureDotsIdFreeAsync(db, request.DotsCompanyId!, null, cancellationToken);

        var now = time.GetUtcNow();
        var secret = StandardWebhookSignature.GenerateSecret();
        var company = new Company
        {
            CityId = request.CityId.Value,
            DotsCompanyId = request.DotsCompanyId!,
            Key = request.Key!,
            Name = request.Name!,
            SigningSecretProtected = protector.Protect(secret),
            CreatedAt = now,
            SecretRotatedAt = now,
        };
        db.Companies.Add(company);
        await CompanyRules.SaveAsync(db, company, cancellationToken);
        return mapper.Map<CompanyWithSecretDto>(company) with { SigningSecret = secret };
    }
}

/// <summary>Replaces a company's city, Dots id and name. The key and the secrets do not change here.</summary>
public sealed record UpdateCompanyCommand : IRequest<CompanyDto>
{
    [JsonIgnore]
    public Guid Id { get; init; }
    public Guid? CityId { get; init; }
    public string? DotsCompanyId { get; init; }
    public string? Name { get; init; }
}

public sealed class UpdateCompanyValidator : AbstractValidator<UpdateCompanyCommand>
{
    public UpdateCompanyValidator()
    {
        RuleFor(c => c.CityId).NotEmpty();
        RuleFor(c => c.DotsCompanyId).DotsId();
        RuleFor(c => c.Name).DisplayName();
    }
}

public sealed class UpdateCompanyHandler(OrderHubDbContext db, IMapper mapper, AccessScope access, CompanySigningKeys signingKeys) : IRequestHandler<UpdateCompanyCommand, CompanyDto>
{
    public async Task<CompanyDto> Handle(UpdateCompanyCommand request, CancellationToken cancellationToken)
    {
        var company = await db.Companies.FirstOrDefaultAsync(c => c.Id == request.Id, cancellationToken)
                      ?? throw ProblemException.NotFound("Company", request.Id);
        await access.EnsureCanSeeAsync(company.Id, "Company", company.Id, cancellationToken);
        await CompanyRules.EnsureCityExistsAsync(db, request.CityId!.Value, cancellationToken);
        await CompanyRules.EnsureDotsIdFreeAsync(db, request.DotsCompanyId!, company.Id, cancellationToken);

        company.CityId = request.CityId.Value;
        company.DotsCompanyId = request.DotsCompanyId!;
        company.Name = request.Name!;
        await CompanyRules.SaveAsync(db, company, cancellationToken);
        signingKeys.Forget(company.Key);
        return mapper.Map<CompanyDto>(company);
    }
}

internal static class CompanyRules
{
    public static async Task EnsureCityExistsAsync(OrderHubDbContext db, Guid cityId, CancellationToken cancellationToken)
    {
        if (!await db.Cities.AnyAsync(c => c.Id == cityId, cancellationToken))
        {
            throw ProblemException.Invalid("cityId", Msg.Of("problem.notFound.detail", ("what", Msg.Term("entity.city.gen")), ("id", cityId)));
        }
    }

    public static async Task EnsureDotsIdFreeAsync(OrderHubDbContext db, string dotsCompanyId, Guid? self, CancellationToken cancellationToken)
    {
        if (await db.Companies.AnyAsync(c => c.DotsCompanyId == dotsCompanyId && c.Id != self, cancellationToken))
        {
            throw TenancyRules.Taken("dotsCompanyId", "Company", dotsCompanyId);
        }
    }

    /// <summary>Saves; a unique-key race lost to another writer becomes the same 409 the checks give.</summary>
    public static async Task SaveAsync(OrderHubDbContext db, Company company, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            var keyTaken = await db.Companies.AsNoTracking().AnyAsync(c => c.Key == company.Key && c.Id != company.Id, cancellationToken);
            throw keyTaken
                ? TenancyRules.Taken("key", "Company", company.Key)
                : TenancyRules.Taken("dotsCompanyId", "Company", company.DotsCompanyId);
        }
    }
}
