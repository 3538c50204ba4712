using System.Text.Json.Serialization;
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

namespace OrderHub.Api.Features.Shadow;

/// <summary>
/// Switches the point's own POS integration between <c>Live</c> and <c>Shadow</c>. Going live passes the same
/// coverage gate as switching auto-sync on: refused (409, naming <c>mode</c>) below 100 % mapping coverage. The
/// change is audited (the audit log keeps the integration's before and after) and written in the company's history.
/// </summary>
public sealed record SetPosModeCommand : IRequest<PosModeDto>
{
    [JsonIgnore]
    public Guid PickupPointId { get; init; }

    [JsonIgnore]
    public string Actor { get; init; } = "";

    /// <summary><c>Live</c> or <c>Shadow</c>.</summary>
    public string? Mode { get; init; }
}

public sealed record PosModeDto(Guid PickupPointId, string Mode, DateTimeOffset UpdatedAt);

public sealed class SetPosModeValidator : AbstractValidator<SetPosModeCommand>
{
    public SetPosModeValidator() =>
        RuleFor(c => c.Mode).NotEmpty().Must(m => Enum.TryParse<PosMode>(m, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(m, out _))
            .WithMessageKey("valid.oneOf", ("values", "Live, Shadow"));
}

public sealed class SetPosModeHandler(OrderHubDbContext db, AccessScope access, TimeProvider time, CoverageCalculator coverage)
    : IRequestHandler<SetPosModeCommand, PosModeDto>
{
    public const string ModeChangedAction = "pos.mode_changed";

    public async Task<PosModeDto> Handle(SetPosModeCommand request, CancellationToken cancellationToken)
    {
        await access.EnsurePickupPointAsync(request.PickupPointId, cancellationToken);
        var mode = Enum.Parse<PosMode>(request.Mode!, ignoreCase: true);
        var point = await db.PickupPoints.AsNoTracking().FirstAsync(p => p.Id == request.PickupPointId, cancellationToken);
        var integration = await db.PosIntegrations.FirstOrDefaultAsync(i => i.PickupPointId == request.PickupPointId, cancellationToken)
            ?? throw ProblemException.Conflict(Msg.Of("problem.shadowNoIntegration"), Msg.Of("problem.shadowNoIntegration.detail", ("point", point.Name)),
                new Dictionary<string, object?> { ["field"] = "mode" });
        if (integration.Mode == mode)
        {
            return new PosModeDto(point.Id, mode.ToString(), integration.UpdatedAt);
        }

        if (mode == PosMode.Live)
        {
            await GateAsync(point, cancellationToken);
        }

        var now = time.GetUtcNow();
        var before = integration.Mode;
        var message = Msg.Of("shadow.modeChanged", ("point", point.Name), ("from", Msg.Term("term.posMode." + before)), ("to", Msg.Term("term.posMode." + mode)));
        integration.Mode = mode;
        integration.UpdatedAt = now;
        db.OrderActions.Add(new OrderAction
        {
            CompanyId = point.CompanyId,
            At = now,
            Action = ModeChangedAction,
            Outcome = ActionOutcome.Info,
            Actor = request.Actor.Length <= Limits.Actor ? request.Actor : request.Actor[..Limits.Actor],
            Message = MessageCatalog.Render(message, MessageCatalog.English),
            MessageKey = message.Key,
            MessageArgs = message.ArgsJson(),
            Details = System.Text.Json.JsonSerializer.Serialize(new { pickupPointId = point.Id, integrationId = integration.Id, from = before.ToString(), to = mode.ToString() }),
        });
        await db.SaveChangesAsync(cancellationToken);
        return new PosModeDto(point.Id, mode.ToString(), now);
    }

    /// <summary>The auto-sync gate: going live below 100 % coverage would stop orders in NeedsMapping at a live register.</summary>
    private async Task GateAsync(PickupPoint point, CancellationToken cancellationToken)
    {
        var current = await coverage.CalculateAsync(point, cancellationToken);
        if (current.Complete)
        {
            return;
        }

        var missing = current.Missing.Select(m => $"{m.Kind} '{m.Name}' ({m.DotsId})").ToList();
        var detail = current.Known
            ? Msg.Of("problem.shadowLiveCoverage.detail", ("percent", current.Percent), ("count", current.Missing.Count),
                ("missing", string.Join(", ", missing.Take(10)) + (missing.Count > 10 ? ", …" : "")))
            : Msg.Of("problem.shadowLiveCoverageUnknown.detail", ("point", point.Name));
        throw ProblemException.Conflict(Msg.Of("problem.shadowLiveCoverage"), detail, new Dictionary<string, object?>
        {
            ["field"] = "mode",
            ["errors"] = new Dictionary<string, string[]> { ["mode"] = [MessageCatalog.Render(detail, MessageCatalog.CurrentLanguage)] },
            ["coverage"] = current.Known ? current.Percent : null,
            ["coverageKnown"] = current.Known,
            ["missingCount"] = current.Missing.Count,
            ["missing"] = current.Missing.Take(100).Select(m => new { m.Kind, m.DotsId, m.Name }).ToList(),
            ["fixHint"] = Msg.Of("hint.shadowLiveCoverage", ("id", point.Id)),
        });
    }
}
