using AutoMapper;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Api.Features.Tenancy.Companies;

/// <summary>
/// Replaces the company's signing secret with a new one, returned once. The replaced secret stays valid for
/// <see cref="RotateSigningSecretHandler.Overlap"/> so Dots can switch without refused deliveries.
/// </summary>
public sealed record RotateSigningSecretCommand(Guid CompanyId) : IRequest<CompanyWithSecretDto>;

public sealed class RotateSigningSecretHandler(OrderHubDbContext db, IMapper mapper, SecretProtector protector, TimeProvider time, AccessScope access, CompanySigningKeys signingKeys)
    : IRequestHandler<RotateSigningSecretCommand, CompanyWithSecretDto>
{
    public static readonly TimeSpan Overlap = TimeSpan.FromHours(24);

    public async Task<CompanyWithSecretDto> Handle(RotateSigningSecretCommand request, CancellationToken cancellationToken)
    {
        var company = await db.Companies.FirstOrDefaultAsync(c => c.Id == request.CompanyId, cancellationToken)
                      ?? throw ProblemException.NotFound("Company", request.CompanyId);
        await access.EnsureCanSeeAsync(company.Id, "Company", company.Id, cancellationToken);
        var now = time.GetUtcNow();
        var secret = StandardWebhookSignature.GenerateSecret();

        // Only the secret in use moves to "previous": a third rotation within 24 h drops the oldest one.
        company.PreviousSigningSecretProtected = company.SigningSecretProtected;
        company.PreviousSecretExpiresAt = now + Overlap;
        company.SigningSecretProtected = protector.Protect(secret);
        company.SecretRotatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        signingKeys.Forget(company.Key);
        return mapper.Map<CompanyWithSecretDto>(company) with { SigningSecret = secret };
    }
}
