using System.Text.Json.Serialization;
using AutoMapper;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Persistence.Configurations;
using OrderHub.Api.Security;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Api.Features.Tenancy.PosIntegrations;

/// <summary>
/// Creates or replaces the POS integration of a pickup point. Secrets are write-only: omit <c>token</c> /
/// <c>secret</c> to keep the stored one (same kind only). A webhook integration saved with no secret at all
/// gets a generated one, returned once.
/// </summary>
public sealed record SavePosIntegrationCommand : IRequest<SavedPosIntegrationDto>
{
    [JsonIgnore]
    public Guid PickupPointId { get; init; }

    [JsonIgnore]
    public string Actor { get; init; } = "";

    /// <summary>Poster or Webhook.</summary>
    public string? Kind { get; init; }

    /// <summary>Default true.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Default false.</summary>
    public bool? AutoSyncOnAcceptance { get; init; }

    /// <summary>Poster: the account name (the subdomain of {account}.joinposter.com).</summary>
    public string? PosterAccount { get; init; }

    /// <summary>Poster: the spot_id of this pickup point.</summary>
    public long? PosterSpotId { get; init; }

    /// <summary>Poster: the API token. Write-only.</summary>
    public string? Token { get; init; }

    /// <summary>Webhook: the absolute http(s) URL orders are posted to.</summary>
    public string? WebhookUrl { get; init; }

    /// <summary>Webhook: the <c>whsec_</c> secret OrderHub signs with. Write-only; generated when none is stored.</summary>
    public string? Secret { get; init; }

    /// <summary>Never written to logs: the record's generated ToString would print the secrets.</summary>
    public override string ToString() => $"{nameof(SavePosIntegrationCommand)} {{ PickupPointId = {PickupPointId}, Kind = {Kind} }}";
}

public sealed class SavePosIntegrationValidator : AbstractValidator<SavePosIntegrationCommand>
{
    public SavePosIntegrationValidator()
    {
        RuleFor(c => c.Kind).NotEmpty()
            .Must(k => TenancyRules.TryParseName<PosKind>(k, out _)).WithMessage($"Must be one of: {TenancyRules.Names<PosKind>()}.");

        When(c => IsKind(c, PosKind.Poster), () =>
        {
            RuleFor(c => c.PosterAccount).NotEmpty().MaximumLength(Limits.Key).Matches(TenancyRules.UrlSafe())
                .WithMessage("Use lowercase letters, digits and '-'.");
            RuleFor(c => c.PosterSpotId).NotNull().GreaterThan(0);
            RuleFor(c => c.Token).NotEmpty().MaximumLength(Limits.Name).When(c => c.Token is not null);
            RuleFor(c => c.WebhookUrl).Null().WithMessage("Only for the Webhook kind.");
            RuleFor(c => c.Secret).Null().WithMessage("Only for the Webhook kind; a Poster integration takes 'token'.");
        });
        When(c => IsKind(c, PosKind.Webhook), () =>
        {
            RuleFor(c => c.WebhookUrl).NotEmpty().MaximumLength(Limits.Url).Must(IsHttpUrl)
                .WithMessage("Must be an absolute http or https URL.");
            RuleFor(c => c.Secret).Must(StandardWebhookSignature.IsValidSecret).When(c => c.Secret is not null)
                .WithMessage("Must be whsec_ followed by base64 of 24 to 64 bytes.");
            RuleFor(c => c.PosterAccount).Null().WithMessage("Only for the Poster kind.");
            RuleFor(c => c.PosterSpotId).Null().WithMessage("Only for the Poster kind.");
            RuleFor(c => c.Token).Null().WithMessage("Only for the Poster kind; a webhook integration takes 'secret'.");
        });
    }

    private static bool IsKind(SavePosIntegrationCommand c, PosKind kind) =>
        TenancyRules.TryParseName<PosKind>(c.Kind, out var parsed) && parsed == kind;

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                                                         && !string.IsNullOrEmpty(uri.Host);
}

public sealed class SavePosIntegrationHandler(OrderHubDbContext db, IMapper mapper, SecretProtector protector, TimeProvider time, AccessScope access)
    : IRequestHandler<SavePosIntegrationCommand, SavedPosIntegrationDto>
{
    public async Task<SavedPosIntegrationDto> Handle(SavePosIntegrationCommand request, CancellationToken cancellationToken)
    {
        await access.EnsurePickupPointAsync(request.PickupPointId, cancellationToken);

        var now = time.GetUtcNow();
        var kind = Enum.Parse<PosKind>(request.Kind!, ignoreCase: true);
        var integration = await db.PosIntegrations.FirstOrDefaultAsync(i => i.PickupPointId == request.PickupPointId, cancellationToken);
        if (integration is null)
        {
            integration = db.PosIntegrations.Add(new PosIntegration { PickupPointId = request.PickupPointId, CreatedAt = now }).Entity;
        }
        else if (integration.Kind != kind)
        {
            // A Poster token is no webhook secret and vice versa: a kind change never keeps the old one.
            integration.SecretProtected = null;
        }

        string? generated = null;
        var newSecret = kind == PosKind.Poster ? request.Token : request.Secret;
        if (newSecret is not null)
        {
            integration.SecretProtected = protector.Protect(newSecret);
        }
        else if (integration.SecretProtected is null)
        {
            if (kind == PosKind.Poster)
            {
                throw ProblemException.Invalid("token", "A Poster integration needs its API token.");
            }

            generated = StandardWebhookSignature.GenerateSecret();
            integration.SecretProtected = protector.Protect(generated);
        }

        var enabled = request.Enabled ?? true;
        if (enabled)
        {
            integration.DisabledReason = null;
        }
        else if (integration.Enabled || integration.DisabledReason is null)
        {
            integration.DisabledReason = $"Disabled by {request.Actor} at {now:u}.";
        }

        integration.Kind = kind;
        integration.Enabled = enabled;
        integration.AutoSyncOnAcceptance = request.AutoSyncOnAcceptance ?? false;
        integration.PosterAccount = kind == PosKind.Poster ? request.PosterAccount : null;
        integration.PosterSpotId = kind == PosKind.Poster ? request.PosterSpotId : null;
        integration.WebhookUrl = kind == PosKind.Webhook ? request.WebhookUrl : null;
        integration.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw ProblemException.Conflict("The integration was saved concurrently", "Another request created this pickup point's integration first; read it and try again.");
        }

        return mapper.Map<SavedPosIntegrationDto>(integration) with { GeneratedSecret = generated };
    }
}
