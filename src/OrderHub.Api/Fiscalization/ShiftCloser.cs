using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Fiscal;
using OrderHub.Integrations.Fiscal;

namespace OrderHub.Api.Fiscalization;

/// <summary>
/// Closes the open shift (Z report) of every connection with a <see cref="FiscalConnection.ShiftCloseAt"/> once a
/// local day, at or after that time in its pickup point's time zone. Shifts are opened on demand by the first
/// receipt that finds none.
/// </summary>
public sealed partial class ShiftCloser(
    OrderHubDbContext db,
    FiscalSetup setup,
    CheckboxClient checkbox,
    CashalotClient cashalot,
    TimeProvider time,
    ILogger<ShiftCloser> logger)
{
    public async Task CloseDueShiftsAsync(CancellationToken cancellationToken)
    {
        var connections = await db.FiscalConnections.Where(c => c.ShiftCloseAt != null).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var connection in connections)
        {
            var points = await db.PickupPoints.AsNoTracking()
                .Where(p => connection.PickupPointId == null
                    ? p.CompanyId == connection.CompanyId && !db.FiscalConnections.Any(c => c.PickupPointId == p.Id)
                    : p.Id == connection.PickupPointId)
                .ToListAsync(cancellationToken);
            var zone = TimeZoneInfo.TryFindSystemTimeZoneById(points.FirstOrDefault()?.TimeZone ?? "Europe/Kyiv", out var z) ? z : TimeZoneInfo.Utc;
            var local = TimeZoneInfo.ConvertTime(now, zone);
            var today = DateOnly.FromDateTime(local.DateTime);
            if (TimeOnly.FromDateTime(local.DateTime) < connection.ShiftCloseAt || connection.LastShiftClosedOn == today)
            {
                continue;
            }

            var credentials = setup.Credentials(connection);
            var closed = true;
            if (connection.Provider == FiscalProvider.Checkbox && credentials is { LicenseKey: { } license, Pin: { } pin })
            {
                var signIn = await checkbox.SignInAsync(license, pin, cancellationToken);
                closed = signIn.IsOk && (await checkbox.CloseShiftAsync(license, signIn.Value!, cancellationToken)).IsOk;
            }
            else if (connection.Provider == FiscalProvider.Cashalot && credentials.Keys is { } keys)
            {
                var pointIds = points.Select(p => p.Id).ToList();
                var registers = await db.FiscalEmployees.AsNoTracking()
                    .Where(e => pointIds.Contains(e.PickupPointId) && e.FiscalNumber != null)
                    .Select(e => e.FiscalNumber!).Distinct().ToListAsync(cancellationToken);
                foreach (var register in registers)
                {
                    closed &= (await cashalot.CloseShiftAsync(register, keys, cancellationToken)).IsOk;
                }
            }

            if (closed)
            {
                connection.LastShiftClosedOn = today;
                await db.SaveChangesAsync(cancellationToken);
                LogClosed(logger, connection.Id, today);
            }
            else
            {
                LogCloseFailed(logger, connection.Id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fiscal connection {ConnectionId}: shift closed with a Z report for {Day}")]
    private static partial void LogClosed(ILogger logger, Guid connectionId, DateOnly day);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fiscal connection {ConnectionId}: the shift could not be closed; tried again next round")]
    private static partial void LogCloseFailed(ILogger logger, Guid connectionId);
}
