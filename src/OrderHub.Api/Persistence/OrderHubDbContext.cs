using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OrderHub.Domain.Alerts;
using OrderHub.Domain.Auditing;
using OrderHub.Domain.Catalog;
using OrderHub.Domain.Export;
using OrderHub.Domain.Fiscal;
using OrderHub.Domain.History;
using OrderHub.Domain.Inbound;
using OrderHub.Domain.Mappings;
using OrderHub.Domain.Orders;
using OrderHub.Domain.Tenancy;
using OrderHub.Domain.Users;

namespace OrderHub.Api.Persistence;

/// <summary>
/// The one database of OrderHub. Handlers use it directly. Each provider has a subclass that owns its
/// migrations and its few provider-specific conventions; everything else is shared here.
/// </summary>
public abstract class OrderHubDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<City> Cities => Set<City>();

    public DbSet<Company> Companies => Set<Company>();

    public DbSet<PickupPoint> PickupPoints => Set<PickupPoint>();

    public DbSet<PosIntegration> PosIntegrations => Set<PosIntegration>();
    public DbSet<CompanyPosIntegration> CompanyPosIntegrations => Set<CompanyPosIntegration>();

    public DbSet<ExternalIdMapping> ExternalIds => Set<ExternalIdMapping>();

    public DbSet<OrderHub.Domain.Parking.ParkedQueue> ParkedQueues => Set<OrderHub.Domain.Parking.ParkedQueue>();

    public DbSet<PosCatalogItem> PosCatalogItems => Set<PosCatalogItem>();

    public DbSet<DotsMenuItem> DotsMenuItems => Set<DotsMenuItem>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<OrderAction> OrderActions => Set<OrderAction>();

    public DbSet<InboundEvent> InboundEvents => Set<InboundEvent>();

    public DbSet<InboxEvent> InboxEvents => Set<InboxEvent>();

    public DbSet<ExportQueueEntry> ExportQueue => Set<ExportQueueEntry>();

    public DbSet<User> Users => Set<User>();

    public DbSet<UserApiKey> UserApiKeys => Set<UserApiKey>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<FiscalConnection> FiscalConnections => Set<FiscalConnection>();

    public DbSet<FiscalEmployee> FiscalEmployees => Set<FiscalEmployee>();

    public DbSet<FiscalReceipt> FiscalReceipts => Set<FiscalReceipt>();
    public DbSet<TelegramBot> TelegramBots => Set<TelegramBot>();

    public DbSet<TelegramChat> TelegramChats => Set<TelegramChat>();

    public DbSet<TelegramChatCode> TelegramChatCodes => Set<TelegramChatCode>();

    public DbSet<AlertMessage> AlertMessages => Set<AlertMessage>();

    public DbSet<RegisterOperation> RegisterOperations => Set<RegisterOperation>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    // Catch-up feed of webhook POS receivers (issue 18).
    public DbSet<PosFeedMessage> PosFeedMessages => Set<PosFeedMessage>();

    public DbSet<PosFeedPosition> PosFeedPositions => Set<PosFeedPosition>();

    // Daily reconciliation (Features/Reconciliation).
    public DbSet<OrderHub.Domain.Reconciliation.ReconciliationRun> ReconciliationRuns => Set<OrderHub.Domain.Reconciliation.ReconciliationRun>();

    public DbSet<OrderHub.Domain.Reconciliation.ReconciliationFinding> ReconciliationFindings => Set<OrderHub.Domain.Reconciliation.ReconciliationFinding>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OrderHubDbContext).Assembly);

    private bool _savesDeferred;

    /// <summary>
    /// Until the result is disposed, <c>SaveChanges</c> writes nothing: the changes stay tracked for one later save,
    /// so several use cases' changes commit together in one transaction (the inbox applies a round of events that
    /// way). The use cases need not know: they add rows and save as always.
    /// </summary>
    public IDisposable DeferSaves()
    {
        _savesDeferred = true;
        return new DeferredSaves(this);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        _savesDeferred ? 0 : base.SaveChanges(acceptAllChangesOnSuccess);

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default) =>
        _savesDeferred ? Task.FromResult(0) : base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

    private sealed class DeferredSaves(OrderHubDbContext db) : IDisposable
    {
        public void Dispose() => db._savesDeferred = false;
    }
}
