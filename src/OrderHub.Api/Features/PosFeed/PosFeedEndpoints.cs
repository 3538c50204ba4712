using MediatR;
using OrderHub.Api.Features.PosFeed.AckPosFeed;
using OrderHub.Api.Features.PosFeed.GetPosFeed;
using OrderHub.Api.Features.PosFeed.GetPosFeedStatus;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Features.PosFeed;

/// <summary>
/// The catch-up feed of webhook POS receivers: read and acknowledged with the integration's feed token (open to
/// that token only, not to API keys); its status for support staff behind an API key.
/// </summary>
public static class PosFeedEndpoints
{
    /// <summary>The receiver's endpoints, authenticated by the feed token rather than an API key.</summary>
    public static void MapReceiver(IEndpointRouteBuilder app)
    {
        var feed = app.MapGroup("/api/pos-feed/{integrationId:guid}").WithTags("POS feed").AllowAnonymous();
        feed.MapGet("/", (IMediator m, Guid integrationId, long? after, int? limit, HttpRequest request, CancellationToken ct) =>
                m.Send(new GetPosFeedQuery(integrationId, PosFeedAccess.Bearer(request), after, limit), ct))
            .WithName("GetPosFeed")
            .WithSummary("A webhook POS receiver's catch-up feed: the signed pos-order messages after a cursor, oldest first (Authorization: Bearer feed token)")
            .Produces<PosFeedPageDto>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        feed.MapPost("/ack", (IMediator m, Guid integrationId, PosFeedAck ack, HttpRequest request, CancellationToken ct) =>
                m.Send(new AckPosFeedCommand(integrationId, PosFeedAccess.Bearer(request), ack.Cursor), ct))
            .WithName("AckPosFeed")
            .WithSummary("The receiver stored every feed message up to the cursor; kept across restarts, never moves back (Authorization: Bearer feed token)")
            .Produces<PosFeedStatusDto>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>The feed's status for support staff, behind the API key.</summary>
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/pickup-points/{id:guid}/pos-feed", async (IMediator m, Guid id, OrderHubDbContext db, AccessScope access, CancellationToken ct) =>
            {
                await access.EnsurePickupPointAsync(id, ct);
                var effective = await EffectivePosIntegrations.ForPointAsync(db, id, ct);
                if (effective?.Integration is not { Kind: PosKind.Webhook } integration)
                {
                    throw new ProblemException(StatusCodes.Status404NotFound, "No webhook POS",
                        $"Pickup point '{id}' does not export to a webhook POS: only a webhook POS has a catch-up feed.");
                }

                return await m.Send(new GetPosFeedStatusQuery(integration.Id), ct);
            })
            .WithTags("POS feed")
            .WithName("GetPosFeedStatus")
            .WithSummary("The catch-up feed of the point's webhook POS: the receiver's acknowledged cursor and how many messages it is behind")
            .Produces<PosFeedStatusDto>().ProducesProblem(StatusCodes.Status404NotFound);
}
