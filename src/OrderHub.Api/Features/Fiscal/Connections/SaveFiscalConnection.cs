using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.Persistence;
using OrderHub.Api.Persistence.Configurations;
using OrderHub.Api.Security;
using OrderHub.Domain.Fiscal;
using OrderHub.Integrations.Fiscal;

namespace OrderHub.Api.Features.Fiscal.Connections;

/// <summary>
/// Creates or replaces a fiscal connection: a company's default (<see cref="CompanyId"/>) or a pickup point's
/// own (<see cref="PickupPointId"/>). Secrets are write-only; omit one to keep the stored one (same provider).
/// </summary>
public sealed record SaveFiscalConnectionCommand : IRequest<FiscalConnectionDto>
{
    [JsonIgnore]
    public Guid? CompanyId { get; init; }

    [JsonIgnore]
    public Guid? PickupPointId { get; init; }

    public string? Name { get; init; }

    /// <summary>Checkbox or Cashalot.</summary>
    public string? Provider { get; init; }

    /// <summary>The "fiscal receipt" switch: issue receipts for paid orders. Default false.</summary>
    public bool? ReceiptsEnabled { get; init; }

    /// <summary>The cashier's PIN (provider's cashier management). Write-only; required for Checkbox.</summary>
    public string? Pin { get; init; }

    /// <summary>Checkbox: the register's license key. Write-only; required.</summary>
    public string? LicenseKey { get; init; }

    /// <summary>Cashalot: the certificate, base64. Write-only; with the private key and password.</summary>
    public string? CashalotCertificate { get; init; }

    /// <summary>Cashalot: the private key, base64. Write-only.</summary>
    public string? CashalotPrivateKey { get; init; }

    /// <summary>Cashalot: the key's password. Write-only.</summary>
    public string? CashalotKeyPassword { get; init; }

    /// <summary>The tax code of goods without their own (Checkbox tax code, Cashalot tax letter).</summary>
    public string? DefaultTaxCode { get; init; }

    /// <summary>Per-product tax codes: Dots product (or modifier) id → tax code.</summary>
    public Dictionary<string, string>? ProductTaxCodes { get; init; }

    /// <summary>Local time (HH:mm) of the daily Z report; omit for none.</summary>
    public string? ShiftCloseAt { get; init; }

    public override string ToString() => $"{nameof(SaveFiscalConnectionCommand)} {{ CompanyId = {CompanyId}, PickupPointId = {PickupPointId}, Provider = {Provider} }}";
}

public sealed class SaveFiscalConnectionValidator : AbstractValidator<SaveFiscalConnectionCommand>
{
    public SaveFiscalConnectionValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Limits.Name);
        RuleFor(c => c.Provider).NotEmpty()
            .Must(p => Shared.TenancyRules.TryParseName<FiscalProvider>(p, out _)).WithMessageKey("valid.oneOf", ("values", Shared.TenancyRules.Names<FiscalProvider>()));
        RuleFor(c => c.Pin).NotEmpty().MaximumLength(64).When(c => c.Pin is not null);
        RuleFor(c => c.DefaultTaxCode).MaximumLength(Limits.Enum);
        RuleFor(c => c.ShiftCloseAt).Must(t => TryTime(t, out _)).When(c => c.ShiftCloseAt is not null).WithMessageKey("valid.timeHHmm");
        RuleFor(c => c.ProductTaxCodes).Must(m => m!.Count <= 5000 && m.All(kv => kv.Key.Length is > 0 and <= Limits.ExternalId && kv.Value.Length is > 0 and <= Limits.Enum))
            .When(c => c.ProductTaxCodes is not null).WithMessageKey("valid.taxCodes");
        When(c => Is(c, FiscalProvider.Checkbox), () =>
        {
            RuleFor(c => c.LicenseKey).NotEmpty().MaximumLength(Limits.Name).When(c => c.LicenseKey is not null);
            RuleFor(c => c.CashalotCertificate).Null().WithMessageKey("valid.onlyCashalot");
            RuleFor(c => c.CashalotPrivateKey).Null().WithMessageKey("valid.onlyCashalot");
            RuleFor(c => c.CashalotKeyPassword).Null().WithMessageKey("valid.onlyCashalot");
        });
        When(c => Is(c, FiscalProvider.Cashalot), () =>
        {
            RuleFor(c => c.LicenseKey).Null().WithMessageKey("valid.onlyCheckbox");
            RuleFor(c => c.CashalotCertificate).Must(IsBase64).When(c => c.CashalotCertificate is not null).WithMessageKey("valid.base64");
            RuleFor(c => c.CashalotPrivateKey).Must(IsBase64).When(c => c.CashalotPrivateKey is not null).WithMessageKey("valid.base64");
            RuleFor(c => c.CashalotKeyPassword).NotEmpty().MaximumLength(Limits.Name).When(c => c.CashalotKeyPassword is not null);
            RuleFor(c => c.CashalotCertificate).NotNull()
                .When(c => c.CashalotPrivateKey is not null || c.CashalotKeyPassword is not null)
                .WithMessageKey("valid.keyWhole");
            RuleFor(c => c.CashalotPrivateKey).NotNull().When(c => c.CashalotCertificate is not null || c.CashalotKeyPassword is not null)
                .WithMessageKey("valid.keyWhole");
            RuleFor(c => c.CashalotKeyPassword).NotNull().When(c => c.CashalotCertificate is not null || c.CashalotPrivateKey is not null)
                .WithMessageKey("valid.keyWhole");
        });
    }

    public static bool TryTime(string? value, out TimeOnly time) =>
        TimeOnly.TryParseExact(value, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    private static bool Is(SaveFiscalConnectionCommand c, FiscalProvider provider) =>
        Shared.TenancyRules.TryParseName<FiscalProvider>(c.Provider, out var p) && p == provider;

    private static bool IsBase64(string? value) => value is { Length: > 0 and <= 16_384 } && Convert.TryFromBase64String(value, new byte[value.Length], out _);
}

public sealed class SaveFiscalConnectionHandler(OrderHubDbContext db, SecretProtector protector, TimeProvider time, AccessScope access)
    : IRequestHandler<SaveFiscalConnectionCommand, FiscalConnectionDto>
{
    public async Task<FiscalConnectionDto> Handle(SaveFiscalConnectionCommand request, CancellationToken cancellationToken)
    {
        var (companyId, scopeId) = await FiscalConnectionScope.ResolveAsync(db, access, request.CompanyId, request.PickupPointId, cancellationToken);
        var now = time.GetUtcNow();
        var provider = Enum.Parse<FiscalProvider>(request.Provider!, ignoreCase: true);
        var connection = await db.FiscalConnections.FirstOrDefaultAsync(c => c.ScopeId == scopeId, cancellationToken);
        if (connection is null)
        {
            connection = db.FiscalConnections.Add(new FiscalConnection
            {
                CompanyId = companyId, PickupPointId = request.PickupPointId, ScopeId = scopeId, CreatedAt = now,
            }).Entity;
        }
        else if (connection.Provider != provider)
        {
            // A Checkbox PIN and license are no Cashalot key and vice versa: a provider change keeps none.
            connection.PinProtected = null;
            connection.LicenseKeyProtected = null;
            connection.KeyMaterialProtected = null;
        }

        if (request.Pin is not null)
        {
            connection.PinProtected = protector.Protect(request.Pin);
        }

        if (request.LicenseKey is not null)
        {
            connection.LicenseKeyProtected = protector.Protect(request.LicenseKey);
        }

        if (request.CashalotCertificate is not null)
        {
            connection.KeyMaterialProtected = protector.Protect(JsonSerializer.Serialize(
                new CashalotKeys(request.CashalotCertificate, request.CashalotPrivateKey!, request.CashalotKeyPassword!)));
        }

        if (provider == FiscalProvider.Checkbox && connection.PinProtected is null)
        {
            throw ProblemException.Invalid("pin", Msg.Of("refusal.checkboxPin"));
        }

        if (provider == FiscalProvider.Checkbox && connection.LicenseKeyProtected is null)
        {
            throw ProblemException.Invalid("licenseKey", Msg.Of("refusal.checkboxLicense"));
        }

        if (provider == FiscalProvider.Cashalot && connection.KeyMaterialProtected is null)
        {
            throw ProblemException.Invalid("cashalotCertificate", Msg.Of("refusal.cashalotKey"));
        }

        connection.Name = request.Name!;
        connection.Provider = provider;
        connection.ReceiptsEnabled = request.ReceiptsEnabled ?? false;
        connection.DefaultTaxCode = string.IsNullOrWhiteSpace(request.DefaultTaxCode) ? null : request.DefaultTaxCode;
        connection.ProductTaxCodes = request.ProductTaxCodes is { Count: > 0 } map ? JsonSerializer.Serialize(map) : null;
        connection.ShiftCloseAt = request.ShiftCloseAt is not null && SaveFiscalConnectionValidator.TryTime(request.ShiftCloseAt, out var at) ? at : null;
        Fiscalization.FiscalConnectionStatusMessage.Set(connection, FiscalConnectionStatus.NotConnected, Msg.Of("fiscal.connection.changed"));
        connection.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw ProblemException.Conflict(Msg.Of("problem.fiscalConcurrent"), Msg.Of("problem.fiscalConcurrent.detail"));
        }

        return FiscalConnectionDto.From(connection);
    }
}

public sealed record DeleteFiscalConnectionCommand(Guid? CompanyId, Guid? PickupPointId) : IRequest<Unit>;

public sealed class DeleteFiscalConnectionHandler(OrderHubDbContext db, AccessScope access) : IRequestHandler<DeleteFiscalConnectionCommand, Unit>
{
    public async Task<Unit> Handle(DeleteFiscalConnectionCommand request, CancellationToken cancellationToken)
    {
        var (_, scopeId) = await FiscalConnectionScope.ResolveAsync(db, access, request.CompanyId, request.PickupPointId, cancellationToken);
        var deleted = await db.FiscalConnections.Where(c => c.ScopeId == scopeId).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? throw ProblemException.NotFound("Fiscal connection", scopeId) : Unit.Value;
    }
}

/// <summary>Which company and scope id a connection request is about, after the access check.</summary>
public static class FiscalConnectionScope
{
    public static async Task<(Guid CompanyId, Guid ScopeId)> ResolveAsync(
        OrderHubDbContext db, AccessScope access, Guid? companyId, Guid? pickupPointId, CancellationToken cancellationToken)
    {
        if (pickupPointId is { } pointId)
        {
            return (await access.EnsurePickupPointAsync(pointId, cancellationToken), pointId);
        }

        var id = companyId!.Value;
        if (!await db.Companies.AnyAsync(c => c.Id == id, cancellationToken))
        {
            throw ProblemException.NotFound("Company", id);
        }

        await access.EnsureCanSeeAsync(id, "Company", id, cancellationToken);
        return (id, id);
    }
}
