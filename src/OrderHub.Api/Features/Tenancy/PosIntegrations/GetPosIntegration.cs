using System.Text.Json;
using AutoMapper;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Api.Shared;

namespace OrderHub.Api.Features.Tenancy.PosIntegrations;

public sealed record GetPosIntegrationQuery(Guid PickupPointId) : IRequest<PosIntegrationDto>;

public sealed class GetPosIntegrationHandler(OrderHubDbContext db, IMapper mapper, AccessScope access) : IRequestHandler<GetPosIntegrationQuery, PosIntegrationDto>
{
    public async Task<PosIntegrationDto> Handle(GetPosIntegrationQuery request, CancellationToken cancellationToken)
    {
        await access.EnsurePickupPointAsync(request.PickupPointId, cancellationToken);
        var effective = await EffectivePosIntegrations.ForPointAsync(db, request.PickupPointId, cancellationToken)
                        ?? throw await PosIntegrationProblems.NotFoundAsync(db, request.PickupPointId, cancellationToken);
        return mapper.Map<PosIntegrationDto>(effective.Integration) with
        {
            Sources = effective.Sources.ToDictionary(s => JsonNamingPolicy.CamelCase.ConvertName(s.Key), s => s.Value),
            HasOwnIntegration = effective.HasOwn,
        };
    }
}

public sealed record DeletePosIntegrationCommand(Guid PickupPointId) : IRequest<Unit>;

public sealed class DeletePosIntegrationHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<DeletePosIntegrationCommand, Unit>
{
    public async Task<Unit> Handle(DeletePosIntegrationCommand request, CancellationToken cancellationToken)
    {
        await access.EnsurePickupPointAsync(request.PickupPointId, cancellationToken);
        var integration = await db.PosIntegrations.FirstOrDefaultAsync(i => i.PickupPointId == request.PickupPointId, cancellationToken)
                          ?? throw await PosIntegrationProblems.NotFoundAsync(db, request.PickupPointId, cancellationToken);
        db.PosIntegrations.Remove(integration);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}

internal static class PosIntegrationProblems
{
    /// <summary>Says which is missing: the pickup point, or only its integration.</summary>
    public static async Task<ProblemException> NotFoundAsync(OrderHubDbContext db, Guid pickupPointId, CancellationToken cancellationToken) =>
        await db.PickupPoints.AnyAsync(p => p.Id == pickupPointId, cancellationToken)
            ? new ProblemException(StatusCodes.Status404NotFound, "POS integration not found", $"Pickup point '{pickupPointId}' has no POS integration.")
            : ProblemException.NotFound("Pickup point", pickupPointId);
}
