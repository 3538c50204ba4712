using System.Text.Json.Serialization;
using AutoMapper;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Api.Features.Tenancy.Companies;

/// <summary>
/// Stores a signing secret that Dots issued (the sender usually owns the webhook secret) in place of the current
/// one. Write-only: it is never returned, and the change is audited as "secret changed". As on a rotation, the
/// replaced secret stays valid for <see cref="RotateSigningSecretHandler.Overlap"/>.
/// </summary>
public sealed record SetSigningSecretCommand : IRequest<CompanyDto>
{
    [JsonIgnore]
    public Guid CompanyId { get; init; }

    /// <summary>The <c>whsec_</c> secret Dots shows for this company's webhook (base64 of 24 to 64 bytes after the prefix).</summary>
    public string? SigningSecret { get; init; }

    // Never in logs, even by accident.
    public override string ToString() => $"{nameof(SetSigningSecretCommand)} {{ CompanyId = {CompanyId} }}";
}

public sealed class SetSigningSecretValidator : AbstractValidator<SetSigningSecretCommand>
{
    public SetSigningSecretValidator()
    {
        RuleFor(c => c.SigningSecret).NotEmpty();
        RuleFor(c => c.SigningSecret)
            .Must(s => StandardWebhookSignature.IsValidSecret(s!.Trim())).When(c => !string.IsNullOrEmpty(c.SigningSecret))
            .WithMessageKey("valid.dotsSecret");
    }
}

public sealed class SetSigningSecretHandler(OrderHubDbContext db, IMapper mapper, SecretProtector protector, TimeProvider time, AccessScope access, CompanySigningKeys signingKeys)
    : IRequestHandler<SetSigningSecretCommand, CompanyDto>
{
    public async Task<CompanyDto> Handle(SetSigningSecretCommand request, CancellationToken cancellationToken)
    {
        var company = await db.Companies.FirstOrDefaultAsync(c => c.Id == request.CompanyId, cancellationToken)
                      ?? throw ProblemException.NotFound("Company", request.CompanyId);
        await access.EnsureCanSeeAsync(company.Id, "Company", company.Id, cancellationToken);
        var now = time.GetUtcNow();
        var secret = request.SigningSecret!.Trim();

        company.PreviousSigningSecretProtected = company.SigningSecretProtected;
        company.PreviousSecretExpiresAt = now + RotateSigningSecretHandler.Overlap;
        company.SigningSecretProtected = protector.Protect(secret);
        company.SecretRotatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        signingKeys.Forget(company.Key);
        return mapper.Map<CompanyDto>(company);
    }
}
