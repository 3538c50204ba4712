using MediatR;

namespace OrderHub.Api.Features.Inbox;

/// <summary>The Dots inbox: how each stored event's processing went, the parked ones, and their retry.</summary>
public static class InboxEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var inbox = api.MapGroup("/inbox").WithTags("Inbox");
        inbox.MapGet("/parked", (IMediator m, Guid? companyId, CancellationToken ct) => m.Send(new GetParkedInboxEventsQuery(companyId), ct))
            .WithName("GetParkedInboxEvents").WithSummary("Events whose processing kept failing (parked), oldest first")
            .Produces<IReadOnlyList<InboxEventDto>>();
        inbox.MapGet("/{id:guid}", (IMediator m, Guid id, CancellationToken ct) => m.Send(new GetInboxEventQuery(id), ct))
            .WithName("GetInboxEvent").WithSummary("A stored Dots event (the eventId of the webhook's answer) and how its processing went")
            .Produces<InboxEventDto>().ProducesProblem(StatusCodes.Status404NotFound);
        inbox.MapPost("/{id:guid}/retry", (IMediator m, Guid id, CancellationToken ct) => m.Send(new RetryInboxEventCommand(id), ct))
            .WithName("RetryInboxEvent").WithSummary("Process a parked event again once its cause is fixed")
            .Produces<InboxEventDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}
