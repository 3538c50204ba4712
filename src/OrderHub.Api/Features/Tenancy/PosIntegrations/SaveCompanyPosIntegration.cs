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
using OrderHub.Domain.History;
using OrderHub.Domain.Tenancy;
using OrderHub.Integrations.Outbound;
using OrderHub.Integrations.Webhooks;

namespace OrderHub.Api.Features.Tenancy.PosIntegrations;

/// <summary>
/// Creates or replaces the company's default POS integration. Secrets are write-only: omit <c>token</c> /
/// <c>secret</c> to keep the stored one (same kind only).
/// </summary>
public sealed record SaveCompanyPosIntegrationCommand : IRequest<CompanyPosIntegrationDto>
{
    [JsonIgnore]
    public Guid CompanyId { get; init; }

    [JsonIgnore]
    public string Actor { get; init; } = "";

    /// <summary>Poster or Webhook.</summary>
    public string? Kind { get; init; }

    /// <summary>Default true.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Default false. Applies to points with no integration of their own; gated on their mapping coverage.</summary>
    public bool? AutoSyncOnAcceptance { get; init; }

    public string? PosterAccount { get; init; }

    /// <summary>Poster: the API token. Write-only.</summary>
    public string? Token { get; init; }

    public string? WebhookUrl { get; init; }

    /// <summary>Webhook: the <c>whsec_</c> secret. Write-only.</summary>
    public string? Secret { get; init; }

    /// <summary>Why auto-sync must go on although an inheriting point's coverage is below 100 %.</summary>
    public string? AutoSyncOverrideReason { get; init; }

    /// <summary>Never written to logs: the record's generated ToString would print the secrets.</summary>
    public override string ToString() => $"{nameof(SaveCompanyPosIntegrationCommand)} {{ CompanyId = {CompanyId}, Kind = {Kind} }}";
}

public sealed class SaveCompanyPosIntegrationValidator : AbstractValidator<SaveCompanyPosIntegrationCommand>
{
    public SaveCompanyPosIntegrationValidator(OutboundAddressPolicy outbound)
    {
        RuleFor(c => c.Kind).NotEmpty()
            .Must(k => TenancyRules.TryParseName<PosKind>(k, out _)).WithMessageKey("valid.oneOf", ("values", TenancyRules.Names<PosKind>()));
        RuleFor(c => c.AutoSyncOverrideReason).NotEmpty().MaximumLength(Limits.Text).When(c => c.AutoSyncOverrideReason is not null);
        When(c => IsKind(c, PosKind.Poster), () =>
        {
            RuleFor(c => c.PosterAccount).NotEmpty().MaximumLength(Limits.Key).Matches(TenancyRules.UrlSafe())
                .WithMessageKey("valid.slug");
            RuleFor(c => c.Token).NotEmpty().MaximumLength(Limits.Name).When(c => c.Token is not null);
            RuleFor(c => c.WebhookUrl).Null().WithMessageKey("valid.onlyWebhook");
            RuleFor(c => c.Secret).Null().WithMessageKey("valid.onlyWebhookSecret");
        });
        When(c => IsKind(c, PosKind.Webhook), () =>
        {
            RuleFor(c => c.WebhookUrl).NotEmpty().MaximumLength(Limits.Url)
                .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                .WithMessageKey("valid.absoluteUrl")
                .DependentRules(() => RuleFor(c => c.WebhookUrl).OutboundUrl(outbound));
            RuleFor(c => c.Secret).Must(StandardWebhookSignature.IsValidSecret).When(c => c.Secret is not null)
                .WithMessageKey("valid.whsec");
            RuleFor(c => c.PosterAccount).Null().WithMessageKey("valid.onlyPoster");
            RuleFor(c => c.Token).Null().WithMessageKey("valid.onlyPosterToken");
        });
    }

    private static bool IsKind(SaveCompanyPosIntegrationCommand c, PosKind kind) =>
        TenancyRules.TryParseName<PosKind>(c.Kind, out var parsed) && parsed == kind;
}

public sealed class SaveCompanyPosIntegrationHandler(
    OrderHubDbContext db, IMapper mapper, SecretProtector protector, TimeProvider time, AccessScope access, CoverageCalculator coverage)
    : IRequestHandler<SaveCompanyPosIntegrationCommand, CompanyPosIntegrationDto>
{
    public async Task<CompanyPosIntegrationDto> Handle(SaveCompanyPosIntegrationCommand request, CancellationToken cancellationToken)
    {
        await CompanyPosIntegrationAccess.EnsureAsync(db, access, request.CompanyId, cancellationToken);
        var now = time.GetUtcNow();
        var kind = Enum.Parse<PosKind>(request.Kind!, ignoreCase: true);
        var integration = await db.CompanyPosIntegrations.FirstOrDefaultAsync(c => c.CompanyId == request.CompanyId, cancellationToken);
        if (integration is null)
        {
            integration = db.CompanyPosIntegrations.Add(new CompanyPosIntegration { CompanyId = request.CompanyId, CreatedAt = now }).Entity;
        }
        else if (integration.Kind != kind)
        {
            integration.SecretProtected = null;
        }

        var newSecret = kind == PosKind.Poster ? request.Token : request.Secret;
        if (newSecret is not null)
        {
            integration.SecretProtected = protector.Protect(newSecret);
        }
        else if (integration.SecretProtected is null)
        {
            throw ProblemException.Invalid(kind == PosKind.Poster ? "token" : "secret",
                Msg.Of(kind == PosKind.Poster ? "refusal.posterDefaultToken" : "refusal.webhookDefaultSecret"));
        }

        var autoSync = request.AutoSyncOnAcceptance ?? false;
        if (autoSync && !integration.AutoSyncOnAcceptance)
        {
            await GateAutoSyncAsync(request, now, cancellationToken);
        }

        integration.Kind = kind;
        integration.Enabled = request.Enabled ?? true;
        integration.AutoSyncOnAcceptance = autoSync;
        integration.PosterAccount = kind == PosKind.Poster ? request.PosterAccount : null;
        integration.WebhookUrl = kind == PosKind.Webhook ? request.WebhookUrl : null;
        integration.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw ProblemException.Conflict(Msg.Of("problem.defaultPosConcurrent"), Msg.Of("problem.defaultPosConcurrent.detail"));
        }

        return mapper.Map<CompanyPosIntegrationDto>(integration);
    }

    /// <summary>
    /// The company default's auto-sync applies to every point with no integration of its own: each of them must be
    /// fully mapped, or the switch is refused (409) unless an override reason is given, which is recorded.
    /// </summary>
    private async Task GateAutoSyncAsync(SaveCompanyPosIntegrationCommand request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var inheriting = await db.PickupPoints.AsNoTracking()
            .Where(p => p.CompanyId == request.CompanyId && !db.PosIntegrations.Any(i => i.PickupPointId == p.Id))
            .OrderBy(p => p.Name).ToListAsync(cancellationToken);
        var incomplete = new List<(string Name, Guid Id, decimal? Percent, int Missing)>();
        foreach (var point in inheriting)
        {
            var current = await coverage.CalculateAsync(point, cancellationToken);
            if (!current.Complete)
            {
                incomplete.Add((point.Name, point.Id, current.Known ? current.Percent : null, current.Missing.Count));
            }
        }

        if (incomplete.Count == 0)
        {
            return;
        }

        var summary = string.Join(", ", incomplete.Select(i => MessageCatalog.Render(i.Percent is { } percent
            ? Msg.Of("coverage.pointBelow", ("name", i.Name), ("percent", percent), ("missing", i.Missing))
            : Msg.Of("coverage.pointUnknown", ("name", i.Name)), MessageCatalog.CurrentLanguage)));
        if (string.IsNullOrWhiteSpace(request.AutoSyncOverrideReason))
        {
            throw ProblemException.Conflict(Msg.Of(incomplete.All(i => i.Percent is null) ? "problem.coverageUnknown" : "problem.coverageBelow"),
                Msg.Of("problem.coverage.companyDefault", ("summary", summary)),
                new Dictionary<string, object?>
                {
                    ["points"] = incomplete.Select(i => new { pickupPointId = i.Id, name = i.Name, coverage = i.Percent, missingCount = i.Missing }).ToList(),
                    ["fixHint"] = Msg.Of("hint.mapMissing", ("id", "{id}")),
                });
        }

        db.OrderActions.Add(new OrderAction
        {
            CompanyId = request.CompanyId,
            At = now,
            Action = SavePosIntegrationHandler.AutoSyncOverrideAction,
            Outcome = ActionOutcome.Warning,
            Actor = request.Actor,
            Message = Cut($"Auto-sync switched on for the company's default POS integration below full coverage: {summary}. Reason: {request.AutoSyncOverrideReason.Trim()}"),
            Details = System.Text.Json.JsonSerializer.Serialize(new
            {
                points = incomplete.Select(i => new { pickupPointId = i.Id, coverage = i.Percent, missingCount = i.Missing }),
                reason = request.AutoSyncOverrideReason.Trim(),
            }),
        });
    }

    private static string Cut(string text) => text.Length <= Limits.Text ? text : text[..(Limits.Text - 1)] + "…";
}
