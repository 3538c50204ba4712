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
using OrderHub.Domain.Tenancy;

namespace OrderHub.Api.Features.Tenancy.PickupPoints;

/// <summary>
/// Creates a pickup point of a company, or updates one. On update an omitted (null) field keeps its value.
/// On create, <c>timeZone</c> defaults to Europe/Kyiv and <c>useCompanyDefaults</c> to true.
/// </summary>
public sealed record SavePickupPointCommand : IRequest<PickupPointDto>
{
    /// <summary>From the route: the company on create.</summary>
    [JsonIgnore]
    public Guid? CompanyId { get; init; }

    /// <summary>From the route: the point on update.</summary>
    [JsonIgnore]
    public Guid? Id { get; init; }

    /// <summary>The Dots <c>companyAddressId</c>; unique within the company.</summary>
    public string? DotsAddressId { get; init; }
    public string? Name { get; init; }
    public string? Address { get; init; }

    /// <summary>IANA time zone id, e.g. Europe/Kyiv.</summary>
    public string? TimeZone { get; init; }

    /// <summary>True (the default for a new point): every external id comes from the company's defaults and the
    /// point's own overrides are ignored; false: the point's overrides win, the company's fill the rest.</summary>
    public bool? UseCompanyExternalIds { get; init; }

    /// <summary>Deprecated: the old name of <see cref="UseCompanyExternalIds"/>, still accepted for this version.</summary>
    [Obsolete("Use UseCompanyExternalIds.")]
    public bool? UseCompanyDefaults { get; init; }

    // Held pre-orders (issue 18).

    /// <summary>True: orders with a delivery time are held until the delivery time minus <see cref="PreparationMinutes"/>; false (the default): sent at once.</summary>
    public bool? HoldScheduledOrders { get; init; }

    /// <summary>Minutes the kitchen needs before the delivery time (0 to 1440; 30 for a new point).</summary>
    public int? PreparationMinutes { get; init; }

#pragma warning disable CS0618 // the deprecated name is read here, and only here
    internal bool? UseCompanyExternalIdsOrDeprecated => UseCompanyExternalIds ?? UseCompanyDefaults;

    internal bool BothNamesDisagree => UseCompanyExternalIds is not null && UseCompanyDefaults is not null && UseCompanyExternalIds != UseCompanyDefaults;
#pragma warning restore CS0618
}

public sealed class SavePickupPointValidator : AbstractValidator<SavePickupPointCommand>
{
    public SavePickupPointValidator()
    {
        When(c => c.Id is null, () =>
        {
            RuleFor(c => c.DotsAddressId).NotEmpty();
            RuleFor(c => c.Name).NotEmpty();
        });
        RuleFor(c => c.DotsAddressId).DotsId().When(c => c.DotsAddressId is not null);
        RuleFor(c => c.Name).DisplayName().When(c => c.Name is not null);
        RuleFor(c => c.Address).MaximumLength(Limits.Text);
        RuleFor(c => c.BothNamesDisagree).Equal(false).OverridePropertyName("useCompanyDefaults")
            .WithMessageKey("valid.useCompanyDefaults.point");
        RuleFor(c => c.PreparationMinutes).InclusiveBetween(0, 1440);
        RuleFor(c => c.TimeZone).Must(TenancyRules.IsIanaTimeZone).When(c => c.TimeZone is not null)
            .WithMessageKey("valid.timeZone");
    }
}

public sealed class SavePickupPointHandler(OrderHubDbContext db, IMapper mapper, TimeProvider time, AccessScope access) : IRequestHandler<SavePickupPointCommand, PickupPointDto>
{
    public async Task<PickupPointDto> Handle(SavePickupPointCommand request, CancellationToken cancellationToken)
    {
        PickupPoint point;
        if (request.Id is { } id)
        {
            point = await db.PickupPoints.FirstOrDefaultAsync(p => p.Id == id, cancellationToken) ?? throw ProblemException.NotFound("Pickup point", id);
            await access.EnsureCanSeeAsync(point.CompanyId, "Pickup point", id, cancellationToken);
        }
        else
        {
            var companyId = request.CompanyId!.Value;
            if (!await db.Companies.AnyAsync(c => c.Id == companyId, cancellationToken) || !await access.CanSeeAsync(companyId, cancellationToken))
            {
                throw ProblemException.NotFound("Company", companyId);
            }

            point = db.PickupPoints.Add(new PickupPoint { CompanyId = companyId, CreatedAt = time.GetUtcNow() }).Entity;
        }

        point.DotsAddressId = request.DotsAddressId ?? point.DotsAddressId;
        point.Name = request.Name ?? point.Name;
        point.Address = request.Address ?? point.Address;
        point.TimeZone = request.TimeZone ?? point.TimeZone;
        point.UseCompanyDefaults = request.UseCompanyExternalIdsOrDeprecated ?? point.UseCompanyDefaults;
        point.HoldScheduledOrders = request.HoldScheduledOrders ?? point.HoldScheduledOrders;
        point.PreparationMinutes = request.PreparationMinutes ?? point.PreparationMinutes;

        if (await db.PickupPoints.AnyAsync(p => p.CompanyId == point.CompanyId && p.DotsAddressId == point.DotsAddressId && p.Id != point.Id, cancellationToken))
        {
            throw TenancyRules.Taken("dotsAddressId", "Pickup point", point.DotsAddressId);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw TenancyRules.Taken("dotsAddressId", "Pickup point", point.DotsAddressId);
        }

        return mapper.Map<PickupPointDto>(point);
    }
}
