using MediatR;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Security;

namespace OrderHub.Api.Features.Tenancy.ExternalIds;

/// <summary>The same external-id API at two scopes: company defaults and a pickup point's overrides.</summary>
public static class ExternalIdEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        MapScope(api, "/companies/{id:guid}/external-ids", "Company", isPoint: false, "the company defaults");
        MapScope(api, "/pickup-points/{id:guid}/external-ids", "PickupPoint", isPoint: true, "the pickup point's overrides");

        api.MapGet("/pickup-points/{id:guid}/external-ids/effective", (IMediator m, Guid id, string? kind, CancellationToken ct) =>
                m.Send(new GetEffectiveExternalIdsQuery(id, kind), ct))
            .WithTags("External IDs").WithName("GetEffectiveExternalIds")
            .WithSummary("The id the pickup point sends for each item, and whether it is inherited or overridden")
            .Produces<IReadOnlyList<EffectiveExternalIdDto>>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static void MapScope(IEndpointRouteBuilder api, string route, string name, bool isPoint, string what)
    {
        var ids = api.MapGroup(route).WithTags("External IDs");
        ids.MapGet("/", (IMediator m, Guid id, string? kind, CancellationToken ct) => m.Send(new GetExternalIdsQuery(id, isPoint, kind), ct))
            .WithName($"Get{name}ExternalIds").WithSummary($"List {what}, optionally of one kind")
            .Produces<IReadOnlyList<ExternalIdDto>>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        ids.MapPut("/", (IMediator m, Guid id, UpsertExternalIdsCommand command, CancellationToken ct) =>
                m.Send(command with { Id = id, IsPoint = isPoint }, ct))
            .RequireAuthorization(AccessScope.EditMappingsPolicy)
            .WithName($"Upsert{name}ExternalIds")
            .WithSummary($"Add or change up to 5000 of {what}, all or nothing")
            .Produces<UpsertExternalIdsResult>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        ids.MapDelete("/", (IMediator m, Guid id, [FromBody] DeleteExternalIdsCommand command, CancellationToken ct) =>
                m.Send(command with { Id = id, IsPoint = isPoint }, ct))
            .RequireAuthorization(AccessScope.EditMappingsPolicy)
            .WithName($"Delete{name}ExternalIds").WithSummary($"Remove some of {what} by kind and Dots id")
            .Produces<DeleteExternalIdsResult>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
