using OrderHub.Domain.Alerts;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.Mappings;
using OrderHub.Domain.Tenancy;
using OrderHub.Domain.Users;

namespace OrderHub.Api.Auditing;

/// <summary>How one entity type is named in the audit log and which company it belongs to.</summary>
/// <param name="CompanyId">The company of a row; null for global rows.</param>
/// <param name="PickupPointId">For rows that know only their pickup point: the company is looked up from it.</param>
/// <param name="GroupId">Rows saved together with the same group id make one entry (bulk external ids).</param>
public sealed record AuditedEntity(
    string EntityType,
    Func<object, string> EntityId,
    Func<object, Guid?>? CompanyId = null,
    Func<object, Guid>? PickupPointId = null,
    Func<object, Guid>? GroupId = null);

/// <summary>
/// The settings and mappings whose every change is audited by <see cref="AuditInterceptor"/>. A new feature
/// audits its settings by adding one line here; nothing in its handlers changes.
/// </summary>
public static class AuditedEntities
{
    /// <summary>Columns that change on their own (usage, counters); a change of only these is not audited.</summary>
    public static readonly HashSet<string> Noise = ["UpdatedAt", "LastUsedAt", "CheckedAt", "LastShiftClosedOn", "UpdateOffset"];

    public static readonly IReadOnlyDictionary<Type, AuditedEntity> ByType = new Dictionary<Type, AuditedEntity>
    {
        [typeof(City)] = new("City", e => ((City)e).Id.ToString()),
        [typeof(Company)] = new("Company", e => ((Company)e).Id.ToString(), CompanyId: e => ((Company)e).Id),
        [typeof(PickupPoint)] = new("PickupPoint", e => ((PickupPoint)e).Id.ToString(), CompanyId: e => ((PickupPoint)e).CompanyId),
        [typeof(PosIntegration)] = new("PosIntegration", e => ((PosIntegration)e).PickupPointId.ToString(),
            PickupPointId: e => ((PosIntegration)e).PickupPointId),
        [typeof(CompanyPosIntegration)] = new("CompanyPosIntegration", e => ((CompanyPosIntegration)e).CompanyId.ToString(),
            CompanyId: e => ((CompanyPosIntegration)e).CompanyId),
        [typeof(ExternalIdMapping)] = new("ExternalIds", e => ((ExternalIdMapping)e).ScopeId.ToString(),
            CompanyId: e => ((ExternalIdMapping)e).CompanyId, GroupId: e => ((ExternalIdMapping)e).ScopeId),
        [typeof(Domain.Parking.ParkedQueue)] = new("ParkedQueues", e => ((Domain.Parking.ParkedQueue)e).ScopeId.ToString(),
            CompanyId: e => ((Domain.Parking.ParkedQueue)e).CompanyId, GroupId: e => ((Domain.Parking.ParkedQueue)e).ScopeId),
        [typeof(UserApiKey)] = new("ApiKey", e => ((UserApiKey)e).Id.ToString()),
        [typeof(FiscalConnection)] = new("FiscalConnection", e => ((FiscalConnection)e).ScopeId.ToString(), CompanyId: e => ((FiscalConnection)e).CompanyId),
        [typeof(TelegramBot)] = new("TelegramBot", e => ((TelegramBot)e).CompanyId.ToString(), CompanyId: e => ((TelegramBot)e).CompanyId),
        [typeof(TelegramChat)] = new("TelegramChat", e => ((TelegramChat)e).Id.ToString(), CompanyId: e => ((TelegramChat)e).CompanyId),
        [typeof(FiscalEmployee)] = new("FiscalEmployee", e => ((FiscalEmployee)e).Id.ToString(), CompanyId: e => ((FiscalEmployee)e).CompanyId),
    };
}
