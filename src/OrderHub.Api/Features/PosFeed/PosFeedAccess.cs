using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Integrations.WebhookPos;

namespace OrderHub.Api.Features.PosFeed;

/// <summary>
/// Who may read a webhook POS integration's feed: the holder of its feed token (<see cref="PosFeedToken"/>), derived
/// from the integration's own signing secret, which is stored encrypted and decrypted only to check the token.
/// Not a company API key: the receiver at the register has the secret anyway, and nothing else.
/// </summary>
public static class PosFeedAccess
{
    /// <summary>
    /// No or a wrong token 401 (before anything is looked up, so a caller without a token learns nothing about which
    /// integrations exist); a valid token of another integration 403, or 404 when the integration asked for does not
    /// exist. Returns the integration's secret (decrypted), which signs the feed's messages.
    /// </summary>
    public static async Task<string> EnsureAsync(OrderHubDbContext db, SecretProtector protector, Guid integrationId, string? bearer, CancellationToken cancellationToken)
    {
        var named = PosFeedToken.IntegrationOf(bearer);
        if (bearer is null || named is null)
        {
            throw Unauthorized();
        }

        if (named != integrationId)
        {
            // The token must be valid for the integration it names before the answer says anything about another one.
            var own = await EffectivePosIntegrations.WebhookByIdAsync(db, named.Value, cancellationToken);
            if (own is not { SecretProtected: { } ownSecret } || !PosFeedToken.Verify(protector.Unprotect(ownSecret), named.Value, bearer))
            {
                throw Unauthorized();
            }

            throw await EffectivePosIntegrations.WebhookByIdAsync(db, integrationId, cancellationToken) is null
                ? new ProblemException(StatusCodes.Status404NotFound, "Unknown POS integration", $"No webhook POS integration has id '{integrationId}'.")
                : new ProblemException(StatusCodes.Status403Forbidden, "Another integration's feed",
                    "This feed token belongs to another webhook POS integration; each integration reads only its own feed.");
        }

        var integration = await EffectivePosIntegrations.WebhookByIdAsync(db, integrationId, cancellationToken);
        var secret = integration?.SecretProtected is { } stored ? protector.Unprotect(stored) : null;
        if (secret is null || !PosFeedToken.Verify(secret, integrationId, bearer))
        {
            throw Unauthorized();
        }

        return secret;
    }

    /// <summary>The bearer token of an <c>Authorization</c> header, or null.</summary>
    public static string? Bearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    /// <summary>The highest cursor the integration's feed has reached (0 when empty).</summary>
    public static async Task<long> LatestAsync(OrderHubDbContext db, Guid integrationId, CancellationToken cancellationToken) =>
        await db.PosFeedMessages.Where(m => m.IntegrationId == integrationId).MaxAsync(m => (long?)m.Sequence, cancellationToken) ?? 0;

    private static ProblemException Unauthorized() => new(StatusCodes.Status401Unauthorized, "Invalid feed token",
        "Send Authorization: Bearer with the integration's feed token, derived from its signing secret (docs/pos-webhook.md, \"Catch-up feed\").");
}
