using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Api.Security;
using OrderHub.Domain.Fiscal;
using OrderHub.Integrations.Fiscal;

namespace OrderHub.Api.Fiscalization;

/// <summary>A connection's secrets, decrypted for one call. Never logged, never in history.</summary>
public sealed record FiscalCredentials(string? Pin, string? LicenseKey, CashalotKeys? Keys)
{
    public override string ToString() => "FiscalCredentials { *** }";
}

/// <summary>Looks up a point's effective fiscal connection and its employees.</summary>
public sealed class FiscalSetup(OrderHubDbContext db, ReadAhead readAhead, SecretProtector protector)
{
    /// <summary>The point's own connection, else its company's default; null when neither exists.</summary>
    public async Task<FiscalConnection?> EffectiveConnectionAsync(Guid companyId, Guid pickupPointId, CancellationToken cancellationToken)
    {
        var candidates = readAhead.FiscalConnections(companyId, pickupPointId)
            ?? await db.FiscalConnections.AsNoTracking()
                .Where(c => c.ScopeId == pickupPointId || c.ScopeId == companyId)
                .ToListAsync(cancellationToken);
        return candidates.FirstOrDefault(c => c.PickupPointId == pickupPointId) ?? candidates.FirstOrDefault(c => c.PickupPointId == null);
    }

    /// <summary>The employee of <paramref name="pickupPointId"/> linked to the user <paramref name="userName"/>.</summary>
    public Task<FiscalEmployee?> EmployeeOfUserAsync(Guid pickupPointId, string? userName, CancellationToken cancellationToken) =>
        userName is null
            ? Task.FromResult<FiscalEmployee?>(null)
            : db.FiscalEmployees.AsNoTracking().FirstOrDefaultAsync(e => e.PickupPointId == pickupPointId && e.UserName == userName, cancellationToken);

    public Task<FiscalEmployee?> DefaultCashierAsync(Guid pickupPointId, CancellationToken cancellationToken) =>
        db.FiscalEmployees.AsNoTracking().FirstOrDefaultAsync(e => e.PickupPointId == pickupPointId && e.IsDefaultCashier, cancellationToken);

    public FiscalCredentials Credentials(FiscalConnection connection)
    {
        CashalotKeys? keys = null;
        if (connection.KeyMaterialProtected is { } material)
        {
            keys = JsonSerializer.Deserialize<CashalotKeys>(protector.Unprotect(material));
        }

        return new FiscalCredentials(
            connection.PinProtected is { } pin ? protector.Unprotect(pin) : null,
            connection.LicenseKeyProtected is { } license ? protector.Unprotect(license) : null,
            keys);
    }
}
